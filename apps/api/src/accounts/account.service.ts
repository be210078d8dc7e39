import {
  type AccountCreditKind,
  type AccountCreditState,
  type AccountInvoiceState,
  type AccountQuoteStatus,
  type CurrencyCode,
  DomainError,
  type Money,
  type StatementLineKind,
  UserErrorCode,
  creditOutstanding,
  hasOutstanding,
  decideAccountRefund,
  describeAccountMoney,
  BadInputError,
  decideAllocation,
  decidePayment,
  money,
  parseAccountAmount,
  parseAccountText,
  parseBankAccount,
  parseOptionalAccountAmount,
  parsePositiveMoney,
  type RefundReason,
  balanceBefore,
  runningBalances,
  toDecimalString,
  unwrap,
  zero,
  EventType,
} from '@refunds/domain';
import { accountRefundBatchAlone, refundsRecorded } from '../platform/observability/metrics';
import { type GroupCommit, groupCommitOn, writeInBatch } from '../platform/db/group-commit';
import {
  type AccountRefundAnswer,
  type BatchedAccountRefund,
  type CreditRowWithOutstanding,
  type LockedCreditRefund,
  type PreparedAccountRefund,
  REFUND_PREFIX,
  writeAccountRefundBatch,
} from './account-refund.batch';
import { auditStatement, recordAudit } from '../audit/audit.recorder';
import { eventStatement } from '../outbound/event.recorder';
import { queueRefundNotice } from '../outbound/mail.queue';
import { IsNull } from 'typeorm';
import type { ServiceDeps } from '../services';
import type { Transaction } from '../platform/db/database';
import { formatNumber, nextNumber } from '../platform/db/counters';
import { sql, sqlAll, type Statement } from '../platform/db/statements';
import { type LateText, lateText } from '../platform/db/late-text';
import type { IdempotencyClaim } from '../platform/idempotency';
import type { Caller } from '../platform/graphql/context';
import { isUuid, newId } from '../platform/ids';
import { decodeCursor, encodeCursor, pageSize } from '../platform/pagination';
import { parseLocalDateRange } from '../platform/local-date-range';
import { BatchLoader } from '../platform/batch-loader';
import { toMoneyType } from '../platform/graphql/common-types';
import { Customer } from '../customers/customer.entity';
import type { CustomerService } from '../customers/customer.service';
import {
  AccountAllocationRow,
  AccountCreditRow,
  AccountRefundRow,
  BankAccountRow,
} from './account.entities';
import type {
  AccountRefund,
  CustomerAccount,
  OutstandingCredit,
  StatementConnection,
  StatementLine,
} from './account.types';
import { INVOICE_STATUSES_SQL, QUOTES_TABLE } from './quote-source';
import { loadInvoiceLedger, settleInvoiceIfPaidInFull } from '../quotes/invoice-writes';

const notFound = (field: string[], what: string) =>
  new DomainError(UserErrorCode.NOT_FOUND, `We could not find that ${what}.`, field);

const NUMBER_PREFIX: Record<AccountCreditKind, string> = { CREDIT_NOTE: 'CN', PAYMENT: 'PAY' };

/**
 * A credit with what has been taken from it, kept beside the append-only credit in
 * account_credit_totals (allocations to invoices still due, and refunds) by the triggers of
 * migration 1795410200000, in the same transaction as each entry.
 */
const CREDIT_WITH_OUTSTANDING = `
  SELECT c.id, c.kind, c.number, c.created_at, c.amount_minor, c.currency, c.description,
         c.customer_id, t.allocated_minor, t.refunded_minor
  FROM account_credits c JOIN account_credit_totals t ON t.credit_id = c.id`;

/** The most outstanding credits one page returns when the caller does not say. */
export const OUTSTANDING_CREDITS_DEFAULT_PAGE = 100;

/** refundCreditNote's input, as the resolver passes it. */
export interface RefundCreditNoteRequest {
  creditId: string;
  bankAccountId: string;
  amount?: string | null;
  reference?: string | null;
  reasonCategory?: RefundReason | null;
  idempotencyKey?: string | null;
  notifyCustomer?: boolean | null;
}

interface StatementRow {
  date: Date;
  date_key: string;
  rank: number;
  src: string;
  kind: StatementLineKind;
  reference: string;
  description: string | null;
  debit_minor: string | null;
  credit_minor: string | null;
  /** For an allocation: how much it moved from the credit to the invoice. */
  allocated_minor: string | null;
  /** The account balance after this line, kept in the projection. */
  balance_minor: string;
}

/**
 * One page of a customer's statement from its projection (statement_lines, migration
 * 1795410200000): a keyset range of (date, rank, src), the statement's order, then the parts of
 * a line that follow mutable rows read for those lines only: an invoice's title, an allocation
 * released by a void, the name of the bank account a refund was paid from. `$where` holds the
 * page's conditions on `l`; the last parameter is the limit.
 */
