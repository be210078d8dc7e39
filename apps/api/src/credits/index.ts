import type { FeatureModule } from '../features';
import type { ServiceDeps } from '../services';
import type { CustomerService } from '../customers/customer.service';
import { CreditTransactionRow, CreditWalletRow } from './credit.entities';
import {
  CreditResolver,
  CreditTransactionPayloadResolver,
  CreditTransactionResolver,
  CustomerCreditResolver,
} from './credit.resolver';
import { CreditService } from './credit.service';
import { Credits1795300200000 } from './migrations/1795300200000-Credits';
import { CreditReversals1795400021000 } from './migrations/1795400021000-CreditReversals';
import { BackfillCreditReversals1795400022000 } from './migrations/1795400022000-BackfillCreditReversals';
import { CreditSpendTotals1795410400000 } from './migrations/1795410400000-CreditSpendTotals';

export const creditsFeature: FeatureModule = {
  entities: [CreditTransactionRow, CreditWalletRow],
  migrations: [
    Credits1795300200000,
    CreditReversals1795400021000,
    BackfillCreditReversals1795400022000,
    CreditSpendTotals1795410400000,
  ],
  resolvers: [
    CreditResolver,
    CreditTransactionResolver,
    CreditTransactionPayloadResolver,
    CustomerCreditResolver,
  ],
};

/** This feature's services, added to the app's services (see services.ts). */
export function createCreditServices(deps: ServiceDeps, shared: { customers: CustomerService }) {
  // The payload's customer is loaded by the resolver, only when a query asks for it.
  void shared;
  return { credits: new CreditService(deps) };
}
