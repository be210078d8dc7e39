import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CaseStatus, QuoteStatus, QuoteTab, RefundReason } from '@refunds/domain';
import { MoneyType, PageInfo, UserError } from '../platform/graphql/common-types';
import { DecimalScalar } from '../platform/graphql/scalars';

registerEnumType(QuoteStatus, { name: 'QuoteStatus' });
registerEnumType(QuoteTab, { name: 'QuoteTab' });
registerEnumType(CaseStatus, { name: 'CaseStatus' });

@ObjectType('Case')
export class CaseType {
  @Field(() => ID)
  id: string;

  @Field({ description: 'YS-000123 style, unique within the business.' })
  number: string;

  @Field(() => CaseStatus)
  status: CaseStatus;

  @Field(() => MoneyType, { nullable: true })
  dealValue: MoneyType | null;

  // Not in the schema: what the field resolvers need.
  businessId: string;
  customerId: string;
}

@ObjectType('LineItem')
export class LineItemType {
  @Field()
  description: string;

  @Field(() => DecimalScalar)
  quantity: string;

  @Field(() => MoneyType)
  unitPrice: MoneyType;

  @Field(() => MoneyType)
  total: MoneyType;
}

@ObjectType('ActivityEvent')
export class ActivityEventType {
  @Field(() => ID)
  id: string;

  @Field()
  at: Date;

  @Field({
    description:
      'CREATED, SENT, ACCEPTED, MARKED_PAID, MARKED_UNPAID, REFUND_RECORDED, VOIDED, NOTE_ADDED, FOLLOW_UP_SENT, ...',
  })
  kind: string;

  @Field(() => String, { nullable: true })
  actorName: string | null;

  @Field()
  message: string;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@ObjectType('Refund')
export class RefundType {
  @Field(() => ID)
  id: string;

  @Field(() => MoneyType)
  amount: MoneyType;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field(() => RefundReason, { nullable: true })
  reasonCategory: RefundReason | null;

  @Field()
  recordedAt: Date;

  businessId: string;
  recordedById: string | null;
}

@ObjectType('Quote')
export class QuoteType {
  @Field(() => ID)
  id: string;

  @Field()
  number: string;

  @Field(() => String, { nullable: true })
  title: string | null;

  @Field(() => QuoteStatus)
  status: QuoteStatus;

  @Field()
  createdAt: Date;

  @Field(() => MoneyType)
  total: MoneyType;

  @Field(() => Date, { nullable: true })
  paidAt: Date | null;

  @Field({ description: 'Whether automatic follow-ups may still nudge this quote.' })
  followUpsActive: boolean;

  // Not in the schema: what the field resolvers need.
  totalMinor: bigint;
  businessId: string;
  customerId: string;
  caseId: string | null;
  /** The kept ledger totals of the row (payments less reversals, refunds). */
  paidMinor: bigint;
  refundedMinor: bigint;
  /** Known when the quote comes from the transaction that wrote it (a mutation's payload). */
  allocatedMinor?: bigint;
  lastRefund?: RefundType;
}

@ObjectType('QuoteConnection')
export class QuoteConnection {
  @Field(() => [QuoteType])
  nodes: QuoteType[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType('QuoteStats')
export class QuoteStatsType {
  @Field(() => Int, { description: 'Invoices whose status is PAID now.' })
  invoicesPaidCount: number;

  @Field(() => MoneyType, {
    description:
      'Totals of invoices (ACCEPTED or PAID) issued in the current month, business time.',
  })
  invoicedThisMonth: MoneyType;

  @Field(() => [QuoteTab], {
    description: 'Tabs to show; REFUNDED only once the business has a refund.',
  })
  tabs: QuoteTab[];
}

@ObjectType('RevenueDay')
export class RevenueDayType {
  @Field({ description: 'YYYY-MM-DD in the business timezone.' })
  date: string;

  @Field(() => MoneyType, {
    description: 'Payments received that day minus refunds recorded that day.',
  })
  net: MoneyType;
}

@ObjectType('Revenue')
export class RevenueType {
  @Field(() => MoneyType)
  total: MoneyType;

  @Field(() => [RevenueDayType], {
    description: 'One entry per day, oldest first, exactly `days` long.',
  })
  days: RevenueDayType[];
}

@ObjectType('QuotePayload')
export class QuotePayload {
  @Field(() => QuoteType, { nullable: true })
  quote?: QuoteType | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType('RecordRefundPayload')
export class RecordRefundPayload {
  @Field(() => RefundType, { nullable: true })
  refund?: RefundType | null;

  @Field(() => QuoteType, { nullable: true })
  quote?: QuoteType | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType('PortalRefundBanner')
export class PortalRefundBannerType {
  @Field({
    description: "The owner's reason, or a generic line that the money is on its way back.",
  })
  message: string;

  @Field(() => String, { nullable: true })
  reason: string | null;
}

@ObjectType('PortalQuote')
export class PortalQuoteType {
  @Field()
  number: string;

  @Field(() => QuoteStatus)
  status: QuoteStatus;

  @Field(() => MoneyType)
  total: MoneyType;

  @Field(() => MoneyType)
  refundedAmount: MoneyType;

  @Field(() => Date, { nullable: true })
  refundedAt: Date | null;

  @Field(() => PortalRefundBannerType, { nullable: true })
  refundBanner: PortalRefundBannerType | null;

  // Not in the schema: what the lineItems field resolver needs.
  businessId: string;
  quoteId: string;
}

@ObjectType('Portal')
export class PortalType {
  @Field()
  businessName: string;

  @Field()
  customerName: string;

  @Field({
    description:
      "The business's ISO 3166-1 country: the portal formats money and dates in the business's locale, as the admin does.",
  })
  businessCountry: string;

  @Field(() => [PortalQuoteType])
  quotes: PortalQuoteType[];

  // creditBalance is a field resolver (it reads the credits flow).
  businessId: string;
  customerId: string;
}

@ObjectType('RefundReasonTotal', {
  description: 'Insights: the refunds of a period that share a reason category.',
})
export class RefundReasonTotalType {
  @Field(() => RefundReason, {
    nullable: true,
    description: 'Null: refunds recorded without a category.',
  })
  reason: RefundReason | null;

  @Field(() => Int)
  count: number;

  @Field(() => MoneyType)
  amount: MoneyType;
}
