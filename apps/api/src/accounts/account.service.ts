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
  runningBalances,
  statementKindRank,
  toDecimalString,
  unwrap,
  zero,
  EventType,
} from '@refunds/domain';
import { refundsRecorded } from '../platform/observability/metrics';
import { recordAudit } from '../audit/audit.recorder';
import { recordEvent } from '../outbound/event.recorder';
import { queueRefundNotice } from '../outbound/mail.queue';
import { IsNull } from 'typeorm';
import type { ServiceDeps } from '../services';
import type { Transaction } from '../platform/db/database';
import { formatNumber, nextNumber } from '../platform/db/counters';
import type { Caller } from '../platform/graphql/context';
import { isUuid, newId } from '../platform/ids';
import { decodeCursor, encodeCursor, pageSize } from '../platform/pagination';
import { parseLocalDateRange } from '../platform/local-date-range';
import { toMoneyType } from '../platform/graphql/common-types';
import type { Customer } from '../customers/customer.entity';
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
import {
  INVOICE_STATUSES_SQL,
  QUOTES_TABLE,
  QUOTE_PAYMENTS_TABLE,
  QUOTE_REFUNDS_TABLE,
  invoiceDate,
  quoteRefundColumns as qr,
} from './quote-source';
import { loadInvoiceLedger, settleInvoiceIfPaidInFull } from '../quotes/invoice-writes';

const notFound = (field: string[], what: string) =>
  new DomainError(UserErrorCode.NOT_FOUND, `We could not find that ${what}.`, field);

const NUMBER_PREFIX: Record<AccountCreditKind, string> = { CREDIT_NOTE: 'CN', PAYMENT: 'PAY' };
const REFUND_PREFIX = 'RF';

/** Allocations that still count: those to quotes that are still invoices (a void one releases). */
const LIVE_ALLOCATIONS = `
  SELECT a.credit_id, a.quote_id, a.amount_minor
  FROM account_allocations a
  JOIN ${QUOTES_TABLE} q ON q.id = a.quote_id AND q.business_id = a.business_id
  WHERE q.status IN ${INVOICE_STATUSES_SQL}`;

/** A credit with its O/S derived from its allocations and refunds. */
const CREDIT_WITH_OUTSTANDING = `
  SELECT c.id, c.kind, c.number, c.created_at, c.amount_minor, c.currency, c.description,
         c.customer_id,
         COALESCE((SELECT SUM(l.amount_minor) FROM (${LIVE_ALLOCATIONS} AND a.credit_id = c.id) l), 0)
           AS allocated_minor,
         COALESCE((SELECT SUM(r.amount_minor) FROM account_refunds r WHERE r.credit_id = c.id), 0)
           AS refunded_minor
  FROM account_credits c`;

interface CreditRowWithOutstanding {
  id: string;
  kind: AccountCreditKind;
  number: string;
  created_at: Date;
  amount_minor: string;
  currency: string;
  description: string | null;
  customer_id: string;
  allocated_minor: string;
  refunded_minor: string;
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
}

/**
 * Every line of one customer's account, from the quotes flow's invoices and this flow's ledger
 * tables. Parameters: $1 business, $2 customer. Ordered by (date, rank, src): the same key as the
 * cursor.
 */
