import type { FeatureModule } from '../features';
import { ApiKey, Business, Member, Session } from './auth.entities';
import { AuthResolver, BusinessResolver } from './auth.resolver';
import { AccessManagement1795400010000 } from './migrations/1795400010000-AccessManagement';

export const authFeature: FeatureModule = {
  entities: [Business, Member, Session, ApiKey],
  migrations: [AccessManagement1795400010000],
  resolvers: [AuthResolver, BusinessResolver],
};
