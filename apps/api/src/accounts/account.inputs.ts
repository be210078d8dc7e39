import { Field, ID, InputType } from 'type-graphql';
import { RefundReason } from '@refunds/domain';
import { MoneyInput } from '../platform/graphql/common-types';
import { DecimalScalar } from '../platform/graphql/scalars';

@InputType()
export class CreateBankAccountInput {
  @Field()
  name: string;

  @Field()
  currency: string;
}

@InputType()
export class RenameBankAccountInput {
  @Field(() => ID)
  bankAccountId: string;

  @Field()
  name: string;
}

@InputType()
export class CreateCreditNoteInput {
  @Field(() => ID)
  customerId: string;

  @Field(() => MoneyInput)
  amount: MoneyInput;

  @Field(() => String, { nullable: true })
  reason?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType()
export class RecordPaymentInput {
  @Field(() => ID)
  customerId: string;

  @Field(() => MoneyInput)
  amount: MoneyInput;

  @Field(() => ID, {
    nullable: true,
    description: 'When given, the payment is allocated to this invoice up to what it still owes.',
  })
  quoteId?: string | null;

  @Field(() => String, { nullable: true })
  reference?: string | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType()
export class AllocateCreditInput {
  @Field(() => ID, { description: 'A credit note or a payment with something outstanding.' })
  creditId: string;

  @Field(() => ID)
  quoteId: string;

  @Field(() => DecimalScalar)
  amount: string;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}

@InputType()
export class RefundCreditNoteInput {
  @Field(() => ID, { description: 'A credit note or a payment with something outstanding.' })
  creditId: string;

  @Field(() => ID)
  bankAccountId: string;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Defaults to the whole outstanding amount.',
  })
  amount?: string | null;

  @Field(() => String, { nullable: true })
  reference?: string | null;

  @Field(() => RefundReason, { nullable: true })
  reasonCategory?: RefundReason | null;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'E-mail the customer what went back and why (kept on Sent mail without SMTP).',
  })
  notifyCustomer?: boolean | null;
}
