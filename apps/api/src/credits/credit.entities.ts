import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CreditTransactionKind } from '@refunds/domain';
import { bigintColumn, instantColumn } from '../platform/db/columns';

/**
 * One entry of a customer's credit ledger. Append-only: the only change an entry ever sees is
 * being marked deleted (a REFUND or ADJUSTMENT entered by mistake), after which it stops counting.
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

  @Column(instantColumn({ nullable: true }))
  deletedAt: Date | null;

  @Column('uuid', { nullable: true })
  deletedBy: string | null;

  @Column('text', { nullable: true })
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
