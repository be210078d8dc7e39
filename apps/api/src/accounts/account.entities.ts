import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RefundReason } from '@refunds/domain';
import { bigintColumn, instantColumn } from '../platform/db/columns';

/** A bank account of the business that refunds are paid out from. */
@Entity('bank_accounts')
export class BankAccountRow {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('text')
  name: string;

  @Column('char', { length: 3 })
  currency: string;

  @Column(instantColumn())
  createdAt: Date;

  /** Archived accounts stay for the refunds paid from them, but take no new refunds. */
  @Column(instantColumn({ nullable: true }))
  archivedAt: Date | null;
}

/**
 * A credit on a customer's account: a credit note (returned goods, goodwill) or a payment received.
 * Append-only: what has been taken from it lives in allocations and refunds, and its O/S is
 * derived from them.
 */
@Entity('account_credits')
export class AccountCreditRow {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  customerId: string;

  @Column('text')
  kind: 'CREDIT_NOTE' | 'PAYMENT';

  /** CN-000001 / PAY-000001, per business. */
  @Column('text')
  number: string;

  @Column(bigintColumn())
  amountMinor: bigint;

  @Column('char', { length: 3 })
  currency: string;

  /** The credit note's reason, or the payment's reference. */
  @Column('text', { nullable: true })
  description: string | null;

  /** For a payment recorded against an invoice: that quote. */
  @Column('uuid', { nullable: true })
  quoteId: string | null;

  @Column(instantColumn())
  createdAt: Date;

  @Column('uuid', { nullable: true })
  createdBy: string | null;
}

/** Part of a credit used to settle an invoice (a quote of the quotes flow). */
@Entity('account_allocations')
export class AccountAllocationRow {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  customerId: string;

  @Column('uuid')
  creditId: string;

  @Column('uuid')
  quoteId: string;

  @Column(bigintColumn())
  amountMinor: bigint;

  @Column('char', { length: 3 })
  currency: string;

  @Column(instantColumn())
  createdAt: Date;

  @Column('uuid', { nullable: true })
  createdBy: string | null;
}

/** Money paid out to the customer from a bank account, using up part of a credit. */
@Entity('account_refunds')
export class AccountRefundRow {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  businessId: string;

  @Column('uuid')
  customerId: string;

  @Column('uuid')
  creditId: string;

  @Column('uuid')
  bankAccountId: string;

  /** RF-000001, per business. */
  @Column('text')
  number: string;

  @Column(bigintColumn())
  amountMinor: bigint;

  @Column('char', { length: 3 })
  currency: string;

  @Column('text', { nullable: true })
  reference: string | null;

  /** Why the money went back, beside the reference. */
  @Column('text', { nullable: true })
  reasonCategory: RefundReason | null;

  @Column(instantColumn())
  createdAt: Date;

  @Column('uuid', { nullable: true })
  createdBy: string | null;
}
