import {
  BadInputError,
  type Credits,
  CREDIT_TRANSACTION_KINDS,
  type CreditEntryDecision,
  type CreditTransactionKind,
  decideAdjustment,
  decidePurchase,
  decideRefund,
  decideReversal,
  decideSpend,
  DomainError,
  normalizeCreditNote,
  parseCredits,
  parsePositiveCredits,
  type RefundReason,
  refundableCredits,
  requireCorrectionComment,
  type Result,
  unwrap,
  UserErrorCode,
  creditEntryEventType,
} from '@refunds/domain';
import { refundsRecorded } from '../platform/observability/metrics';
import type { Customer } from '../customers/customer.entity';
import type { CustomerService } from '../customers/customer.service';
import type { Transaction } from '../platform/db/database';
import type { Caller } from '../platform/graphql/context';
import { isUuid, newId } from '../platform/ids';
import { decodeCursor, type Page, pageSize, toPage } from '../platform/pagination';
import { parseLocalDateRange } from '../platform/local-date-range';
import type { ServiceDeps } from '../services';
import { BatchLoader } from '../platform/batch-loader';
import { type AuditChangeValue, recordAudit } from '../audit/audit.recorder';
import { recordEvent } from '../outbound/event.recorder';
import { queueRefundNotice } from '../outbound/mail.queue';
import { CreditTransactionRow } from './credit.entities';
import type {
  AdjustBalanceInput,
  DeleteTransactionInput,
  RecordCreditInput,
  RefundTransactionInput,
} from './credit.inputs';
import { CreditTransaction } from './credit.types';

/**
 * What a use case returns (and what an idempotency key replays): the entry it wrote, or for a
 * deletion the entry it undid and the REVERSAL it wrote.
 */
export interface CreditResult {
  [key: string]: string;
  transactionId: string;
  customerId: string;
}

/** What the audit log calls each kind of entry when it is written. */
const AUDIT_ACTION: Record<CreditTransactionKind, string> = {
  PURCHASE: 'CREDITS_PURCHASED',
  SPEND: 'CREDITS_SPENT',
  REFUND: 'CREDIT_REFUNDED',
  ADJUSTMENT: 'BALANCE_ADJUSTED',
  REVERSAL: 'ENTRY_REVERSED',
};

export interface CreditListQuery {
  customerId?: string | null | undefined;
  kind?: CreditTransactionKind | null | undefined;
  /** Business-local dates (YYYY-MM-DD), both included. */
  from?: string | null | undefined;
  to?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}

interface TransactionSqlRow {
  id: string;
  seq: string | number | bigint;
  business_id: string;
  customer_id: string;
  kind: CreditTransactionKind;
  credits: string | number | bigint;
  balance_after: string | number | bigint;
  description: string | null;
  refund_of_id: string | null;
  reverses_id: string | null;
  reason_category: RefundReason | null;
  created_at: Date | string;
  created_by: string | null;
  reversal_id: string | null;
  reversal_created_at: Date | string | null;
  reversal_created_by: string | null;
  reversal_description: string | null;
  refunded_credits: string | number | bigint;
}

/** Refunds of a spend that no REVERSAL undid: what counts against it. */
const COUNTING_REFUNDS_OF = (spend: string) => `
  SELECT COALESCE(SUM(r.credits), 0) FROM credit_transactions r
   WHERE r.refund_of_id = ${spend}
     AND NOT EXISTS (SELECT 1 FROM credit_transactions v WHERE v.reverses_id = r.id)`;

/**
 * Every column of an entry, the REVERSAL that undid it if any ("deleted" and who, when and why
 * are derived from it), and for a spend what its counting refunds add up to.
 */
const SELECT_TRANSACTION = `
  SELECT t.id, t.seq, t.business_id, t.customer_id, t.kind, t.credits, t.balance_after,
         t.description, t.refund_of_id, t.reverses_id, t.reason_category, t.created_at,
         t.created_by, v.id AS reversal_id, v.created_at AS reversal_created_at,
         v.created_by AS reversal_created_by, v.description AS reversal_description,
         CASE WHEN t.kind = 'SPEND' THEN (${COUNTING_REFUNDS_OF('t.id')}) ELSE 0 END
           AS refunded_credits
    FROM credit_transactions t
    LEFT JOIN credit_transactions v ON v.reverses_id = t.id`;

const SEQ_CURSOR = /^[0-9]{1,19}$/;

const customerNotFound = () =>
  new DomainError(UserErrorCode.NOT_FOUND, 'We could not find that customer.', [
    'input',
    'customerId',
  ]);
