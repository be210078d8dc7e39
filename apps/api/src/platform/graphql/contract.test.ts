import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';
import { buildApiSchema } from './schema';

const contractPath = path.resolve(__dirname, '../../../../../contract/schema.graphql');

/**
 * What the emitted schema does not have yet, as graphql-js describes it. Each flow removes its
 * names as it lands; the list ends empty. Anything else findBreakingChanges reports fails the test.
 */
const STILL_MISSING: string[] = [
  // quotes (issue 3)
  'ActivityEvent was removed.',
  'Case was removed.',
  'CaseStatus was removed.',
  'LineItem was removed.',
  'LineItemInput was removed.',
  'Quote was removed.',
  'QuoteStatus was removed.',
  'QuoteTab was removed.',
  'QuoteConnection was removed.',
  'QuoteStats was removed.',
  'Revenue was removed.',
  'RevenueDay was removed.',
  'CreateQuoteInput was removed.',
  'MarkPaidInput was removed.',
  'RecordRefundInput was removed.',
  'QuotePayload was removed.',
  'RecordRefundPayload was removed.',
  'Refund was removed.',
  'Portal was removed.',
  'PortalQuote was removed.',
  'PortalRefundBanner was removed.',
  'Query.quotes was removed.',
  'Query.quote was removed.',
  'Query.quoteStats was removed.',
  'Query.revenue was removed.',
  'Query.portal was removed.',
  'Mutation.createQuote was removed.',
  'Mutation.sendQuote was removed.',
  'Mutation.acceptQuote was removed.',
  'Mutation.markQuotePaid was removed.',
  'Mutation.markQuoteUnpaid was removed.',
  'Mutation.voidQuote was removed.',
  'Mutation.addQuoteNote was removed.',
  'Mutation.recordRefund was removed.',
  // credits (issue 4)
  'CreditTransaction was removed.',
  'CreditTransactionConnection was removed.',
  'CreditTransactionKind was removed.',
  'CreditTransactionPayload was removed.',
  'RecordCreditInput was removed.',
  'RefundTransactionInput was removed.',
  'AdjustBalanceInput was removed.',
  'DeleteTransactionInput was removed.',
  'Customer.creditBalance was removed.',
  'Query.creditTransactions was removed.',
  'Mutation.recordCreditPurchase was removed.',
  'Mutation.recordCreditSpend was removed.',
  'Mutation.refundTransaction was removed.',
  'Mutation.adjustBalance was removed.',
  'Mutation.deleteTransaction was removed.',
];

describe('the public contract (contract/schema.graphql)', () => {
  it('is a copy of ../shared/contract/schema.graphql when that is beside the repo', () => {
    const shared = path.resolve(__dirname, '../../../../../../shared/contract/schema.graphql');
    let upstream: string;
    try {
      upstream = readFileSync(shared, 'utf8');
    } catch {
      return; // a clone without shared/ beside it has only the committed copy to check against
    }
    expect(readFileSync(contractPath, 'utf8')).toBe(upstream);
  });

  it('is contained in the emitted schema, but for the fields still listed as missing', async () => {
    const contract = buildSchema(readFileSync(contractPath, 'utf8'));
    const emitted = await buildApiSchema();
    const breaking = findBreakingChanges(contract, emitted).map((change) => change.description);
    expect([...breaking].sort()).toEqual([...STILL_MISSING].sort());
  });
});
