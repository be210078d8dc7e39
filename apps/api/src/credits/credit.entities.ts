import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CreditTransactionKind, RefundReason } from '@refunds/domain';
import { bigintColumn, instantColumn } from '../platform/db/columns';

/**
 * One entry of a customer's credit ledger. Append-only, enforced by a trigger: a REFUND or
 * ADJUSTMENT entered by mistake is undone by a REVERSAL entry linked to it, never by a change.
 */
@Entity('credit_transactions')
export class CreditTransactionRow {
  @PrimaryColumn('uuid')
  id: string;

  /** Insertion order; the keyset of the newest-first list. */
  @Column(bigintColumn({ insert: false, update: false }))
  seq: bigint;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  customerId: string;

  @Column('text')
  kind: CreditTransactionKind;

  /** Signed whole credits: + adds to the balance, - takes from it. */
  @Column(bigintColumn())
  credits: bigint;

  @Column(bigintColumn())
  balanceAfter: bigint;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('uuid', { nullable: true })
  refundOfId: string | null;

  @Column(instantColumn())
  createdAt: Date;

  /** The member who entered it; null when an API key did. */
  @Column('uuid', { nullable: true })
  createdBy: string | null;

  @Column('uuid', { nullable: true })
  createdByApiKey: string | null;

  /** For a REVERSAL: the entry it undoes (at most one reversal per entry). */
  @Column('uuid', { nullable: true })
  reversesId: string | null;

  /** For a REFUND or REVERSAL: why, beside the free text. */
  @Column('text', { nullable: true })
  reasonCategory: RefundReason | null;

  // How deletions were recorded before reversal entries; kept as history, never written again.
  @Column(instantColumn({ nullable: true, insert: false, update: false }))
  deletedAt: Date | null;

  @Column({ type: 'uuid', nullable: true, insert: false, update: false })
  deletedBy: string | null;

  @Column({ type: 'text', nullable: true, insert: false, update: false })
  deleteReason: string | null;
}

/** A customer's balance, kept beside the entries in the same transaction; the row credit use cases lock. */
@Entity('credit_wallets')
export class CreditWalletRow {
  @PrimaryColumn('uuid')
  customerId: string;

  @Column('uuid')
  businessId: string;

  @Column(bigintColumn())
  balance: bigint;
}
