import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver } from 'type-graphql';
import { QUOTE_TABS, type QuoteStatus, QuoteTab, statusesOfTab } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { QuoteStatsType } from './quote.types';

@ObjectType('QuoteTabCount')
export class QuoteTabCount {
  @Field(() => QuoteTab)
  tab: QuoteTab;

  @Field(() => Int)
  count: number;
}

/**
 * How many quotes each tab lists, from one grouped count; which statuses a tab holds is the
 * domain's `statusesOfTab`, so a count always matches the list behind its tab.
 */
export async function quoteTabCounts(
  context: RequestContext,
  businessId: string,
): Promise<QuoteTabCount[]> {
  const rows: Array<{ status: QuoteStatus; n: string | number }> =
    await context.services.db.manager.query(
      `SELECT status, COUNT(*) AS n FROM quotes WHERE business_id = $1 GROUP BY status`,
      [businessId],
    );
  const byStatus = new Map(rows.map((row) => [row.status, Number(row.n)]));
  return QUOTE_TABS.map((tab) => ({
    tab,
    count: statusesOfTab(tab).reduce((sum, status) => sum + (byStatus.get(status) ?? 0), 0),
  }));
}

/** `QuoteStats.tabCounts`: the numbers on the Quotes tabs. */
@Resolver(() => QuoteStatsType)
export class QuoteTabCountsResolver {
  @FieldResolver(() => [QuoteTabCount], { description: 'How many quotes each tab lists.' })
  tabCounts(@CurrentCaller() caller: Caller, @Ctx() context: RequestContext) {
    return quoteTabCounts(context, caller.businessId);
  }
}
