import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { AccountCreditKind, RefundReason, StatementLineKind } from '@refunds/domain';
import { MoneyType, PageInfo, UserError } from '../platform/graphql/common-types';
import { DateTimeScalar } from '../platform/graphql/scalars';
import { Customer } from '../customers/customer.entity';

registerEnumType(AccountCreditKind, { name: 'OutstandingKind' });
registerEnumType(StatementLineKind, { name: 'StatementLineKind' });

@ObjectType('BankAccount')
export class BankAccountType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  currency: string;

  @Field(() => Date, {
    nullable: true,
    description: 'Set once archived: kept for past refunds, offered for no new ones.',
  })
  archivedAt: Date | null;
}

@ObjectType()
export class BankAccountPayload {
  @Field(() => BankAccountType, { nullable: true })
  bankAccount?: BankAccountType | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class OutstandingCredit {
  @Field(() => ID)
  id: string;

  @Field(() => AccountCreditKind)
  kind: AccountCreditKind;

  @Field()
  number: string;

  @Field(() => DateTimeScalar)
  date: Date;

  @Field(() => MoneyType, { description: 'Original value.' })
  amount: MoneyType;

  @Field(() => MoneyType, {
    description: 'What is left after allocations and refunds (the O/S column).',
  })
  outstanding: MoneyType;

  /** The credit note's reason or the payment's reference (an addition to the contract). */
  @Field(() => String, { nullable: true })
  description: string | null;
}

@ObjectType()
export class StatementLine {
  @Field(() => ID)
  id: string;

  @Field(() => DateTimeScalar)
  date: Date;

  @Field(() => StatementLineKind)
  kind: StatementLineKind;

  @Field()
  reference: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => MoneyType, {
    nullable: true,
    description: 'What the customer owes grows by debit and shrinks by credit.',
  })
  debit: MoneyType | null;

  @Field(() => MoneyType, { nullable: true })
  credit: MoneyType | null;

  @Field(() => MoneyType, { description: 'Account balance after this line.' })
  balance: MoneyType;
}

@ObjectType()
export class StatementConnection {
  @Field(() => [StatementLine])
  nodes: StatementLine[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

/** A customer's account; its parts are resolved on demand (see CustomerAccountResolver). */
@ObjectType()
export class CustomerAccount {
  @Field(() => Customer)
  customer: Customer;

  /** Not a field: the business the account was read for, so its parts stay scoped to it. */
  businessId: string;
}

@ObjectType()
export class OutstandingCreditPayload {
  @Field(() => OutstandingCredit, { nullable: true })
  credit?: OutstandingCredit | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class AccountRefund {
  @Field(() => ID)
  id: string;

  @Field()
  number: string;

  @Field(() => MoneyType)
  amount: MoneyType;

  @Field(() => BankAccountType)
  bankAccount: BankAccountType;

  @Field(() => OutstandingCredit)
  credit: OutstandingCredit;

  @Field(() => DateTimeScalar)
  recordedAt: Date;

  /** The reference given with the refund (an addition to the contract). */
  @Field(() => String, { nullable: true })
  reference: string | null;

  @Field(() => RefundReason, { nullable: true })
  reasonCategory: RefundReason | null;
}

@ObjectType()
export class RefundCreditNotePayload {
  @Field(() => AccountRefund, { nullable: true })
  refund?: AccountRefund | null;

  @Field(() => CustomerAccount, { nullable: true })
  account?: CustomerAccount | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}
