import type { FeatureModule } from '../features';
import type { ServiceDeps } from '../services';
import type { CustomerService } from '../customers/customer.service';
import {
  CaseRecord,
  FollowUpOutboxRecord,
  QuoteActivityRecord,
  QuoteFollowUpRecord,
  QuoteLineItemRecord,
  QuotePaymentRecord,
  QuoteRecord,
  QuoteRefundRecord,
} from './quote.entities';
import { Quotes1795300100000 } from './migrations/1795300100000-Quotes';
import { InvoiceLedger1795400030000 } from './migrations/1795400030000-InvoiceLedger';
import { QuoteRollups1795410100000 } from './migrations/1795410100000-QuoteRollups';
import { QuotePortalIndex1795410100001 } from './migrations/1795410100001-QuotePortalIndex';
import { CaseResolver, QuoteResolver, RefundResolver } from './quote.resolver';
import { PortalQuoteResolver, PortalResolver } from './portal.resolver';
import { QuoteService } from './quote.service';
import { QuoteTabCountsResolver } from './tab-counts';
import { FollowUpService } from './follow-up.service';

/** How often the follow-up worker looks for due nudges in the API process. */
const FOLLOW_UP_INTERVAL_MS = 60_000;

export const quotesFeature: FeatureModule = {
  entities: [
    CaseRecord,
    QuoteRecord,
    QuoteLineItemRecord,
    QuoteRefundRecord,
    QuotePaymentRecord,
    QuoteActivityRecord,
    QuoteFollowUpRecord,
    FollowUpOutboxRecord,
  ],
  migrations: [
    Quotes1795300100000,
    InvoiceLedger1795400030000,
    QuoteRollups1795410100000,
    QuotePortalIndex1795410100001,
  ],
  resolvers: [
    QuoteResolver,
    CaseResolver,
    RefundResolver,
    PortalResolver,
    PortalQuoteResolver,
    QuoteTabCountsResolver,
  ],
  start: (services) => services.followUps.start(FOLLOW_UP_INTERVAL_MS),
};

/** This feature's services, added to the app's services (see services.ts). */
export function createQuoteServices(deps: ServiceDeps, shared: { customers: CustomerService }) {
  return {
    quotes: new QuoteService(deps, shared.customers),
    followUps: new FollowUpService(deps),
  };
}
