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
import { Permission } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { MoneyType, toMoneyType } from '../platform/graphql/common-types';
import { Customer } from '../customers/customer.entity';
import {
  AllocateCreditInput,
  CreateBankAccountInput,
  CreateCreditNoteInput,
  RecordPaymentInput,
  RefundCreditNoteInput,
  RenameBankAccountInput,
} from './account.inputs';
import {
  BankAccountPayload,
  BankAccountType,
  CustomerAccount,
  OutstandingCredit,
  OutstandingCreditPayload,
  RefundCreditNotePayload,
  StatementConnection,
} from './account.types';
import { OUTSTANDING_CREDITS_DEFAULT_PAGE } from './account.service';
import { MAX_PAGE_SIZE } from '../platform/pagination';

@Resolver()
export class AccountResolver {
  @Authorized(Permission.READ_MONEY)
  @Query(() => [BankAccountType])
  bankAccounts(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('includeArchived', () => Boolean, {
      nullable: true,
      description: 'Archived accounts too (settings); refund forms leave them out.',
    })
    includeArchived?: boolean | null,
  ): Promise<BankAccountType[]> {
    return services.accounts.listBankAccounts(caller.businessId, includeArchived ?? false);
  }

  @Authorized(Permission.READ_MONEY)
  @Query(() => CustomerAccount, { nullable: true })
  async customerAccount(
    @Arg('customerId', () => ID) customerId: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<CustomerAccount | null> {
    const customer = await services.accounts.findCustomer(caller.businessId, customerId);
    return customer ? { customer, businessId: caller.businessId } : null;
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => BankAccountPayload)
  async createBankAccount(
    @Arg('input') input: CreateBankAccountInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<BankAccountPayload> {
    return {
      bankAccount: await services.accounts.createBankAccount(caller, input),
      userErrors: [],
    };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => BankAccountPayload)
  async renameBankAccount(
    @Arg('input') input: RenameBankAccountInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<BankAccountPayload> {
    return {
      bankAccount: await services.accounts.renameBankAccount(caller, input),
      userErrors: [],
    };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => BankAccountPayload, {
    description: 'Past refunds keep it; new refunds can no longer choose it.',
  })
  async archiveBankAccount(
    @Arg('bankAccountId', () => ID) bankAccountId: string,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<BankAccountPayload> {
    return {
      bankAccount: await services.accounts.archiveBankAccount(caller, bankAccountId),
      userErrors: [],
    };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => OutstandingCreditPayload)
  async createCreditNote(
    @Arg('input') input: CreateCreditNoteInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<OutstandingCreditPayload> {
    return { credit: await services.accounts.createCreditNote(caller, input), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => OutstandingCreditPayload)
  async recordPayment(
    @Arg('input') input: RecordPaymentInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<OutstandingCreditPayload> {
    return { credit: await services.accounts.recordPayment(caller, input), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => OutstandingCreditPayload)
  async allocateCredit(
    @Arg('input') input: AllocateCreditInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<OutstandingCreditPayload> {
    return { credit: await services.accounts.allocateCredit(caller, input), userErrors: [] };
  }

  @Authorized(Permission.WRITE_MONEY)
  @Mutation(() => RefundCreditNotePayload)
  async refundCreditNote(
    @Arg('input') input: RefundCreditNoteInput,
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<RefundCreditNotePayload> {
    return { ...(await services.accounts.refundCreditNote(caller, input)), userErrors: [] };
  }
}

/** The parts of a customer's account, read only when asked for. */
@Resolver(() => CustomerAccount)
export class CustomerAccountResolver {
  @FieldResolver(() => MoneyType)
  async balance(
    @Root() account: CustomerAccount,
    @Ctx() { services }: RequestContext,
  ): Promise<MoneyType> {
    return toMoneyType(await services.accounts.balance(account.businessId, account.customer.id));
  }

  @FieldResolver(() => [OutstandingCredit], {
    description: `Oldest first, ${OUTSTANDING_CREDITS_DEFAULT_PAGE} at most unless \`first\` says (1 to ${MAX_PAGE_SIZE}).`,
  })
  outstandingCredits(
    @Root() account: CustomerAccount,
    @Ctx() { services }: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The id of the last credit of the previous page.',
    })
    after?: string | null,
  ): Promise<OutstandingCredit[]> {
    return services.accounts.outstandingCredits(account.businessId, account.customer.id, {
      first,
      after,
    });
  }

  @FieldResolver(() => StatementConnection, { description: 'Oldest first.' })
  statement(
    @Root() account: CustomerAccount,
    @Ctx() { services }: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('from', () => String, {
      nullable: true,
      description: 'First business-local day (YYYY-MM-DD), included; balances count earlier lines.',
    })
    from?: string | null,
    @Arg('to', () => String, {
      nullable: true,
      description: 'Last business-local day (YYYY-MM-DD), included.',
    })
    to?: string | null,
  ): Promise<StatementConnection> {
    return services.accounts.statement(account.businessId, account.customer.id, {
      first,
      after,
      from,
      to,
    });
  }
}

/** `Customer.accountBalance`: money, so only for those who may read money. */
@Resolver(() => Customer)
export class CustomerAccountBalanceResolver {
  @Authorized(Permission.READ_MONEY)
  @FieldResolver(() => MoneyType, {
    description: 'What the customer owes (+) or is owed (-) on account, in the business currency.',
  })
  async accountBalance(
    @Root() customer: Customer,
    @Ctx() { services }: RequestContext,
  ): Promise<MoneyType> {
    return toMoneyType(await services.accounts.balance(customer.businessId, customer.id));
  }
}
