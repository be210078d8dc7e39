import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import { Permission, QuoteTab } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { MoneyType, toMoneyType } from '../platform/graphql/common-types';
import { Customer } from '../customers/customer.entity';
import { Member } from '../auth/auth.entities';
import { CreateQuoteInput, MarkPaidInput, RecordRefundInput } from './quote.inputs';
import {
  ActivityEventType,
  CaseType,
  LineItemType,
  QuoteConnection,
  QuotePayload,
  QuoteStatsType,
  QuoteType,
  RecordRefundPayload,
  RefundReasonTotalType,
  RefundType,
  RevenueType,
} from './quote.types';

/** Thin: authorize, call the quote service, load what the payload shows. */
@Resolver(() => QuoteType)
export class QuoteResolver {
  @Authorized(Permission.READ_MONEY)
  @Query(() => QuoteConnection)
  quotes(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('tab', () => QuoteTab, { nullable: true }) tab?: QuoteTab | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<QuoteConnection> {
    return services.quotes.list(caller.businessId, { tab, first, after });
  }

  @Authorized(Permission.READ_MONEY)
  @Query(() => QuoteType, { nullable: true })
  quote(
    @Arg('id', () => ID) id: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<QuoteType | null> {
    return services.quotes.find(caller.businessId, id);
  }

  @Authorized(Permission.READ_MONEY)
  @Query(() => QuoteStatsType)
  async quoteStats(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<QuoteStatsType> {
    const stats = await services.quotes.stats(caller.businessId);
    return {
      invoicesPaidCount: stats.invoicesPaidCount,
      invoicedThisMonth: toMoneyType(stats.invoicedThisMonth),
      tabs: [...stats.tabs],
    };
  }

  @Authorized(Permission.READ_MONEY)
  @Query(() => RevenueType)
  async revenue(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('days', () => Int, { nullable: true }) days?: number | null,
  ): Promise<RevenueType> {
    const series = await services.quotes.revenue(caller.businessId, days);
    return {
      total: toMoneyType(series.total),
      days: series.days.map((day) => ({ date: day.date, net: toMoneyType(day.net) })),
    };
  }

  @Authorized(Permission.READ_MONEY)
  @Query(() => [RefundReasonTotalType], {
    description:
      'Insights: money refunded (invoices and customer accounts) in the last `days` days (default 14, business time) by reason category, largest first.',
  })
  async refundsByReason(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('days', () => Int, { nullable: true }) days?: number | null,
  ): Promise<RefundReasonTotalType[]> {
    const totals = await services.quotes.refundsByReason(caller.businessId, days);
    return totals.map((row) => ({ ...row, amount: toMoneyType(row.amount) }));
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => QuotePayload)
  async createQuote(
    @Arg('input') input: CreateQuoteInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<QuotePayload> {
    const id = await services.quotes.create(caller, input);
    return { quote: await services.quotes.find(caller.businessId, id), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => QuotePayload)
  async sendQuote(
    @Arg('quoteId', () => ID) quoteId: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<QuotePayload> {
    const id = await services.quotes.send(caller, quoteId);
    return { quote: await services.quotes.find(caller.businessId, id), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => QuotePayload)
  async acceptQuote(
    @Arg('quoteId', () => ID) quoteId: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<QuotePayload> {
    const id = await services.quotes.accept(caller, quoteId);
    return { quote: await services.quotes.find(caller.businessId, id), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => QuotePayload)
  async markQuotePaid(
    @Arg('input') input: MarkPaidInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<QuotePayload> {
    const id = await services.quotes.markPaid(caller, input);
    return { quote: await services.quotes.find(caller.businessId, id), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => QuotePayload)
  async markQuoteUnpaid(
    @Arg('quoteId', () => ID) quoteId: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<QuotePayload> {
    const id = await services.quotes.markUnpaid(caller, quoteId);
    return { quote: await services.quotes.find(caller.businessId, id), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => QuotePayload)
  async voidQuote(
    @Arg('quoteId', () => ID) quoteId: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<QuotePayload> {
    const id = await services.quotes.void(caller, quoteId);
    return { quote: await services.quotes.find(caller.businessId, id), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => QuotePayload)
  async addQuoteNote(
    @Arg('quoteId', () => ID) quoteId: string,
    @Arg('body') body: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<QuotePayload> {
    const id = await services.quotes.addNote(caller, quoteId, body);
    return { quote: await services.quotes.find(caller.businessId, id), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => RecordRefundPayload)
  async recordRefund(
    @Arg('input') input: RecordRefundInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<RecordRefundPayload> {
    return { ...(await services.quotes.recordRefund(caller, input)), userErrors: [] };
  }

  // Field resolvers: a Quote only reaches a client through the queries and payloads above, all
  // behind READ_MONEY or WRITE_MONEY and scoped to the caller's business.

  @FieldResolver(() => Customer)
  async customer(@Root() quote: QuoteType, @Ctx() { services }: RequestContext): Promise<Customer> {
    const customer = await services.customers.load(quote.businessId, quote.customerId);
    if (!customer) throw new Error(`customer ${quote.customerId} of quote ${quote.id} is missing`);
    return customer;
  }

  @FieldResolver(() => CaseType, { nullable: true })
  case(@Root() quote: QuoteType, @Ctx() { services }: RequestContext): Promise<CaseType | null> {
    return services.quotes.caseOf(quote.businessId, quote.caseId);
  }

  @FieldResolver(() => [LineItemType])
  lineItems(
    @Root() quote: QuoteType,
    @Ctx() { services }: RequestContext,
  ): Promise<LineItemType[]> {
    return services.quotes.lineItems(quote.businessId, quote.id, quote.total.currency);
  }

  @FieldResolver(() => RefundType, {
    nullable: true,
    description: 'The refund that made the invoice REFUNDED (the last one, when several).',
  })
  refund(
    @Root() quote: QuoteType,
    @Ctx() { services }: RequestContext,
  ): Promise<RefundType | null> {
    return services.quotes.refundOf(quote);
  }

  @FieldResolver(() => [RefundType], {
    description:
      'Every refund of this invoice, oldest first; partial refunds leave it PAID. With `first` (at most 100), one page: pass the id of the last refund shown as `after` for the next.',
  })
  refunds(
    @Root() quote: QuoteType,
    @Ctx() { services }: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => ID, { nullable: true }) after?: string | null,
  ): Promise<RefundType[]> {
    return services.quotes.refundsOf(quote.businessId, quote.id, { first, after });
  }

  @FieldResolver(() => MoneyType, {
    description: "Zero in the quote's currency when nothing was refunded.",
  })
  async refundedAmount(
    @Root() quote: QuoteType,
    @Ctx() { services }: RequestContext,
  ): Promise<MoneyType> {
    return toMoneyType((await services.quotes.balancesOf(quote)).refunded);
  }

  @FieldResolver(() => MoneyType, {
    description:
      'What was marked paid and not reversed (zero when only credits on the account settle it); refunds do not lower it.',
  })
  async paidAmount(
    @Root() quote: QuoteType,
    @Ctx() { services }: RequestContext,
  ): Promise<MoneyType> {
    return toMoneyType((await services.quotes.balancesOf(quote)).paid);
  }

  @FieldResolver(() => MoneyType, { description: 'What was paid and not yet refunded.' })
  async refundableAmount(
    @Root() quote: QuoteType,
    @Ctx() { services }: RequestContext,
  ): Promise<MoneyType> {
    return toMoneyType((await services.quotes.balancesOf(quote)).refundable);
  }

  @FieldResolver(() => MoneyType, {
    description:
      'What the invoice still owes after payments and allocations, whichever flow recorded them.',
  })
  async outstanding(
    @Root() quote: QuoteType,
    @Ctx() { services }: RequestContext,
  ): Promise<MoneyType> {
    return toMoneyType((await services.quotes.balancesOf(quote)).outstanding);
  }

  @FieldResolver(() => [ActivityEventType], {
    description:
      'Oldest first. With `first` (at most 100), one page: pass the id of the last entry shown as `after` for the next.',
  })
  activity(
    @Root() quote: QuoteType,
    @Ctx() { services }: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => ID, { nullable: true }) after?: string | null,
  ): Promise<ActivityEventType[]> {
    return services.quotes.activity(quote.businessId, quote.id, { first, after });
  }
}

@Resolver(() => CaseType)
export class CaseResolver {
  @FieldResolver(() => Customer)
  async customer(@Root() found: CaseType, @Ctx() { services }: RequestContext): Promise<Customer> {
    const customer = await services.customers.load(found.businessId, found.customerId);
    if (!customer) throw new Error(`customer ${found.customerId} of case ${found.id} is missing`);
    return customer;
  }
}

@Resolver(() => RefundType)
export class RefundResolver {
  @FieldResolver(() => Member, { nullable: true })
  recordedBy(
    @Root() refund: RefundType,
    @Ctx() { services }: RequestContext,
  ): Promise<Member | null> {
    return refund.recordedById
      ? services.auth.loadMember(refund.businessId, refund.recordedById).then((m) => m ?? null)
      : Promise.resolve(null);
  }
}
