import type { FeatureModule } from '../features';
import type { ServiceDeps } from '../services';
import { AuditEntryRow } from './audit.entities';
import { AuditResolver } from './audit.resolver';
import { AuditService } from './audit.service';
import { AuditLog1795400020000 } from './migrations/1795400020000-AuditLog';
import { AppendOnlyLedgers1795409990000 } from './migrations/1795409990000-AppendOnlyLedgers';

export const auditFeature: FeatureModule = {
  entities: [AuditEntryRow],
  migrations: [AuditLog1795400020000, AppendOnlyLedgers1795409990000],
  resolvers: [AuditResolver],
};

/** This feature's services, added to the app's services (see services.ts). */
export function createAuditServices(deps: ServiceDeps) {
  return { audit: new AuditService(deps.db) };
}