const statementPage = (where: string, limit: string) => `
  SELECT l.date, l.rank, l.src, l.kind, l.reference, l.debit_minor, l.credit_minor,
         l.allocated_minor, l.balance_minor,
         to_char(l.date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS date_key,
         CASE
           WHEN l.kind = 'INVOICE' THEN q.title
           WHEN l.kind = 'ALLOCATION' THEN
             CASE WHEN q.status IN ${INVOICE_STATUSES_SQL} THEN NULL
                  ELSE 'Released: the invoice is no longer due' END
           WHEN r.id IS NOT NULL THEN 'Refund of ' || c.number || ' from ' || b.name
           ELSE l.description
         END AS description
    FROM (SELECT * FROM statement_lines l
           WHERE l.business_id = $1 AND l.customer_id = $2 ${where}
           ORDER BY l.date, l.rank, l.src LIMIT ${limit}) l
    LEFT JOIN ${QUOTES_TABLE} q ON q.id = l.quote_id AND l.kind IN ('INVOICE', 'ALLOCATION')
    LEFT JOIN account_refunds r ON r.id = l.src AND l.kind = 'REFUND' AND l.quote_id IS NULL
    LEFT JOIN account_credits c ON c.id = r.credit_id
    LEFT JOIN bank_accounts b ON b.id = r.bank_account_id
   ORDER BY l.date, l.rank, l.src`;

/**
 * refundCreditNote's first statement: the credit's totals row (for update), the bank account
 * (shared: an archive racing the refund waits for it, or is seen by it) and the customer.
 * $1 credit, $2 business, $3 bank account; `guard` may add a condition.
 */
const LOCK_CREDIT_AND_BANK = (guard: string) => `
  SELECT c.id, c.kind, c.number, c.created_at, c.amount_minor, c.currency, c.description,
         c.customer_id, t.allocated_minor, t.refunded_minor,
         b.id AS bank_id, b.name AS bank_name, b.currency AS bank_currency,
         b.created_at AS bank_created_at, b.archived_at AS bank_archived_at,
         cu.name AS customer_name, cu.email AS customer_email,
         cu.portal_token AS customer_portal_token, cu.created_at AS customer_created_at
    FROM account_credit_totals t
    JOIN account_credits c ON c.id = t.credit_id
    JOIN customers cu ON cu.id = c.customer_id
    JOIN bank_accounts b ON b.id = $3::uuid AND b.business_id = $2::uuid
   WHERE t.credit_id = $1::uuid AND t.business_id = $2::uuid ${guard}
     FOR UPDATE OF t FOR SHARE OF b`;

/** The same, after inserting the idempotency key ($4…$8), locking only if it was inserted. */
const LOCK_CREDIT_AND_BANK_KEYED = (claim: IdempotencyClaim) => `
  WITH claim AS (${claim.claimSql(4)})
  SELECT k.claimed, l.*
    FROM (SELECT EXISTS (SELECT 1 FROM claim) AS claimed) k
    LEFT JOIN LATERAL (${LOCK_CREDIT_AND_BANK('AND k.claimed')}) l ON true`;

/**
 * The refund with its number from the business's account_refund counter, formatted as
 * formatNumber('RF', n) does (RF-000001; wider numbers are not cut), and optionally the
 * idempotency key's response. $1 id … $11 created_by, then the response's parameters.
 */
const insertAccountRefund = (respond: string | null) => `
  WITH counter AS (
    INSERT INTO business_counters (business_id, name, value) VALUES ($2::uuid, 'account_refund', 1)
    ON CONFLICT (business_id, name) DO UPDATE SET value = business_counters.value + 1
    RETURNING value::text AS value)${
      respond
        ? `,
  respond AS (${respond})`
        : ''
    }
  INSERT INTO account_refunds (id, business_id, customer_id, credit_id, bank_account_id, number,
                               amount_minor, currency, reference, reason_category, created_at,
                               created_by)
  SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid,
         '${REFUND_PREFIX}-' || CASE WHEN length(counter.value) >= 6 THEN counter.value
                                     ELSE lpad(counter.value, 6, '0') END,
         $6::bigint, $7::char(3), $8::text, $9::text, $10::timestamptz, $11::uuid
    FROM counter
  RETURNING number`;

export interface CreateCreditRequest {
  customerId: string;
  amount: { amount: string; currency: string };
  reason?: string | null | undefined;
  reference?: string | null | undefined;
  quoteId?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
}