const STATEMENT_LINES = `
  SELECT ${invoiceDate('q')}::timestamptz AS date, ${statementKindRank.INVOICE} AS rank, q.id AS src,
         'INVOICE' AS kind, q.number AS reference, q.title AS description,
         q.total_minor AS debit_minor, NULL::bigint AS credit_minor, NULL::bigint AS allocated_minor
    FROM ${QUOTES_TABLE} q
   WHERE q.business_id = $1 AND q.customer_id = $2 AND q.status IN ${INVOICE_STATUSES_SQL}
  UNION ALL
  SELECT p.paid_at, ${statementKindRank.PAYMENT}, p.id,
         'PAYMENT', q.number,
         CASE p.kind WHEN 'PAYMENT' THEN 'Invoice marked paid'
              ELSE 'Payment reversed: invoice marked unpaid' END,
         CASE p.kind WHEN 'REVERSAL' THEN p.amount_minor END,
         CASE p.kind WHEN 'PAYMENT' THEN p.amount_minor END, NULL
    FROM ${QUOTE_PAYMENTS_TABLE} p JOIN ${QUOTES_TABLE} q ON q.id = p.quote_id
   WHERE p.business_id = $1 AND p.customer_id = $2
  UNION ALL
  SELECT r.${qr.recordedAt}, ${statementKindRank.CREDIT_NOTE}, r.id,
         'CREDIT_NOTE', q.number, 'Invoice cancelled by its refund', NULL, r.${qr.amountMinor}, NULL
    FROM ${QUOTES_TABLE} q JOIN ${QUOTE_REFUNDS_TABLE} r ON r.${qr.quoteId} = q.id
   WHERE q.business_id = $1 AND q.customer_id = $2
  UNION ALL
  SELECT r.${qr.recordedAt}, ${statementKindRank.REFUND}, r.id,
         'REFUND', q.number, 'Invoice refunded', r.${qr.amountMinor}, NULL, NULL
    FROM ${QUOTES_TABLE} q JOIN ${QUOTE_REFUNDS_TABLE} r ON r.${qr.quoteId} = q.id
   WHERE q.business_id = $1 AND q.customer_id = $2
  UNION ALL
  SELECT c.created_at,
         CASE c.kind WHEN 'PAYMENT' THEN ${statementKindRank.PAYMENT} ELSE ${statementKindRank.CREDIT_NOTE} END,
         c.id, c.kind, c.number, c.description, NULL, c.amount_minor, NULL
    FROM account_credits c
   WHERE c.business_id = $1 AND c.customer_id = $2
  UNION ALL
  SELECT a.created_at, ${statementKindRank.ALLOCATION}, a.id,
         'ALLOCATION', c.number || ' to ' || q.number,
         CASE WHEN q.status IN ${INVOICE_STATUSES_SQL} THEN NULL
              ELSE 'Released: the invoice is no longer due' END,
         NULL, NULL, a.amount_minor
    FROM account_allocations a
    JOIN account_credits c ON c.id = a.credit_id
    JOIN ${QUOTES_TABLE} q ON q.id = a.quote_id
   WHERE a.business_id = $1 AND a.customer_id = $2
  UNION ALL
  SELECT r.created_at, ${statementKindRank.REFUND}, r.id,
         'REFUND', r.number, 'Refund of ' || c.number || ' from ' || b.name, r.amount_minor, NULL, NULL
    FROM account_refunds r
    JOIN account_credits c ON c.id = r.credit_id
    JOIN bank_accounts b ON b.id = r.bank_account_id
   WHERE r.business_id = $1 AND r.customer_id = $2`;

