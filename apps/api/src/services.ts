import type { Clock } from './platform/clock';
import type { Database } from './platform/db/database';
import { Idempotency } from './platform/idempotency';
import { AuthService } from './auth/auth.service';
import { CustomerService } from './customers/customer.service';
import { createQuoteServices } from './quotes';
import { createCreditServices } from './credits';
import { createAccountServices } from './accounts';
import { createAuditServices } from './audit';
import { createOutboundServices } from './outbound';

/** What every service may be given: the database, the clock, and the idempotency store. */
export interface ServiceDeps {
  readonly db: Database;
  readonly clock: Clock;
  readonly idempotency: Idempotency;
  /** Whether credit use cases and invoice refunds may be written together under load (on PostgreSQL; default yes). */
  readonly groupCommit?: boolean;
}

/** The composition root: every service, built once per app and handed to resolvers in the context. */
export function createServices(
  db: Database,
  clock: Clock,
  options: { readonly groupCommit?: boolean } = {},
) {
  const deps: ServiceDeps = { db, clock, idempotency: new Idempotency(clock), ...options };
  const customers = new CustomerService(db, clock);
  return {
    ...deps,
    auth: new AuthService(db, clock),
    customers,
    ...createQuoteServices(deps, { customers }),
    ...createCreditServices(deps, { customers }),
    ...createAccountServices(deps, { customers }),
    ...createAuditServices(deps),
    ...createOutboundServices(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
