import { Ctx, Field, FieldResolver, Int, ObjectType, Resolver } from 'type-graphql';
import { QUOTE_TABS, QuoteTab, statusesOfTab } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { QuoteStatsType } from './quote.types';
import { statusCounts } from './quote-rollups';

@ObjectType('QuoteTabCount')
export class QuoteTabCount {
  @Field(() => QuoteTab)
  tab: QuoteTab;

  @Field(() => Int)
  count: number;
}

/**
 * How many quotes each tab lists, from the kept per-status counts (a handful of rows, moved in the
 * same transaction as every status change); which statuses a tab holds is the domain's
 * `statusesOfTab`, so a count always matches the list behind its tab.
 */
export async function quoteTabCounts(
  context: RequestContext,
  businessId: string,
): Promise<QuoteTabCount[]> {
  const byStatus = await statusCounts(context.services.db.manager, businessId);
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
