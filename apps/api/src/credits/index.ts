import type { FeatureModule } from '../features';
import type { ServiceDeps } from '../services';
import type { CustomerService } from '../customers/customer.service';
import { CreditTransactionRow, CreditWalletRow } from './credit.entities';
import {
  CreditResolver,
  CreditTransactionResolver,
  CustomerCreditResolver,
} from './credit.resolver';
import { CreditService } from './credit.service';
import { Credits1795300200000 } from './migrations/1795300200000-Credits';

export const creditsFeature: FeatureModule = {
  entities: [CreditTransactionRow, CreditWalletRow],
  migrations: [Credits1795300200000],
  resolvers: [CreditResolver, CreditTransactionResolver, CustomerCreditResolver],
};

/** This feature's services, added to the app's services (see services.ts). */
export function createCreditServices(deps: ServiceDeps, shared: { customers: CustomerService }) {
  return { credits: new CreditService(deps, shared.customers) };
}