const transactionNotFound = () =>
  new DomainError(UserErrorCode.NOT_FOUND, 'We could not find that transaction.', [
    'input',
    'transactionId',
  ]);

/** A refusal of a parse, pointed at the input field it came from. */
function parsed<T>(result: Result<T>, ...field: string[]): T {
  if (result.ok) return result.value;
  throw result.error.at(...field);
}

/**
 * The credit wallet use cases. Each runs in one transaction that claims its idempotency key,
 * locks the customer's wallet row (the balance it protects; lock order: key → wallet → entries),
 * asks a domain rule, and writes the entry and the new balance together.
 */
export class CreditService {
  private readonly balances = new BatchLoader<bigint>((businessId, customerIds) =>
    this.loadBalances(businessId, customerIds),
  );
  private readonly transactions = new BatchLoader<CreditTransaction>((businessId, ids) =>
    this.loadTransactions(businessId, ids),
  );

  constructor(
    private readonly deps: ServiceDeps,
    private readonly customers: CustomerService,
  ) {}

  // ------------------------------------------------------------------------------- use cases

  recordPurchase(caller: Caller, input: RecordCreditInput): Promise<CreditResult> {
    return this.recordCredit(caller, input, 'recordCreditPurchase', decidePurchase);
  }

  recordSpend(caller: Caller, input: RecordCreditInput): Promise<CreditResult> {
    return this.recordCredit(caller, input, 'recordCreditSpend', decideSpend);
  }

  private async recordCredit(
    caller: Caller,
    input: RecordCreditInput,
    operation: string,
    rule: (balance: Credits, credits: Credits) => Result<CreditEntryDecision>,
  ): Promise<CreditResult> {
    const credits = parsed(parsePositiveCredits(input.credits), 'input', 'credits');
    const description = unwrap(normalizeCreditNote(input.description, ['input', 'description']));
    return this.deps.idempotency.transaction(
      this.deps.db,
      caller.businessId,
      operation,
      input,
      async (tx) => {
        const balance = await this.lockWallet(tx, caller.businessId, input.customerId);
        const decision = unwrap(rule(balance, credits));
        const result = await this.append(tx, caller, input.customerId, decision, { description });
        await this.audit(tx, caller, decision, result.transactionId, balance, description);
        await this.event(tx, caller, decision, result, { description });
        return result;
      },
    );
  }

  async refund(caller: Caller, input: RefundTransactionInput): Promise<CreditResult> {
    const credits =
      input.credits === null || input.credits === undefined
        ? null
        : parsed(parsePositiveCredits(input.credits), 'input', 'credits');
    const expectedRefundedCredits =
      input.expectedRefundedCredits === null || input.expectedRefundedCredits === undefined
        ? null
        : parsed(parseCredits(input.expectedRefundedCredits), 'input', 'expectedRefundedCredits');
    const reason = unwrap(normalizeCreditNote(input.reason, ['input', 'reason']));
    return this.deps.idempotency.transaction(
      this.deps.db,
      caller.businessId,
      'refundTransaction',
      input,
      async (tx) => {
        const { target, reversed, balance } = await this.lockEntry(
          tx,
          caller.businessId,
          input.transactionId,
        );
        const [sum]: Array<{ refunded: string | number }> = await tx.query(
          `SELECT (${COUNTING_REFUNDS_OF('$1')}) AS refunded`,
          [target.id],
        );
        const refundedBefore = BigInt(sum?.refunded ?? 0);
        const decision = unwrap(
          decideRefund({
            target: { kind: target.kind, credits: target.credits, reversed },
            refundedCredits: refundedBefore,
            balance,
            credits,
            expectedRefundedCredits,
          }),
        );
        const result = await this.append(tx, caller, target.customerId, decision, {
          description: reason,
          refundOfId: target.id,
          reasonCategory: input.reasonCategory ?? null,
        });
        await this.audit(tx, caller, decision, target.id, balance, reason, [
          { field: 'refundEntry', before: null, after: result.transactionId },
          {
            field: 'refundedCredits',
            before: refundedBefore.toString(),
            after: (refundedBefore + decision.credits).toString(),
          },
        ]);
        await this.event(tx, caller, decision, result, {
          refundOfId: target.id,
          reason,
          reasonCategory: input.reasonCategory ?? null,
        });
        if (input.notifyCustomer) {
          await queueRefundNotice(tx, {
            businessId: caller.businessId,
            customerId: target.customerId,
            amount: decision.credits,
            subject: 'credits',
            reason,
            at: this.deps.clock.now(),
          });
        }
        return result;
      },
      { afterCommit: () => refundsRecorded.inc({ flow: 'credit' }) },
    );
  }

