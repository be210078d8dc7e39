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
import { CreditTransactionKind, Permission } from '@refunds/domain';
import { Member } from '../auth/auth.entities';
import { Customer } from '../customers/customer.entity';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { DecimalScalar } from '../platform/graphql/scalars';
import {
  AdjustBalanceInput,
  DeleteTransactionInput,
  RecordCreditInput,
  RefundTransactionInput,
} from './credit.inputs';
import type { CreditOutcome } from './credit.service';
import {
  CreditTransaction,
  CreditTransactionConnection,
  CreditTransactionPayload,
} from './credit.types';

/** The credit wallet's mutations and list: authorize, call the service, show the result. */
@Resolver()
export class CreditResolver {
  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => CreditTransactionPayload, {
    description: 'Credits bought through a payment system: a PURCHASE entry.',
  })
  async recordCreditPurchase(
    @Arg('input') input: RecordCreditInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<CreditTransactionPayload> {
    return show(caller, await services.credits.recordPurchase(caller, input));
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => CreditTransactionPayload, {
    description: 'Credits used: a SPEND entry; never below a zero balance.',
  })
  async recordCreditSpend(
    @Arg('input') input: RecordCreditInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<CreditTransactionPayload> {
    return show(caller, await services.credits.recordSpend(caller, input));
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => CreditTransactionPayload, {
    description: 'Gives back credits of a SPEND as a REFUND entry linked to it.',
  })
  async refundTransaction(
    @Arg('input') input: RefundTransactionInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<CreditTransactionPayload> {
    return show(caller, await services.credits.refund(caller, input));
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => CreditTransactionPayload, {
    description: 'A signed correction with a comment: an ADJUSTMENT entry.',
  })
  async adjustBalance(
    @Arg('input') input: AdjustBalanceInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<CreditTransactionPayload> {
    return show(caller, await services.credits.adjust(caller, input));
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => CreditTransactionPayload, {
    description:
      'Undoes a REFUND or ADJUSTMENT entered by mistake with a REVERSAL entry linked to it: the entry stays listed, shown deleted, and its credits are reversed.',
  })
  async deleteTransaction(
    @Arg('input') input: DeleteTransactionInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<CreditTransactionPayload> {
    return show(caller, await services.credits.delete(caller, input));
  }

  @Authorized(Permission.READ_MONEY)
  @Query(() => CreditTransactionConnection, { description: 'Newest first.' })
  creditTransactions(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('customerId', () => ID, { nullable: true }) customerId?: string | null,
    @Arg('kind', () => CreditTransactionKind, { nullable: true })
    kind?: CreditTransactionKind | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('from', () => String, {
      nullable: true,
      description: 'First business-local day (YYYY-MM-DD) to list, included.',
    })
    from?: string | null,
    @Arg('to', () => String, {
      nullable: true,
      description: 'Last business-local day (YYYY-MM-DD) to list, included.',
    })
    to?: string | null,
  ): Promise<CreditTransactionConnection> {
    return services.credits.list(caller.businessId, { customerId, kind, from, to, first, after });
  }
}

/**
 * The payload from what the use case committed (no read after the commit); its customer is
 * loaded only when the query asks for it (see CreditTransactionPayloadResolver).
 */
function show(caller: Caller, outcome: CreditOutcome): CreditTransactionPayload {
  return {
    transaction: outcome.transaction,
    reversal: outcome.reversal,
    businessId: caller.businessId,
    customerId: outcome.customerId,
    userErrors: [],
  };
}

/** A credit payload's customer, read only when asked for, after the use case committed. */
@Resolver(() => CreditTransactionPayload)
export class CreditTransactionPayloadResolver {
  @FieldResolver(() => Customer, { nullable: true })
  async customer(
    @Root() payload: CreditTransactionPayload,
    @Ctx() { services }: RequestContext,
  ): Promise<Customer | null> {
    if (payload.customer !== undefined) return payload.customer;
    if (!payload.businessId || !payload.customerId) return null;
    return services.customers.find(payload.businessId, payload.customerId);
  }
}

/** The linked parts of an entry, loaded in batches only when a query asks for them. */
@Resolver(() => CreditTransaction)
export class CreditTransactionResolver {
  @FieldResolver(() => Customer)
  async customer(
    @Root() entry: CreditTransaction,
    @Ctx() { services }: RequestContext,
  ): Promise<Customer> {
    const customer = await services.customers.load(entry.businessId, entry.customerId);
    if (!customer) throw new Error(`customer ${entry.customerId} of an entry is missing`);
    return customer;
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Null when an API key made it.' })
  async createdBy(
    @Root() entry: CreditTransaction,
    @Ctx() { services }: RequestContext,
  ): Promise<Member | null> {
    if (!entry.createdById) return null;
    return (await services.auth.loadMember(entry.businessId, entry.createdById)) ?? null;
  }

  @FieldResolver(() => CreditTransaction, {
    nullable: true,
    description: 'For a REFUND: the transaction it refunds.',
  })
  async refundOf(
    @Root() entry: CreditTransaction,
    @Ctx() { services }: RequestContext,
  ): Promise<CreditTransaction | null> {
    if (!entry.refundOfId) return null;
    return (await services.credits.transactionById(entry.businessId, entry.refundOfId)) ?? null;
  }

  @FieldResolver(() => CreditTransaction, {
    nullable: true,
    description: 'For a deleted entry: the REVERSAL entry that undid it.',
  })
  async reversedBy(
    @Root() entry: CreditTransaction,
    @Ctx() { services }: RequestContext,
  ): Promise<CreditTransaction | null> {
    if (!entry.reversedById) return null;
    return (await services.credits.transactionById(entry.businessId, entry.reversedById)) ?? null;
  }

  @FieldResolver(() => CreditTransaction, {
    nullable: true,
    description: 'For a REVERSAL: the entry it undoes.',
  })
  async reverses(
    @Root() entry: CreditTransaction,
    @Ctx() { services }: RequestContext,
  ): Promise<CreditTransaction | null> {
    if (!entry.reversesId) return null;
    return (await services.credits.transactionById(entry.businessId, entry.reversesId)) ?? null;
  }

  @FieldResolver(() => Member, { nullable: true, description: 'Who deleted it, when deleted.' })
  async deletedBy(
    @Root() entry: CreditTransaction,
    @Ctx() { services }: RequestContext,
  ): Promise<Member | null> {
    if (!entry.deletedById) return null;
    return (await services.auth.loadMember(entry.businessId, entry.deletedById)) ?? null;
  }
}

/** `Customer.creditBalance` and the customer's recent corrections: money, so READ_MONEY only. */
@Resolver(() => Customer)
export class CustomerCreditResolver {
  @Authorized(Permission.READ_MONEY)
  @FieldResolver(() => DecimalScalar, {
    description: 'Credits held in the wallet (seed flow: transactions).',
  })
  async creditBalance(
    @Root() customer: Customer,
    @Ctx() { services }: RequestContext,
  ): Promise<string> {
    return (await services.credits.balance(customer.businessId, customer.id)).toString();
  }

  @Authorized(Permission.READ_MONEY)
  @FieldResolver(() => [CreditTransaction], {
    description: 'The latest balance corrections (ADJUSTMENT entries), newest first.',
  })
  recentCreditCorrections(
    @Root() customer: Customer,
    @Ctx() { services }: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 5 }) first?: number | null,
  ): Promise<CreditTransaction[]> {
    return services.credits.recentCorrections(customer.businessId, customer.id, first);
  }
}
