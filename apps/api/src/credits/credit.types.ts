import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CreditTransactionKind, RefundReason } from '@refunds/domain';
import { Customer } from '../customers/customer.entity';
import { PageInfo, UserError } from '../platform/graphql/common-types';
import { DecimalScalar } from '../platform/graphql/scalars';

registerEnumType(CreditTransactionKind, { name: 'CreditTransactionKind' });

/**
 * An entry as the API shows it. The ids behind `customer`, `createdBy`, `refundOf` and `deletedBy`
 * are kept here and resolved (batched) only when a query asks for them.
 */
@ObjectType('CreditTransaction')
export class CreditTransaction {
  @Field(() => ID)
  id: string;

  @Field(() => CreditTransactionKind)
  kind: CreditTransactionKind;

  @Field(() => DecimalScalar, { description: 'Signed: + adds to the balance, - takes from it.' })
  credits: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field()
  createdAt: Date;

  @Field(() => DecimalScalar, {
    description: 'For a SPEND: credits refunded so far, and what may still be refunded.',
  })
  refundedCredits: string;

  @Field(() => DecimalScalar)
  refundableCredits: string;

  @Field({
    description: 'A deleted entry stays visible, no longer counts, and cannot be deleted twice.',
  })
  deleted: boolean;

  @Field(() => Date, { nullable: true })
  deletedAt: Date | null;

  @Field(() => String, { nullable: true })
  deleteReason: string | null;

  @Field(() => RefundReason, { nullable: true })
  reasonCategory: RefundReason | null;

  @Field(() => DecimalScalar)
  balanceAfter: string;

  businessId: string;
  customerId: string;
  createdById: string | null;
  refundOfId: string | null;
  deletedById: string | null;
  /** The REVERSAL entry that undid this one, if any. */
  reversedById: string | null;
  /** For a REVERSAL: the entry it undoes. */
  reversesId: string | null;
  /** The keyset position in the newest-first list. */
  seq: string;
}

@ObjectType()
export class CreditTransactionConnection {
  @Field(() => [CreditTransaction])
  nodes: CreditTransaction[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType()
export class CreditTransactionPayload {
  @Field(() => CreditTransaction, { nullable: true })
  transaction?: CreditTransaction | null;

  @Field(() => CreditTransaction, {
    nullable: true,
    description: 'For deleteTransaction: the REVERSAL entry it added.',
  })
  reversal?: CreditTransaction | null;

  @Field(() => Customer, { nullable: true })
  customer?: Customer | null;

  @Field(() => [UserError])
  userErrors: UserError[];

  /** Whose customer `customer` loads when a query asks for it (absent on an error payload). */
  businessId?: string;
  customerId?: string;
}