  async adjust(caller: Caller, input: AdjustBalanceInput): Promise<CreditResult> {
    const credits = parsed(
      parseCredits(input.credits, { allowNegative: true }),
      'input',
      'credits',
    );
    const comment = unwrap(requireCorrectionComment(input.comment, ['input', 'comment']));
    return this.deps.idempotency.transaction(
      this.deps.db,
      caller.businessId,
      'adjustBalance',
      input,
      async (tx) => {
        const balance = await this.lockWallet(tx, caller.businessId, input.customerId);
        const decision = unwrap(decideAdjustment(balance, credits));
        const result = await this.append(tx, caller, input.customerId, decision, {
          description: comment,
        });
        await this.audit(tx, caller, decision, result.transactionId, balance, comment);
        await this.event(tx, caller, decision, result, { comment });
        return result;
      },
    );
  }

  /**
   * Undoes a REFUND or ADJUSTMENT entered by mistake by appending a REVERSAL entry linked to it
   * (who, when, why): the entry itself is never changed, and "deleted" is derived from the link.
   */
  async delete(caller: Caller, input: DeleteTransactionInput): Promise<CreditResult> {
    const reason = unwrap(normalizeCreditNote(input.reason, ['input', 'reason']));
    return this.deps.idempotency.transaction(
      this.deps.db,
      caller.businessId,
      'deleteTransaction',
      input,
      async (tx) => {
        const { target, reversed, balance } = await this.lockEntry(
          tx,
          caller.businessId,
          input.transactionId,
        );
        const decision = unwrap(
          decideReversal({ kind: target.kind, credits: target.credits, reversed }, balance),
        );
        const reversal = await this.append(tx, caller, target.customerId, decision, {
          description: reason,
          reversesId: target.id,
          reasonCategory: input.reasonCategory ?? null,
        });
        await this.audit(tx, caller, decision, target.id, balance, reason, [
          { field: 'deleted', before: 'false', after: 'true' },
          { field: 'reversalEntry', before: null, after: reversal.transactionId },
        ]);
        await this.event(tx, caller, decision, reversal, { reversesId: target.id, reason });
        return {
          transactionId: target.id,
          customerId: target.customerId,
          reversalId: reversal.transactionId,
        };
      },
    );
  }

  // ------------------------------------------------------------------------ locks and writes

  /**
   * Locks the customer's wallet row and returns the balance, creating the wallet (at zero) the
   * first time. A customer of another business, or a malformed id, is NOT_FOUND.
   */
  private async lockWallet(
    tx: Transaction,
    businessId: string,
    customerId: string,
  ): Promise<Credits> {
    if (!isUuid(customerId)) throw customerNotFound();
    const lock = () =>
      tx.query(
        `SELECT balance FROM credit_wallets WHERE customer_id = $1 AND business_id = $2 FOR UPDATE`,
        [customerId, businessId],
      ) as Promise<Array<{ balance: string | number }>>;
    let [wallet] = await lock();
    if (!wallet) {
      // A racing first use blocks on the primary key here until the other commits, then finds it.
      await tx.query(
        `INSERT INTO credit_wallets (customer_id, business_id, balance)
         SELECT id, business_id, 0 FROM customers WHERE id = $1 AND business_id = $2
         ON CONFLICT (customer_id) DO NOTHING`,
        [customerId, businessId],
      );
      [wallet] = await lock();
      if (!wallet) throw customerNotFound();
    }
    return BigInt(wallet.balance);
  }

  /** Finds an entry of this business, then locks its customer's wallet (the fixed lock order). */
  private async lockEntry(
    tx: Transaction,
    businessId: string,
    transactionId: string,
  ): Promise<{ target: CreditTransactionRow; reversed: boolean; balance: Credits }> {
    if (!isUuid(transactionId)) throw transactionNotFound();
    const owner = await tx.findOne(CreditTransactionRow, {
      select: { id: true, customerId: true },
      where: { id: transactionId, businessId },
    });
    if (!owner) throw transactionNotFound();
    const balance = await this.lockWallet(tx, businessId, owner.customerId);
    // Read again under the lock: every change to this customer's entries holds the same lock.
    const target = await tx.findOneOrFail(CreditTransactionRow, {
      where: { id: transactionId, businessId },
    });
    const reversal: unknown[] = await tx.query(
      `SELECT 1 FROM credit_transactions WHERE reverses_id = $1`,
      [transactionId],
    );
    return { target, reversed: reversal.length > 0, balance };
  }

