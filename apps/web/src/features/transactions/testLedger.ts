// Test helper (no *.test suffix): a small in-memory credit ledger answering the credits operations
// the way the contract describes them, for the transactions and customer screen tests.
import type { CreditTransactionKind, Role } from '../../gql/graphql';
import { customer as baseCustomer, fakeBusiness, member } from '../../test/fixtures';
import type { Resolvers } from '../../test/fakeApi';

export interface FakeEntry {
  id: string;
  kind: CreditTransactionKind;
  credits: string;
  description: string | null;
  createdAt: string;
  createdBy: ReturnType<typeof member> | null;
  customer: FakeCustomer;
  refundOf: FakeEntry | null;
  refundedCredits: string;
  refundableCredits: string;
  deleted: boolean;
  deletedAt: string | null;
  deleteReason: string | null;
  deletedBy: ReturnType<typeof member> | null;
  reasonCategory: string | null;
  /** Set on the undone entry when a REVERSAL is appended: "deleted" is derived from it. */
  reversedBy: FakeEntry | null;
  reverses: FakeEntry | null;
  balanceAfter: string;
}

export type FakeCustomer = typeof baseCustomer;

type Refusal = { code: string; field: string[]; message: string };

export function fakeLedger(
  options: {
    customers?: FakeCustomer[];
    extra?: Resolvers;
    role?: Role;
  } = {},
) {
  const customers = options.customers ?? [{ ...baseCustomer }];
  const entries: FakeEntry[] = [];
  let clock = Date.UTC(2026, 10, 1, 9);
  let sequence = 0;

  // As the API keeps it: every entry counts, a REVERSAL cancelling the entry it undoes.
  const balanceOf = (customerId: string) =>
    entries
      .filter((e) => e.customer.id === customerId)
      .reduce((sum, e) => sum + BigInt(e.credits), 0n);
  const sync = (customerId: string) => {
    const c = customers.find((x) => x.id === customerId);
    if (!c) return null;
    c.creditBalance = balanceOf(customerId).toString();
    return Object.assign(c, {
      recentCreditCorrections: ({ first }: { first?: number | null }) =>
        entries
          .filter((e) => e.customer.id === customerId && e.kind === 'ADJUSTMENT')
          .reverse()
          .slice(0, first ?? 5),
    });
  };

  const add = (
    customerId: string,
    kind: CreditTransactionKind,
    credits: bigint,
    extra: Partial<FakeEntry> = {},
  ): FakeEntry => {
    const c = customers.find((x) => x.id === customerId);
    if (!c) throw new Error(`no customer ${customerId}`);
    sequence += 1;
    clock += 3_600_000;
    const entry: FakeEntry = {
      id: `t${sequence}`,
      kind,
      credits: credits.toString(),
      description: null,
      createdAt: new Date(clock).toISOString(),
      createdBy: member(),
      customer: c,
      refundOf: null,
      refundedCredits: '0',
      refundableCredits: kind === 'SPEND' ? (-credits).toString() : '0',
      deleted: false,
      deletedAt: null,
      deleteReason: null,
      deletedBy: null,
      reasonCategory: null,
      reversedBy: null,
      reverses: null,
      balanceAfter: (balanceOf(customerId) + credits).toString(),
      ...extra,
    };
    entries.push(entry);
    sync(customerId);
    return entry;
  };

  const refuse = (error: Refusal) => ({ transaction: null, customer: null, userErrors: [error] });

  const resolvers: Resolvers = {
    ...fakeBusiness({ ...(options.role ? { role: options.role } : {}) }).resolvers,
    customers: () => ({ nodes: customers, pageInfo: { hasNextPage: false, endCursor: null } }),
    customer: ({ id }: { id: string }) => sync(id),
    creditTransactions: ({
      customerId,
      kind,
      first,
    }: {
      customerId?: string | null;
      kind?: CreditTransactionKind | null;
      first?: number | null;
    }) => {
      const nodes = entries
        .filter((e) => (!customerId || e.customer.id === customerId) && (!kind || e.kind === kind))
        .reverse()
        .slice(0, first ?? 25);
      return { nodes, pageInfo: { hasNextPage: false, endCursor: null } };
    },
    refundTransaction: ({
      input,
    }: {
      input: {
        transactionId: string;
        credits?: string | null;
        reason?: string | null;
        reasonCategory?: string | null;
        expectedRefundedCredits?: string | null;
      };
    }) => {
      const spend = entries.find((e) => e.id === input.transactionId);
      if (!spend || spend.kind !== 'SPEND') {
        return refuse({ code: 'NOT_FOUND', field: ['input', 'transactionId'], message: '' });
      }
      if (
        input.expectedRefundedCredits !== undefined &&
        input.expectedRefundedCredits !== null &&
        input.expectedRefundedCredits !== spend.refundedCredits
      ) {
        return refuse({
          code: 'INVALID_STATE',
          field: [],
          message: 'Someone refunded this spend meanwhile. Check the amounts and try again.',
        });
      }
      const refundable = BigInt(spend.refundableCredits);
      const credits = input.credits ? BigInt(input.credits) : refundable;
      if (credits > refundable) {
        return refuse({
          code: 'AMOUNT_EXCEEDS_REFUNDABLE',
          field: ['input', 'credits'],
          message: `Only ${refundable} credits can still be refunded.`,
        });
      }
      spend.refundedCredits = (BigInt(spend.refundedCredits) + credits).toString();
      spend.refundableCredits = (refundable - credits).toString();
      const refund = add(spend.customer.id, 'REFUND', credits, {
        refundOf: spend,
        description: input.reason ?? null,
        reasonCategory: input.reasonCategory ?? null,
      });
      return { transaction: refund, customer: sync(spend.customer.id), userErrors: [] };
    },
    deleteTransaction: ({
      input,
    }: {
      input: { transactionId: string; reason?: string | null; reasonCategory?: string | null };
    }) => {
      const entry = entries.find((e) => e.id === input.transactionId);
      if (!entry) return refuse({ code: 'NOT_FOUND', field: [], message: '' });
      if (entry.deleted || (entry.kind !== 'REFUND' && entry.kind !== 'ADJUSTMENT')) {
        return refuse({
          code: 'INVALID_STATE',
          field: [],
          message: 'This entry cannot be deleted.',
        });
      }
      if (balanceOf(entry.customer.id) - BigInt(entry.credits) < 0n) {
        return refuse({ code: 'INSUFFICIENT_BALANCE', field: [], message: '' });
      }
      // The API appends a linked REVERSAL and derives "deleted" (who, when, why) from it.
      const reversal = add(entry.customer.id, 'REVERSAL', -BigInt(entry.credits), {
        reverses: entry,
        description: input.reason ?? null,
        reasonCategory: input.reasonCategory ?? null,
      });
      entry.reversedBy = reversal;
      entry.deleted = true;
      entry.deletedAt = reversal.createdAt;
      entry.deleteReason = reversal.description;
      entry.deletedBy = reversal.createdBy;
      if (entry.refundOf) {
        const spend = entry.refundOf;
        spend.refundedCredits = (BigInt(spend.refundedCredits) - BigInt(entry.credits)).toString();
        spend.refundableCredits = (
          BigInt(spend.refundableCredits) + BigInt(entry.credits)
        ).toString();
      }
      return { transaction: entry, reversal, customer: sync(entry.customer.id), userErrors: [] };
    },
    adjustBalance: ({
      input,
    }: {
      input: { customerId: string; credits: string; comment: string };
    }) => {
      const credits = BigInt(input.credits);
      if (balanceOf(input.customerId) + credits < 0n) {
        return refuse({
          code: 'INSUFFICIENT_BALANCE',
          field: ['input', 'credits'],
          message: `The balance is only ${balanceOf(input.customerId)} credits.`,
        });
      }
      const entry = add(input.customerId, 'ADJUSTMENT', credits, { description: input.comment });
      return { transaction: entry, customer: sync(input.customerId), userErrors: [] };
    },
    ...options.extra,
  };
  return { resolvers, entries, customers, add, balanceOf };
}
