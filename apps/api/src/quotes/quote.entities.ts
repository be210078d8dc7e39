import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  ActivityKind,
  CaseStatus,
  FollowUpStage,
  QuoteStatus,
  RefundReason,
} from '@refunds/domain';
import { bigintColumn, instantColumn } from '../platform/db/columns';

/** A customer conversation; a quote opens one (YS-000123) unless it is linked to an existing one. */
@Entity('cases')
export class CaseRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  customerId: string;

  @Column('text')
  number: string;

  @Column('text')
  status: CaseStatus;

  @Column(bigintColumn({ nullable: true }))
  dealValueMinor: bigint | null;

  @Column('char', { length: 3 })
  currency: string;

  @Column(instantColumn())
  createdAt: Date;

  @Column(instantColumn())
  updatedAt: Date;
}

/** A quote, and once accepted an invoice. Status and timestamps change only through the rules. */
@Entity('quotes')
export class QuoteRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  customerId: string;

  @Column('uuid', { nullable: true })
  caseId: string | null;

  @Column('text')
  number: string;

  @Column('text', { nullable: true })
  title: string | null;

  @Column('text')
  status: QuoteStatus;

  @Column(bigintColumn())
  totalMinor: bigint;

  @Column('char', { length: 3 })
  currency: string;

  @Column(instantColumn())
  createdAt: Date;

  @Column('uuid', { nullable: true })
  createdBy: string | null;

  @Column(instantColumn({ nullable: true }))
  sentAt: Date | null;

  /** When it became an invoice: its issue date. */
  @Column(instantColumn({ nullable: true }))
  acceptedAt: Date | null;

  /** When the money arrived (may be earlier than when it was marked). */
  @Column(instantColumn({ nullable: true }))
  paidAt: Date | null;

  @Column(instantColumn({ nullable: true }))
  voidedAt: Date | null;

  @Column(instantColumn({ nullable: true }))
  refundedAt: Date | null;

  @Column('boolean')
  followUpsActive: boolean;

  /** Kept beside the ledger (same transaction): payments less reversals. */
  @Column(bigintColumn())
  paidMinor: bigint;

  /** Kept beside the ledger (same transaction): every refund of the invoice. */
  @Column(bigintColumn())
  refundedMinor: bigint;

  /** The account payments allocated to it that revenue counts (0 once void). */
  @Column(bigintColumn())
  cashAllocatedMinor: bigint;
}

@Entity('quote_line_items')
export class QuoteLineItemRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  quoteId: string;

  @Column('integer')
  position: number;

  @Column('text')
  description: string;

  @Column(bigintColumn())
  quantityUnscaled: bigint;

  @Column('smallint')
  quantityScale: number;

  @Column(bigintColumn())
  unitPriceMinor: bigint;

  @Column(bigintColumn())
  totalMinor: bigint;
}

/** A refund of a paid invoice, full or partial; several may follow one another. Append-only. */
@Entity('quote_refunds')
export class QuoteRefundRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  quoteId: string;

  @Column(bigintColumn())
  amountMinor: bigint;

  @Column('char', { length: 3 })
  currency: string;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('text', { nullable: true })
  reasonCategory: RefundReason | null;

  @Column(instantColumn())
  recordedAt: Date;

  @Column('uuid', { nullable: true })
  recordedBy: string | null;
}

/**
 * A payment "Mark paid" recorded, or the entry that reverses one ("Mark unpaid"). Append-only: a
 * mistake is corrected by a REVERSAL row that names the payment it reverses.
 */
@Entity('quote_payments')
export class QuotePaymentRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  quoteId: string;

  @Column('uuid')
  customerId: string;

  @Column('text')
  kind: 'PAYMENT' | 'REVERSAL';

  @Column(bigintColumn())
  amountMinor: bigint;

  @Column('char', { length: 3 })
  currency: string;

  /** When the money arrived (a payment) or was taken back (a reversal). */
  @Column(instantColumn())
  paidAt: Date;

  @Column(instantColumn())
  recordedAt: Date;

  @Column('uuid', { nullable: true })
  recordedBy: string | null;

  @Column('uuid', { nullable: true })
  reversesId: string | null;
}

/** The drawer's activity feed: append-only, read oldest first by (at, seq). */
@Entity('quote_activity')
export class QuoteActivityRecord {
  @PrimaryColumn('uuid')
  id: string;

  /** Insertion order, the tie-break between entries with the same instant. */
  @Column(bigintColumn({ insert: false, update: false }))
  seq: bigint;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  quoteId: string;

  @Column('text')
  kind: ActivityKind;

  @Column(instantColumn())
  at: Date;

  @Column('uuid', { nullable: true })
  actorMemberId: string | null;

  @Column('text', { nullable: true })
  actorName: string | null;

  @Column('text')
  message: string;

  @Column('text', { nullable: true })
  reason: string | null;
}

export type FollowUpStatus = 'PENDING' | 'SENT' | 'CANCELLED';

/** A scheduled nudge: the job the follow-up worker claims when it is due. */
@Entity('quote_follow_ups')
export class QuoteFollowUpRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  quoteId: string;

  @Column('text')
  stage: FollowUpStage;

  @Column('smallint')
  sequence: number;

  @Column(instantColumn())
  dueAt: Date;

  @Column('text')
  status: FollowUpStatus;

  @Column(instantColumn({ nullable: true }))
  sentAt: Date | null;

  @Column(instantColumn({ nullable: true }))
  cancelledAt: Date | null;
}

/** A nudge handed to the (future) mail transport. */
@Entity('follow_up_outbox')
export class FollowUpOutboxRecord {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  followUpId: string;

  @Column('uuid')
  quoteId: string;

  @Column('uuid')
  customerId: string;

  @Column('text', { nullable: true })
  toEmail: string | null;

  @Column('text')
  subject: string;

  @Column('text')
  body: string;

  @Column(instantColumn())
  createdAt: Date;

  @Column(instantColumn({ nullable: true }))
  deliveredAt: Date | null;
}