  private async append(
    tx: Transaction,
    caller: Caller,
    customerId: string,
    decision: CreditEntryDecision,
    extra: {
      description: string | null;
      refundOfId?: string;
      reversesId?: string;
      reasonCategory?: RefundReason | null;
    },
  ): Promise<CreditResult> {
    const id = newId();
    await tx.insert(CreditTransactionRow, {
      id,
      businessId: caller.businessId,
      customerId,
      kind: decision.kind,
      credits: decision.credits,
      balanceAfter: decision.balanceAfter,
      description: extra.description,
      refundOfId: extra.refundOfId ?? null,
      reversesId: extra.reversesId ?? null,
      reasonCategory: extra.reasonCategory ?? null,
      createdAt: this.deps.clock.now(),
      createdBy: caller.memberId,
      createdByApiKey: caller.apiKeyId,
    });
    await this.setBalance(tx, customerId, decision.balanceAfter);
    return { transactionId: id, customerId };
  }

  /** The audit entry of a credit use case, in its transaction: the balance before and after. */
  private audit(
    tx: Transaction,
    caller: Caller,
    decision: CreditEntryDecision,
    subjectId: string,
    balanceBefore: Credits,
    reason: string | null,
    changes: readonly AuditChangeValue[] = [],
  ): Promise<void> {
    return recordAudit(tx, {
      businessId: caller.businessId,
      actor: caller,
      action: AUDIT_ACTION[decision.kind],
      subjectType: 'CreditTransaction',
      subjectId,
      changes: [
        {
          field: 'balance',
          before: balanceBefore.toString(),
          after: decision.balanceAfter.toString(),
        },
        ...changes,
      ],
      reason,
      at: this.deps.clock.now(),
    });
  }

  /** The event of a new entry, last in its use case's transaction (see recordEvent). */
  private async event(
    tx: Transaction,
    caller: Caller,
    decision: CreditEntryDecision,
    entry: CreditResult,
    data: Record<string, string | null>,
  ): Promise<void> {
    await recordEvent(tx, {
      businessId: caller.businessId,
      type: creditEntryEventType(decision.kind),
      actor: caller,
      at: this.deps.clock.now(),
      subjects: {
        customerId: entry.customerId,
        transactionId: entry.transactionId,
        refundOfId: data['refundOfId'],
        reversesId: data['reversesId'],
      },
      amounts: { credits: decision.credits, balanceAfter: decision.balanceAfter },
      data: {
        kind: decision.kind,
        ...Object.fromEntries(
          Object.entries(data).filter(([name]) => name !== 'refundOfId' && name !== 'reversesId'),
        ),
      },
    });
  }

  private async setBalance(tx: Transaction, customerId: string, balance: Credits): Promise<void> {
    await tx.query(`UPDATE credit_wallets SET balance = $2 WHERE customer_id = $1`, [
      customerId,
      balance.toString(),
    ]);
  }

  // ------------------------------------------------------------------------------------ reads

  /** What a mutation's payload shows, read after its transaction committed. */
  async payload(
    businessId: string,
    result: CreditResult,
  ): Promise<{
    transaction: CreditTransaction | null;
    reversal: CreditTransaction | null;
    customer: Customer | null;
  }> {
    const reversalId = result['reversalId'];
    const [transaction, reversal, customer] = await Promise.all([
      this.find(businessId, result.transactionId),
      reversalId === undefined ? null : this.find(businessId, reversalId),
      this.customers.find(businessId, result.customerId),
    ]);
    return { transaction, reversal, customer };
  }

  async find(businessId: string, id: string): Promise<CreditTransaction | null> {
    if (!isUuid(id)) return null;
    return (await this.loadTransactions(businessId, [id])).get(id) ?? null;
  }

  /** The customer's balance: what its wallet holds (zero before its first entry). */
  async balance(businessId: string, customerId: string): Promise<Credits> {
    return (await this.balances.load(businessId, customerId)) ?? 0n;
  }

