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
import { CreditReversals1795400021000 } from './migrations/1795400021000-CreditReversals';
import { BackfillCreditReversals1795400022000 } from './migrations/1795400022000-BackfillCreditReversals';

export const creditsFeature: FeatureModule = {
  entities: [CreditTransactionRow, CreditWalletRow],
  migrations: [
    Credits1795300200000,
    CreditReversals1795400021000,
    BackfillCreditReversals1795400022000,
  ],
  resolvers: [CreditResolver, CreditTransactionResolver, CustomerCreditResolver],
};

/** This feature's services, added to the app's services (see services.ts). */
export function createCreditServices(deps: ServiceDeps, shared: { customers: CustomerService }) {
  return { credits: new CreditService(deps, shared.customers) };
}
