import type { FeatureModule } from '../features';
import type { ServiceDeps } from '../services';
import type { CustomerService } from '../customers/customer.service';
import {
  AccountAllocationRow,
  AccountCreditRow,
  AccountRefundRow,
  BankAccountRow,
} from './account.entities';
import {
  AccountResolver,
  CustomerAccountBalanceResolver,
  CustomerAccountResolver,
} from './account.resolver';
import { AccountService } from './account.service';
import { Accounts1795300300000 } from './migrations/1795300300000-Accounts';
import { ArchiveBankAccounts1795400040000 } from './migrations/1795400040000-ArchiveBankAccounts';
import { AccountRefundReasons1795400023000 } from './migrations/1795400023000-AccountRefundReasons';
import { FlatAccounts1795410200000 } from './migrations/1795410200000-FlatAccounts';

export const accountsFeature: FeatureModule = {
  entities: [BankAccountRow, AccountCreditRow, AccountAllocationRow, AccountRefundRow],
  migrations: [
    Accounts1795300300000,
    ArchiveBankAccounts1795400040000,
    AccountRefundReasons1795400023000,
    FlatAccounts1795410200000,
  ],
  resolvers: [AccountResolver, CustomerAccountResolver, CustomerAccountBalanceResolver],
};

/** This feature's services, added to the app's services (see services.ts). */
export function createAccountServices(deps: ServiceDeps, shared: { customers: CustomerService }) {
  return { accounts: new AccountService(deps, shared.customers) };
}