  /** Newest first, keyset-paginated on the insertion order. */
  async list(businessId: string, query: CreditListQuery): Promise<Page<CreditTransaction>> {
    const size = pageSize(query.first);
    const after = decodeCursor(query.after, ['seq']);
    const conditions = ['t.business_id = $1'];
    const params: unknown[] = [businessId];
    if (query.customerId !== null && query.customerId !== undefined) {
      // Another business's customer, or a malformed id, is simply a customer without entries.
      if (!isUuid(query.customerId)) return toPage([], size, () => []);
      params.push(query.customerId);
      conditions.push(`t.customer_id = $${params.length}`);
    }
    if (query.kind !== null && query.kind !== undefined) {
      if (!CREDIT_TRANSACTION_KINDS.includes(query.kind)) {
        throw new BadInputError('Unknown transaction kind.', ['kind']);
      }
      params.push(query.kind);
      conditions.push(`t.kind = $${params.length}`);
    }
    if (query.from || query.to) {
      const [business]: Array<{ timezone: string }> = await this.deps.db.manager.query(
        `SELECT timezone FROM businesses WHERE id = $1`,
        [businessId],
      );
      const range = parseLocalDateRange(query, business?.timezone ?? 'UTC');
      if (range.since) {
        params.push(range.since);
        conditions.push(`t.created_at >= $${params.length}`);
      }
      if (range.until) {
        params.push(range.until);
        conditions.push(`t.created_at < $${params.length}`);
      }
    }
    if (after) {
      const seq = String(after[0]);
      if (!SEQ_CURSOR.test(seq)) {
        throw new BadInputError('That "after" cursor is not one this list gave out.', ['after']);
      }
      params.push(seq);
      conditions.push(`t.seq < $${params.length}`);
    }
    params.push(size + 1);
    const rows: TransactionSqlRow[] = await this.deps.db.manager.query(
      `${SELECT_TRANSACTION} WHERE ${conditions.join(' AND ')} ORDER BY t.seq DESC LIMIT $${params.length}`,
      params,
    );
    return toPage(rows.map(toView), size, (t) => [t.seq]);
  }

  /** The latest corrections (ADJUSTMENT entries) of one customer, newest first. */
  async recentCorrections(
    businessId: string,
    customerId: string,
    first: number | null | undefined,
  ): Promise<CreditTransaction[]> {
    const page = await this.list(businessId, { customerId, kind: 'ADJUSTMENT', first: first ?? 5 });
    return page.nodes;
  }

  // Batched reads for field resolvers: one query per field per list, whatever its length.
  transactionById = (businessId: string, id: string) => this.transactions.load(businessId, id);

  private async loadTransactions(
    businessId: string,
    ids: readonly string[],
  ): Promise<Map<string, CreditTransaction>> {
    const wanted = ids.filter(isUuid);
    if (wanted.length === 0) return new Map();
    const rows: TransactionSqlRow[] = await this.deps.db.manager.query(
      `${SELECT_TRANSACTION} WHERE t.business_id = $1 AND t.id = ANY($2::uuid[])`,
      [businessId, wanted],
    );
    return new Map(rows.map((row) => [row.id, toView(row)]));
  }

  private async loadBalances(
    businessId: string,
    customerIds: readonly string[],
  ): Promise<Map<string, bigint>> {
    const wanted = customerIds.filter(isUuid);
    if (wanted.length === 0) return new Map();
    const rows: Array<{ customer_id: string; balance: string | number }> =
      await this.deps.db.manager.query(
        `SELECT customer_id, balance FROM credit_wallets
          WHERE business_id = $1 AND customer_id = ANY($2::uuid[])`,
        [businessId, wanted],
      );
    return new Map(rows.map((row) => [row.customer_id, BigInt(row.balance)]));
  }
}

const instant = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

function toView(row: TransactionSqlRow): CreditTransaction {
  const credits = BigInt(row.credits);
  const refunded = BigInt(row.refunded_credits);
  const view = new CreditTransaction();
  Object.assign(view, {
    id: row.id,
    seq: String(row.seq),
    businessId: row.business_id,
    customerId: row.customer_id,
    kind: row.kind,
    credits: credits.toString(),
    description: row.description,
    createdAt: instant(row.created_at),
    createdById: row.created_by,
    refundOfId: row.refund_of_id,
    refundedCredits: refunded.toString(),
    refundableCredits: refundableCredits({ kind: row.kind, credits }, refunded).toString(),
    reasonCategory: row.reason_category,
    // "Deleted" is derived from the REVERSAL that undid the entry: its time, author and reason.
    deleted: row.reversal_id !== null,
    deletedAt: row.reversal_created_at === null ? null : instant(row.reversal_created_at),
    deletedById: row.reversal_created_by,
    deleteReason: row.reversal_description,
    reversedById: row.reversal_id,
    reversesId: row.reverses_id,
    balanceAfter: BigInt(row.balance_after).toString(),
  } satisfies Omit<CreditTransaction, never>);
  return view;
}