const DATE_KEY = `to_char(l.date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

export interface CreateCreditRequest {
  customerId: string;
  amount: { amount: string; currency: string };
  reason?: string | null | undefined;
  reference?: string | null | undefined;
  quoteId?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
}

export class AccountService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly customers: CustomerService,
  ) {}

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
   * refundCreditNote: pays out (part of) a credit's O/S from a bank account. The credit row is
   * locked first, so racing refunds of one credit run one after another and each sees what the
   * previous ones took: the O/S never goes below zero.
   */
  async refundCreditNote(
    caller: Caller,
    input: {
      creditId: string;
      bankAccountId: string;
      amount?: string | null;
      reference?: string | null;
      reasonCategory?: RefundReason | null;
      idempotencyKey?: string | null;
      notifyCustomer?: boolean | null;
    },
  ): Promise<{ refundId: string; customerId: string }> {
    return this.deps.idempotency.transaction(
      this.db,
      caller.businessId,
      'refundCreditNote',
      input,
      async (tx) => {
        const reference = unwrap(parseAccountText(input.reference, 'reference'));
        const credit = await this.lockCredit(tx, caller.businessId, input.creditId);
        const bank = isUuid(input.bankAccountId)
          ? await tx.findOne(BankAccountRow, {
              where: { id: input.bankAccountId, businessId: caller.businessId },
              // Shared lock: an archive racing this refund waits for it, or is seen by it.
              lock: { mode: 'pessimistic_read' },
            })
          : null;
        if (!bank) throw notFound(['input', 'bankAccountId'], 'bank account');
        if (bank.archivedAt) {
          throw new DomainError(
            UserErrorCode.INVALID_STATE,
            'That bank account is archived. Choose another one.',
            ['input', 'bankAccountId'],
          );
        }
        const currency = credit.state.amount.currency;
        const amount = unwrap(parseOptionalAccountAmount(input.amount, currency));
        const decision = unwrap(
          decideAccountRefund({
            credit: credit.state,
            amount,
            bankAccountCurrency: bank.currency as CurrencyCode,
          }),
        );
        const number = await nextNumber(tx, caller.businessId, 'account_refund');
        const refund = tx.create(AccountRefundRow, {
          id: newId(),
          businessId: caller.businessId,
          customerId: credit.row.customer_id,
          creditId: credit.row.id,
          bankAccountId: bank.id,
          number: formatNumber(REFUND_PREFIX, number),
          amountMinor: decision.amount.minor,
          currency,
          reference,
          reasonCategory: input.reasonCategory ?? null,
          createdAt: this.deps.clock.now(),
          createdBy: caller.memberId,
        });
        await tx.insert(AccountRefundRow, refund);
        const outstandingBefore = creditOutstanding(credit.state);
        await recordAudit(tx, {
          businessId: caller.businessId,
          actor: caller,
          action: 'ACCOUNT_REFUNDED',
          subjectType: credit.row.kind === 'PAYMENT' ? 'Payment' : 'CreditNote',
          subjectId: credit.row.id,
          changes: [
            {
              field: 'outstanding',
              before: toDecimalString(outstandingBefore),
              after: toDecimalString(
                money(outstandingBefore.minor - decision.amount.minor, currency),
              ),
            },
            { field: 'refund', before: null, after: refund.number },
          ],
          reason: reference,
          at: refund.createdAt,
        });
        if (input.notifyCustomer) {
          await queueRefundNotice(tx, {
            businessId: caller.businessId,
            customerId: refund.customerId,
            amount: decision.amount,
            subject: credit.row.kind === 'PAYMENT' ? 'your payment on account' : 'your credit note',
            reason: reference,
            at: refund.createdAt,
          });
        }
        await this.recordAccountEvent(
          tx,
          caller,
          EventType.CREDIT_NOTE_REFUNDED,
          { id: credit.row.id, customerId: refund.customerId, kind: credit.row.kind },
          {
            subjects: { refundId: refund.id, bankAccountId: bank.id },
            amounts: { amount: decision.amount },
            data: { number: refund.number, reference, reasonCategory: refund.reasonCategory },
          },
        );
        return { refundId: refund.id, customerId: refund.customerId };
      },
      { afterCommit: () => refundsRecorded.inc({ flow: 'account' }) },
    );
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
   * Credit notes and payments with something outstanding, oldest first. One pass over the
   * customer's allocations and refunds (grouped, hash-joined) rather than a lookup per credit.
   */
  async outstandingCredits(businessId: string, customerId: string): Promise<OutstandingCredit[]> {
    const rows: CreditRowWithOutstanding[] = await this.db.manager.query(
      `SELECT * FROM (
         SELECT c.id, c.kind, c.number, c.created_at, c.amount_minor, c.currency, c.description,
                c.customer_id,
                COALESCE(al.allocated, 0) AS allocated_minor,
                COALESCE(rf.refunded, 0) AS refunded_minor
           FROM account_credits c
           LEFT JOIN (SELECT l.credit_id, SUM(l.amount_minor) AS allocated
                        FROM (${LIVE_ALLOCATIONS} AND a.business_id = $1 AND a.customer_id = $2) l
                       GROUP BY l.credit_id) al ON al.credit_id = c.id
           LEFT JOIN (SELECT credit_id, SUM(amount_minor) AS refunded FROM account_refunds
                       WHERE business_id = $1 AND customer_id = $2 GROUP BY credit_id) rf
                  ON rf.credit_id = c.id
          WHERE c.business_id = $1 AND c.customer_id = $2) x
        ORDER BY x.created_at, x.id`,
      [businessId, customerId],
    );
    // What is outstanding is the domain's rule (creditOutstanding), not a second copy in SQL.
    return rows.filter((row) => hasOutstanding(creditState(row))).map(toOutstandingCredit);
  }

  /** What the customer owes (+) or is owed (−): the sum of every statement line. */
  async balance(businessId: string, customerId: string): Promise<Money> {
    const currency = await this.businessCurrency(this.db.manager, businessId);
    const [row]: Array<{ balance: string }> = await this.db.manager.query(
      `SELECT COALESCE(SUM(COALESCE(l.debit_minor, 0) - COALESCE(l.credit_minor, 0)), 0) AS balance
         FROM (${STATEMENT_LINES}) l`,
      [businessId, customerId],
    );
    return money(BigInt(row?.balance ?? '0'), currency);
  }

  /**
   * The statement, oldest first, keyset-paginated on (date, rank, id). Each page's running
   * balance opens with the sum of every line before it, so page boundaries change nothing.
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
    let opening = zero(currency);
    if (!after && range.since) {
      // The first page of a dated statement opens with everything before its first day.
      params.push(range.since);
      conditions.push(`l.date >= $${params.length}`);
      const [row]: Array<{ balance: string }> = await this.db.manager.query(
        `SELECT COALESCE(SUM(COALESCE(l.debit_minor, 0) - COALESCE(l.credit_minor, 0)), 0) AS balance
           FROM (${STATEMENT_LINES}) l WHERE l.date < $3`,
        [businessId, customerId, range.since],
      );
      opening = money(BigInt(row?.balance ?? '0'), currency);
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
      const [row]: Array<{ balance: string }> = await this.db.manager.query(
        `SELECT COALESCE(SUM(COALESCE(l.debit_minor, 0) - COALESCE(l.credit_minor, 0)), 0) AS balance
           FROM (${STATEMENT_LINES}) l
          WHERE (l.date, l.rank, l.src) <= ($3::timestamptz, $4::int, $5::uuid)`,
        [businessId, customerId, dateKey, rank, src],
      );
      opening = money(BigInt(row?.balance ?? '0'), currency);
      params.push(dateKey, rank, src);
      const n = params.length;
      conditions.push(
        `(l.date, l.rank, l.src) > ($${n - 2}::timestamptz, $${n - 1}::int, $${n}::uuid)`,
      );
    }
    params.push(size + 1);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const rows: StatementRow[] = await this.db.manager.query(
      `SELECT l.*, ${DATE_KEY} AS date_key FROM (${STATEMENT_LINES}) l ${where}
        ORDER BY l.date, l.rank, l.src LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, size);
    const entries = page.map((row) => ({
      kind: row.kind,
      debit: row.debit_minor === null ? null : money(BigInt(row.debit_minor), currency),
      credit: row.credit_minor === null ? null : money(BigInt(row.credit_minor), currency),
    }));
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

  /** Locks the credit row, then reads its O/S (READ COMMITTED: after the lock, fresh). */
  private async lockCredit(
    tx: Transaction,
    businessId: string,
    creditId: string,
  ): Promise<{ row: CreditRowWithOutstanding; state: AccountCreditState }> {
    const locked: unknown[] = isUuid(creditId)
      ? await tx.query(
          `SELECT id FROM account_credits WHERE id = $1 AND business_id = $2 FOR UPDATE`,
          [creditId, businessId],
        )
      : [];
    if (locked.length === 0) throw notFound(['input', 'creditId'], 'credit note or payment');
    const row = (await this.findCreditRow(tx, businessId, creditId))!;
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
    },
  ): Promise<void> {
    await recordEvent(tx, {
      businessId: caller.businessId,
      type,
      actor: caller,
      at: this.deps.clock.now(),
      subjects: { creditId: credit.id, customerId: credit.customerId, ...extra.subjects },
      amounts: extra.amounts ?? {},
      data: { kind: credit.kind, ...extra.data },
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