export class AccountService {
  /** refundCreditNote's group commit on PostgreSQL (see account-refund.batch.ts). */
  private readonly refundGroupCommit: GroupCommit<BatchedAccountRefund, AccountRefundAnswer> | null;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly customers: CustomerService,
  ) {
    this.refundGroupCommit = groupCommitOn(
      deps.db,
      deps.groupCommit,
      'credit note refund',
      writeAccountRefundBatch,
    );
  }

  private get db() {
    return this.deps.db;
  }

  // ------------------------------------------------------------------ bank accounts

  /** Oldest first; archived ones only when asked (settings shows them, refund forms do not). */
  listBankAccounts(businessId: string, includeArchived = false): Promise<BankAccountRow[]> {
    return this.db.manager.find(BankAccountRow, {
      where: includeArchived ? { businessId } : { businessId, archivedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** A new name, under the same rules as a new account's. */
  async renameBankAccount(
    caller: Caller,
    input: { bankAccountId: string; name: string },
  ): Promise<BankAccountRow> {
    return this.db.transaction(async (tx) => {
      const bank = await this.lockBankAccount(tx, caller.businessId, input.bankAccountId);
      const draft = unwrap(parseBankAccount({ name: input.name, currency: bank.currency }));
      await tx.update(BankAccountRow, { id: bank.id }, { name: draft.name });
      return { ...bank, name: draft.name };
    });
  }

  /**
   * Archives an account: past refunds keep pointing at it (append-only ledger), new refunds can
   * no longer use it. Archiving twice is INVALID_STATE, so a stale screen learns the news.
   */
  async archiveBankAccount(caller: Caller, bankAccountId: string): Promise<BankAccountRow> {
    return this.db.transaction(async (tx) => {
      const bank = await this.lockBankAccount(tx, caller.businessId, bankAccountId);
      if (bank.archivedAt) {
        throw new DomainError(
          UserErrorCode.INVALID_STATE,
          'This bank account is already archived.',
          ['bankAccountId'],
        );
      }
      const archivedAt = this.deps.clock.now();
      await tx.update(BankAccountRow, { id: bank.id }, { archivedAt });
      return { ...bank, archivedAt };
    });
  }

  private async lockBankAccount(
    tx: Transaction,
    businessId: string,
    bankAccountId: string,
  ): Promise<BankAccountRow> {
    const bank = isUuid(bankAccountId)
      ? await tx.findOne(BankAccountRow, {
          where: { id: bankAccountId, businessId },
          lock: { mode: 'pessimistic_write' },
        })
      : null;
    if (!bank) throw notFound(['input', 'bankAccountId'], 'bank account');
    return bank;
  }

  async createBankAccount(
    caller: Caller,
    input: { name: string; currency: string },
  ): Promise<BankAccountRow> {
    const draft = unwrap(parseBankAccount(input));
    const row = this.db.manager.create(BankAccountRow, {
      id: newId(),
      businessId: caller.businessId,
      name: draft.name,
      currency: draft.currency,
      createdAt: this.deps.clock.now(),
    });
    await this.db.manager.insert(BankAccountRow, row);
    return row;
  }

  // ------------------------------------------------------------------ credits

  /** createCreditNote: a credit to the customer in the business currency. */
  async createCreditNote(caller: Caller, input: CreateCreditRequest): Promise<OutstandingCredit> {
    const creditId = await this.deps.idempotency.transaction(
      this.db,
      caller.businessId,
      'createCreditNote',
      input,
      async (tx) => {
        const currency = await this.businessCurrency(tx, caller.businessId);
        const amount = unwrap(parseAccountAmount(input.amount, currency));
        const reason = unwrap(parseAccountText(input.reason, 'reason'));
        await this.requireCustomer(tx, caller.businessId, input.customerId);
        const credit = await this.insertCredit(tx, caller, {
          kind: 'CREDIT_NOTE',
          customerId: input.customerId,
          amount,
          description: reason,
          quoteId: null,
        });
        await this.recordAccountEvent(tx, caller, EventType.CREDIT_NOTE_CREATED, credit, {
          amounts: { amount },
          data: { reason },
        });
        return credit.id;
      },
    );
    return this.requireCredit(caller.businessId, creditId);
  }

  /**
   * recordPayment: money received on account; with a quote, allocated to that invoice up to what
   * it still owes, the rest left outstanding (an overpayment).
   */
  async recordPayment(caller: Caller, input: CreateCreditRequest): Promise<OutstandingCredit> {
    const creditId = await this.deps.idempotency.transaction(
      this.db,
      caller.businessId,
      'recordPayment',
      input,
      async (tx) => {
        const currency = await this.businessCurrency(tx, caller.businessId);
        const amount = unwrap(parseAccountAmount(input.amount, currency));
        const reference = unwrap(parseAccountText(input.reference, 'reference'));
        await this.requireCustomer(tx, caller.businessId, input.customerId);
        // Lock order everywhere: quote, then credit.
        const invoice = input.quoteId
          ? await this.lockInvoice(tx, caller.businessId, input.quoteId, input.customerId)
          : null;
        const decision = unwrap(decidePayment({ amount, invoice: invoice?.state ?? null }));
        const credit = await this.insertCredit(tx, caller, {
          kind: 'PAYMENT',
          customerId: input.customerId,
          amount,
          description: reference,
          quoteId: invoice?.id ?? null,
        });
        if (invoice && decision.allocated.minor > 0n) {
          await this.insertAllocation(tx, caller, credit, invoice.id, decision.allocated);
          await settleInvoiceIfPaidInFull(tx, caller, invoice.id, this.deps.clock.now());
        }
        await this.recordAccountEvent(tx, caller, EventType.PAYMENT_RECORDED, credit, {
          subjects: { quoteId: invoice?.id },
          amounts: { amount, allocated: decision.allocated },
          data: { reference },
        });
        return credit.id;
      },
    );
    return this.requireCredit(caller.businessId, creditId);
  }

  /** allocateCredit: uses part of a credit to settle an invoice of the same customer. */
  async allocateCredit(
    caller: Caller,
    input: { creditId: string; quoteId: string; amount: string; idempotencyKey?: string | null },
  ): Promise<OutstandingCredit> {
    const creditId = await this.deps.idempotency.transaction(
      this.db,
      caller.businessId,
      'allocateCredit',
      input,
      async (tx) => {
        const found = await this.findCreditRow(tx, caller.businessId, input.creditId);
        if (!found) throw notFound(['input', 'creditId'], 'credit note or payment');
        const invoice = await this.lockInvoice(
          tx,
          caller.businessId,
          input.quoteId,
          found.customer_id,
        );
        const credit = await this.lockCredit(tx, caller.businessId, input.creditId);
        const amount = unwrap(parsePositiveMoney(input.amount, credit.state.amount.currency));
        const decision = unwrap(
          decideAllocation({ credit: credit.state, invoice: invoice.state, amount }),
        );
        await this.insertAllocation(tx, caller, credit.row, invoice.id, decision.amount);
        // Settled in full by this allocation: PAID, exactly as the quotes flow's Mark paid.
        await settleInvoiceIfPaidInFull(tx, caller, invoice.id, this.deps.clock.now());
        await this.recordAccountEvent(
          tx,
          caller,
          EventType.CREDIT_NOTE_ALLOCATED,
          { id: credit.row.id, customerId: credit.row.customer_id, kind: credit.row.kind },
          { subjects: { quoteId: invoice.id }, amounts: { amount: decision.amount } },
        );
        return credit.row.id;
      },
    );
    return this.requireCredit(caller.businessId, creditId);
  }

  /**
   * refundCreditNote: pays out (part of) a credit's O/S from a bank account. The credit's totals
   * row is locked first, so racing refunds of one credit run one after another and each sees what
   * the previous ones took: the O/S never goes below zero.
   *
   * Flat: one statement locks the credit's totals and the bank account and reads both (the kept
   * refunded-so-far, never a sum over earlier refunds); the refund's insert moves the kept totals,
   * statement line and balance (triggers, same transaction); the payload is built from what the
   * transaction already has (the customer too), so nothing is read after the commit. A replay of
   * an idempotency key reads the stored refund back (refundView).
   */
  async refundCreditNote(
    caller: Caller,
    input: RefundCreditNoteRequest,
  ): Promise<{ refund: AccountRefund; account: CustomerAccount }> {
    const recorded = () => refundsRecorded.inc({ flow: 'account' });
    if (this.refundGroupCommit && !input.notifyCustomer) {
      const key = this.deps.idempotency.keyRow(caller.businessId, 'refundCreditNote', input);
      const written = await writeInBatch(
        this.refundGroupCommit,
        {
          businessId: caller.businessId,
          key,
          creditId: input.creditId,
          bankAccountId: input.bankAccountId,
          prepare: (locked: LockedCreditRefund, number: string) =>
            this.prepareRefund(caller, input, locked, number),
        },
        accountRefundBatchAlone,
      );
      if (written) {
        recorded();
        return written.prepared.payload(written.number);
      }
    }
    let built: { refund: AccountRefund; account: CustomerAccount } | null = null;
    const { refundId } = await this.deps.idempotency.transaction(
      this.db,
      caller.businessId,
      'refundCreditNote',
      input,
      async (tx, claim) => {
        built = null;
        // Refused before any lock: a malformed reference (as it always was).
        unwrap(parseAccountText(input.reference, 'reference'));
        const locked = await this.lockCreditAndBank(
          tx,
          caller.businessId,
          input.creditId,
          input.bankAccountId,
          claim,
        );
        // The audit entry and the event name the RF number, which only the insert knows: they
        // carry a marker the database replaces with it, so all three go out in one round trip
        // with COMMIT (the credit stays locked over one wait in Node, not two).
        const refundId = newId();
        const number = lateText(
          'accountRefundNumber',
          (first) => `SELECT number FROM account_refunds WHERE id = $${first}::uuid`,
          [refundId],
        );
        const prepared = this.prepareRefund(caller, input, locked, number.marker, refundId);
        const { audit, event } = prepared;
        // One statement: the next RF number, the refund (its triggers move the credit's kept
        // totals, the statement and the balance) and, with a key, the key's stored response.
        const insert: Statement = {
          name: claim ? 'accountRefundInsertKeyed' : 'accountRefundInsert',
          text: insertAccountRefund(claim ? claim.responseSql(prepared.refund.length + 1) : null),
          values: claim
            ? [...prepared.refund, ...claim.responseValues(prepared.result)]
            : prepared.refund,
        };
        if (claim) claim.responded(prepared.result);
        const write: Statement[] = [insert, auditStatement(audit, number)];
        // A notice to the customer reads their address first, so then the write goes before it.
        let written: unknown[][] | null = null;
        if (input.notifyCustomer) {
          written = await sqlAll(tx, write.splice(0));
          await queueRefundNotice(tx, {
            businessId: caller.businessId,
            customerId: locked.credit.customer_id,
            amount: prepared.amount,
            subject:
              locked.credit.kind === 'PAYMENT' ? 'your payment on account' : 'your credit note',
            reason: audit.reason ?? null,
            at: event.at,
          });
        }
        const sent = await sqlAll(tx, [...write, eventStatement(event, number).statement], {
          commit: true,
        });
        const [inserted] = (written ?? sent)[0] as Array<{ number: string }>;
        built = prepared.payload(inserted!.number);
        return prepared.result;
      },
      { afterCommit: recorded, foldClaim: true },
    );
    const fresh = built as { refund: AccountRefund; account: CustomerAccount } | null;
    // A replay (or a retry that found the first request's result) reads the stored refund.
    if (!fresh || fresh.refund.id !== refundId) return this.refundView(caller.businessId, refundId);
    return fresh;
  }

  /**
   * refundCreditNote's rule on the credit under its lock, and every row the refund writes: the
   * same for the lone path and the group commit. `number` is the refund's RF number, or the
   * marker the database replaces with it (see LateText). Throws the rule's refusal.
   */
  private prepareRefund(
    caller: Caller,
    input: RefundCreditNoteRequest,
    locked: LockedCreditRefund,
    number: string,
    refundId = newId(),
  ): PreparedAccountRefund & { readonly amount: Money } {
    const { credit: row, bank, customer } = locked;
    const reference = unwrap(parseAccountText(input.reference, 'reference'));
    if (bank.archivedAt) {
      throw new DomainError(
        UserErrorCode.INVALID_STATE,
        'That bank account is archived. Choose another one.',
        ['input', 'bankAccountId'],
      );
    }
    const state = creditState(row);
    const currency = state.amount.currency;
    const amount = unwrap(parseOptionalAccountAmount(input.amount, currency));
    const decision = unwrap(
      decideAccountRefund({
        credit: state,
        amount,
        bankAccountCurrency: bank.currency as CurrencyCode,
      }),
    );
    const customerId = row.customer_id;
    const reasonCategory = input.reasonCategory ?? null;
    const createdAt = this.deps.clock.now();
    const outstandingBefore = creditOutstanding(state);
    const creditAfter: CreditRowWithOutstanding = {
      ...row,
      refunded_minor: (BigInt(row.refunded_minor) + decision.amount.minor).toString(),
    };
    return {
      refundId,
      refund: [
        refundId,
        caller.businessId,
        customerId,
        row.id,
        bank.id,
        decision.amount.minor.toString(),
        currency,
        reference,
        reasonCategory,
        createdAt,
        caller.memberId,
      ],
      audit: {
        businessId: caller.businessId,
        actor: caller,
        action: 'ACCOUNT_REFUNDED',
        subjectType: row.kind === 'PAYMENT' ? 'Payment' : 'CreditNote',
        subjectId: row.id,
        changes: [
          {
            field: 'outstanding',
            before: toDecimalString(outstandingBefore),
            after: toDecimalString(
              money(outstandingBefore.minor - decision.amount.minor, currency),
            ),
          },
          { field: 'refund', before: null, after: number },
        ],
        reason: reference,
        at: createdAt,
      },
      event: {
        businessId: caller.businessId,
        type: EventType.CREDIT_NOTE_REFUNDED,
        actor: caller,
        at: createdAt,
        subjects: { creditId: row.id, customerId, refundId, bankAccountId: bank.id },
        amounts: { amount: decision.amount },
        data: { kind: row.kind, number, reference, reasonCategory },
      },
      result: { refundId, customerId },
      amount: decision.amount,
      // The payload, from what this transaction read and wrote.
      payload: (written) => ({
        refund: {
          id: refundId,
          number: written,
          amount: toMoneyType(decision.amount),
          bankAccount: bank,
          credit: toOutstandingCredit(creditAfter),
          recordedAt: createdAt,
          reference,
          reasonCategory,
        },
        account: { customer, businessId: caller.businessId },
      }),
      creditAfter,
    };
  }

  /**
   * The credit's totals row (locked for update), the bank account (shared lock: an archive
   * racing this refund waits for it, or is seen by it) and the customer, read in one statement. When either is
   * missing, the error names the one that is, credit first.
   */
  private async lockCreditAndBank(
    tx: Transaction,
    businessId: string,
    creditId: string,
    bankAccountId: string,
    claim: IdempotencyClaim | null,
  ): Promise<LockedCreditRefund> {
    type Row = CreditRowWithOutstanding & {
      bank_id: string;
      bank_name: string;
      bank_currency: string;
      bank_created_at: Date;
      bank_archived_at: Date | null;
      customer_name: string;
      customer_email: string | null;
      customer_portal_token: string;
      customer_created_at: Date;
    };
    let rows: Array<Partial<Row> & { claimed?: boolean }> = [];
    if (!isUuid(creditId) || !isUuid(bankAccountId)) {
      // Not an id this API gave out: the key is claimed alone on the way to the error.
      if (claim?.pending) await claim.claimAlone(tx);
    } else if (claim?.pending) {
      // The idempotency key is inserted by the same statement, and the locks are taken only
      // when it was: a repeat of a committed request replays without locking anything.
      rows = await sql(tx, 'accountRefundLockKeyed', LOCK_CREDIT_AND_BANK_KEYED(claim), [
        creditId,
        businessId,
        bankAccountId,
        ...claim.claimValues(),
      ]);
      claim.claimed(rows[0]?.claimed === true);
      // Keyed: one row even when nothing matched (the lateral join's nulls); the credit's columns.
      rows = rows
        .filter((row) => row.id !== null && row.id !== undefined)
        .map((row) => {
          const columns = { ...row };
          delete columns.claimed;
          return columns;
        });
    } else {
      rows = await sql(tx, 'accountRefundLock', LOCK_CREDIT_AND_BANK(''), [
        creditId,
        businessId,
        bankAccountId,
      ]);
    }
    const row = rows[0] as Row | undefined;
    if (!row) {
      // Only on the way to an error: which of the two is missing.
      await this.lockCredit(tx, businessId, creditId);
      throw notFound(['input', 'bankAccountId'], 'bank account');
    }
    const {
      bank_id,
      bank_name,
      bank_currency,
      bank_created_at,
      bank_archived_at,
      customer_name,
      customer_email,
      customer_portal_token,
      customer_created_at,
      ...credit
    } = row;
    const customer = Object.assign(new Customer(), {
      id: credit.customer_id,
      businessId,
      name: customer_name,
      email: customer_email,
      portalToken: customer_portal_token,
      createdAt: new Date(customer_created_at),
    });
    const bank = Object.assign(new BankAccountRow(), {
      id: bank_id,
      businessId,
      name: bank_name,
      currency: bank_currency,
      createdAt: new Date(bank_created_at),
      archivedAt: bank_archived_at ? new Date(bank_archived_at) : null,
    });
    return { credit, bank, customer };
  }

  // ------------------------------------------------------------------ reading

  /** A refund with its bank account and credit, and the account it changed. */
  async refundView(
    businessId: string,
    refundId: string,
  ): Promise<{ refund: AccountRefund; account: CustomerAccount }> {
    const refund = await this.db.manager.findOneOrFail(AccountRefundRow, {
      where: { id: refundId, businessId },
    });
    const [bankAccount, credit, customer] = await Promise.all([
      this.db.manager.findOneOrFail(BankAccountRow, {
        where: { id: refund.bankAccountId, businessId },
      }),
      this.requireCredit(businessId, refund.creditId),
      this.customers.find(businessId, refund.customerId),
    ]);
    if (!customer) throw new Error(`customer ${refund.customerId} vanished`);
    return {
      refund: {
        id: refund.id,
        number: refund.number,
        amount: toMoneyType(money(refund.amountMinor, refund.currency.trim() as CurrencyCode)),
        bankAccount,
        credit,
        recordedAt: refund.createdAt,
        reference: refund.reference,
        reasonCategory: refund.reasonCategory,
      },
      account: { customer, businessId },
    };
  }

  async findCredit(businessId: string, creditId: string): Promise<OutstandingCredit | null> {
    const row = await this.findCreditRow(this.db.manager, businessId, creditId);
    return row ? toOutstandingCredit(row) : null;
  }

  private async requireCredit(businessId: string, creditId: string): Promise<OutstandingCredit> {
    const credit = await this.findCredit(businessId, creditId);
    if (!credit) throw new Error(`credit ${creditId} vanished`);
    return credit;
  }

  /** The customer, when they are this business's; null otherwise (the account is then null). */
  findCustomer(businessId: string, customerId: string): Promise<Customer | null> {
    return this.customers.find(businessId, customerId);
  }

  /**
   * Credit notes and payments with something outstanding, oldest first, keyset-paged on
   * (created_at, id) over the kept totals' partial index: `after` is the id of the last credit of
   * the previous page; without `first`, one page of OUTSTANDING_CREDITS_DEFAULT_PAGE.
   */
  async outstandingCredits(
    businessId: string,
    customerId: string,
    args: { first?: number | null | undefined; after?: string | null | undefined } = {},
  ): Promise<OutstandingCredit[]> {
    const size =
      args.first === null || args.first === undefined
        ? OUTSTANDING_CREDITS_DEFAULT_PAGE
        : pageSize(args.first);
    const params: unknown[] = [businessId, customerId, size];
    let after = '';
    if (args.after !== null && args.after !== undefined) {
      const found: unknown[] = isUuid(args.after)
        ? await this.db.manager.query(
            `SELECT 1 FROM account_credit_totals
              WHERE credit_id = $1 AND business_id = $2 AND customer_id = $3`,
            [args.after, businessId, customerId],
          )
        : [];
      if (found.length === 0) {
        throw new BadInputError('"after" must be the id of a credit of this account.', ['after']);
      }
      params.push(args.after);
      after = `AND (t.created_at, t.credit_id) >
                   (SELECT created_at, credit_id FROM account_credit_totals WHERE credit_id = $4)`;
    }
    const rows: CreditRowWithOutstanding[] = await this.db.manager.query(
      `SELECT c.id, c.kind, c.number, c.created_at, c.amount_minor, c.currency, c.description,
              c.customer_id, t.allocated_minor, t.refunded_minor
         FROM account_credit_totals t JOIN account_credits c ON c.id = t.credit_id
        WHERE t.business_id = $1 AND t.customer_id = $2
          AND t.amount_minor > t.allocated_minor + t.refunded_minor ${after}
        ORDER BY t.created_at, t.credit_id LIMIT $3`,
      params,
    );
    // The SQL condition is the partial index's; what is outstanding stays the domain's rule.
    return rows.filter((row) => hasOutstanding(creditState(row))).map(toOutstandingCredit);
  }

  /**
   * What the customer owes (+) or is owed (−): the kept sum of every statement line. A list of
   * customers that each show their balance asks once for all of them (one query per tick).
   */
  async balance(businessId: string, customerId: string): Promise<Money> {
    const balance = await this.balances.load(businessId, customerId);
    if (!balance) throw new Error(`business ${businessId} not found`);
    return balance;
  }

  private readonly balances = new BatchLoader<Money>(async (businessId, customerIds) => {
    const rows: Array<{ currency: string; customer_id: string; balance: string | null }> =
      await this.db.manager.query(
        `SELECT b.currency, c.id AS customer_id, ab.balance_minor AS balance
           FROM businesses b
          CROSS JOIN unnest($2::uuid[]) AS c(id)
           LEFT JOIN account_balances ab ON ab.business_id = b.id AND ab.customer_id = c.id
          WHERE b.id = $1`,
        [businessId, customerIds],
      );
    return new Map(
      rows.map((row) => [
        row.customer_id,
        money(BigInt(row.balance ?? '0'), row.currency as CurrencyCode),
      ]),
    );
  });

  /**
   * The statement, oldest first, keyset-paginated on (date, rank, id) over its projection. Each
   * line carries the balance after it, so a page opens with its first line's balance less that
   * line's own amount: page boundaries change nothing, and no page sums earlier lines.
   */
  async statement(
    businessId: string,
    customerId: string,
    args: {
      first?: number | null;
      after?: string | null;
      /** Business-local dates (YYYY-MM-DD), both included; the balance still counts earlier lines. */
      from?: string | null | undefined;
      to?: string | null | undefined;
    },
  ): Promise<StatementConnection> {
    const size = pageSize(args.first);
    const after = decodeCursor(args.after, ['instant', 'int', 'uuid']);
    const currency = await this.businessCurrency(this.db.manager, businessId);
    const range =
      args.from || args.to
        ? parseLocalDateRange(args, await this.businessTimezone(businessId))
        : { since: null, until: null };
    const params: unknown[] = [businessId, customerId];
    const conditions: string[] = [];
    if (range.until) {
      params.push(range.until);
      conditions.push(`l.date < $${params.length}`);
    }
    if (!after && range.since) {
      // The first page of a dated statement starts at its first day; its opening balance is
      // still everything before (the first line's balance less its own amount).
      params.push(range.since);
      conditions.push(`l.date >= $${params.length}`);
    }
    if (after) {
      const [dateKey, rank, src] = after;
      if (
        typeof dateKey !== 'string' ||
        typeof rank !== 'number' ||
        typeof src !== 'string' ||
        !isUuid(src) ||
        Number.isNaN(Date.parse(dateKey))
      ) {
        throw new BadInputError('That "after" cursor is not one this list gave out.', ['after']);
      }
      params.push(dateKey, rank, src);
      const n = params.length;
      conditions.push(
        `(l.date, l.rank, l.src) > ($${n - 2}::timestamptz, $${n - 1}::int, $${n}::uuid)`,
      );
    }
    params.push(size + 1);
    const where = conditions.map((condition) => `AND ${condition}`).join(' ');
    const rows: StatementRow[] = await this.db.manager.query(
      statementPage(where, `$${params.length}`),
      params,
    );
    const page = rows.slice(0, size);
    const entries = page.map((row) => ({
      kind: row.kind,
      debit: row.debit_minor === null ? null : money(BigInt(row.debit_minor), currency),
      credit: row.credit_minor === null ? null : money(BigInt(row.credit_minor), currency),
    }));
    const first = page[0];
    const opening = first
      ? balanceBefore(money(BigInt(first.balance_minor), currency), entries[0]!)
      : zero(currency);
    const balances = runningBalances(opening, entries);
    const nodes: StatementLine[] = page.map((row, i) => ({
      id: `${row.kind}:${row.src}`,
      date: row.date,
      kind: row.kind,
      reference: row.reference,
      description:
        row.description ??
        (row.allocated_minor === null
          ? null
          : `Allocated ${describeAccountMoney(money(BigInt(row.allocated_minor), currency))}`),
      debit: entries[i]!.debit ? toMoneyType(entries[i]!.debit!) : null,
      credit: entries[i]!.credit ? toMoneyType(entries[i]!.credit!) : null,
      balance: toMoneyType(balances[i]!),
    }));
    const last = page.at(-1);
    return {
      nodes,
      pageInfo: {
        hasNextPage: rows.length > size,
        endCursor: last ? encodeCursor([last.date_key, Number(last.rank), last.src]) : null,
      },
    };
  }

  // ------------------------------------------------------------------ helpers

  private async businessTimezone(businessId: string): Promise<string> {
    const [row]: Array<{ timezone: string }> = await this.db.manager.query(
      `SELECT timezone FROM businesses WHERE id = $1`,
      [businessId],
    );
    return row?.timezone ?? 'UTC';
  }

  private async businessCurrency(tx: Transaction, businessId: string): Promise<CurrencyCode> {
    const [row]: Array<{ currency: string }> = await tx.query(
      `SELECT currency FROM businesses WHERE id = $1`,
      [businessId],
    );
    if (!row) throw new Error(`business ${businessId} not found`);
    return row.currency as CurrencyCode;
  }

  /** The customer must be this business's: another business's id is simply not found. */
  private async requireCustomer(
    tx: Transaction,
    businessId: string,
    customerId: string,
  ): Promise<void> {
    const rows: unknown[] = isUuid(customerId)
      ? await tx.query(`SELECT id FROM customers WHERE id = $1 AND business_id = $2`, [
          customerId,
          businessId,
        ])
      : [];
    if (rows.length === 0) throw notFound(['input', 'customerId'], 'customer');
  }

  /**
   * The quote as an invoice of this customer, locked against concurrent allocations (and the
   * quotes flow's own writes to it). A quote of another customer or business is not found.
   */
  private async lockInvoice(
    tx: Transaction,
    businessId: string,
    quoteId: string,
    customerId: string,
  ): Promise<{ id: string; state: AccountInvoiceState }> {
    const rows: Array<{
      id: string;
      status: AccountQuoteStatus;
      total_minor: string;
      currency: string;
    }> = isUuid(quoteId)
      ? await tx.query(
          `SELECT id, status, total_minor, currency FROM ${QUOTES_TABLE}
              WHERE id = $1 AND business_id = $2 AND customer_id = $3 FOR UPDATE`,
          [quoteId, businessId, customerId],
        )
      : [];
    const quote = rows[0];
    if (!quote) throw notFound(['input', 'quoteId'], 'invoice for this customer');
    const currency = quote.currency.trim() as CurrencyCode;
    // The invoice's ledger as the quotes flow reads it: one settlement rule for both flows.
    const ledger = await loadInvoiceLedger(tx, { id: quote.id, businessId, currency });
    return {
      id: quote.id,
      state: {
        status: quote.status,
        total: money(BigInt(quote.total_minor), currency),
        allocated: ledger.allocated,
        payments: ledger.payments,
      },
    };
  }

  private async findCreditRow(
    tx: Transaction,
    businessId: string,
    creditId: string,
  ): Promise<CreditRowWithOutstanding | null> {
    if (!isUuid(creditId)) return null;
    const rows: CreditRowWithOutstanding[] = await tx.query(
      `${CREDIT_WITH_OUTSTANDING} WHERE c.id = $1 AND c.business_id = $2`,
      [creditId, businessId],
    );
    return rows[0] ?? null;
  }

  /**
   * Locks the credit's totals row and reads its O/S in the same statement: allocations and
   * refunds of one credit (and a void releasing its allocations) all update that row, so they
   * run one after another and each sees what the previous ones took.
   */
  private async lockCredit(
    tx: Transaction,
    businessId: string,
    creditId: string,
  ): Promise<{ row: CreditRowWithOutstanding; state: AccountCreditState }> {
    const rows: CreditRowWithOutstanding[] = isUuid(creditId)
      ? await tx.query(
          `${CREDIT_WITH_OUTSTANDING} WHERE t.credit_id = $1 AND t.business_id = $2 FOR UPDATE OF t`,
          [creditId, businessId],
        )
      : [];
    const row = rows[0];
    if (!row) throw notFound(['input', 'creditId'], 'credit note or payment');
    return { row, state: creditState(row) };
  }

  /** The event of an account change, last in its use case's transaction (see recordEvent). */
  private async recordAccountEvent(
    tx: Transaction,
    caller: Caller,
    type: EventType,
    credit: { id: string; customerId: string; kind: string },
    extra: {
      subjects?: Record<string, string | null | undefined>;
      amounts?: Record<string, Money>;
      data?: Record<string, string | null>;
      /** The use case's own last writes, sent in the same round trip, before the event. */
      before?: readonly Statement[];
      /** A value of `before`'s that the event's data names by its marker (see LateText). */
      late?: LateText;
      /** Ends the transaction with these statements (see sql's `commit`). */
      commit?: boolean;
    },
  ): Promise<unknown[][]> {
    const event = eventStatement(
      {
        businessId: caller.businessId,
        type,
        actor: caller,
        at: this.deps.clock.now(),
        subjects: { creditId: credit.id, customerId: credit.customerId, ...extra.subjects },
        amounts: extra.amounts ?? {},
        data: { kind: credit.kind, ...extra.data },
      },
      extra.late,
    );
    return sqlAll(tx, [...(extra.before ?? []), event.statement], {
      commit: extra.commit === true,
    });
  }

  private async insertCredit(
    tx: Transaction,
    caller: Caller,
    credit: {
      kind: AccountCreditKind;
      customerId: string;
      amount: Money;
      description: string | null;
      quoteId: string | null;
    },
  ): Promise<AccountCreditRow> {
    const number = await nextNumber(tx, caller.businessId, `account_${credit.kind.toLowerCase()}`);
    const row = tx.create(AccountCreditRow, {
      id: newId(),
      businessId: caller.businessId,
      customerId: credit.customerId,
      kind: credit.kind,
      number: formatNumber(NUMBER_PREFIX[credit.kind], number),
      amountMinor: credit.amount.minor,
      currency: credit.amount.currency,
      description: credit.description,
      quoteId: credit.quoteId,
      createdAt: this.deps.clock.now(),
      createdBy: caller.memberId,
    });
    await tx.insert(AccountCreditRow, row);
    await recordAudit(tx, {
      businessId: caller.businessId,
      actor: caller,
      action: credit.kind === 'PAYMENT' ? 'PAYMENT_RECORDED' : 'CREDIT_NOTE_CREATED',
      subjectType: credit.kind === 'PAYMENT' ? 'Payment' : 'CreditNote',
      subjectId: row.id,
      changes: [{ field: 'amount', before: null, after: toDecimalString(credit.amount) }],
      reason: credit.description,
      at: row.createdAt,
    });
    return row;
  }

  private async insertAllocation(
    tx: Transaction,
    caller: Caller,
    credit: { id: string; customerId?: string; customer_id?: string },
    quoteId: string,
    amount: Money,
  ): Promise<void> {
    await tx.insert(AccountAllocationRow, {
      id: newId(),
      businessId: caller.businessId,
      customerId: (credit.customerId ?? credit.customer_id)!,
      creditId: credit.id,
      quoteId,
      amountMinor: amount.minor,
      currency: amount.currency,
      createdAt: this.deps.clock.now(),
      createdBy: caller.memberId,
    });
    await recordAudit(tx, {
      businessId: caller.businessId,
      actor: caller,
      action: 'CREDIT_ALLOCATED',
      subjectType: 'Quote',
      subjectId: quoteId,
      changes: [
        { field: 'allocated', before: null, after: toDecimalString(amount) },
        { field: 'credit', before: null, after: credit.id },
      ],
      at: this.deps.clock.now(),
    });
  }
}

function creditState(row: CreditRowWithOutstanding): AccountCreditState {
  const currency = row.currency.trim() as CurrencyCode;
  return {
    amount: money(BigInt(row.amount_minor), currency),
    allocated: money(BigInt(row.allocated_minor), currency),
    refunded: money(BigInt(row.refunded_minor), currency),
  };
}

function toOutstandingCredit(row: CreditRowWithOutstanding): OutstandingCredit {
  const state = creditState(row);
  const outstanding = creditOutstanding(state);
  return {
    id: row.id,
    kind: row.kind,
    number: row.number,
    date: row.created_at,
    amount: toMoneyType(state.amount),
    outstanding: toMoneyType(outstanding),
    description: row.description,
  };
}
