import type { QuoteStatus, QuoteTab, Role } from '../gql/graphql';
import { apiError, type Resolvers } from './fakeApi';
import { add, parseCurrency, parseMoney, subtract, toDecimalString, unwrap } from '@refunds/domain';

export const business = {
  id: 'b1',
  name: 'Kofi Cleaning',
  country: 'GH',
  currency: 'GHS',
  timezone: 'Africa/Accra',
  refundChannelExamples: ['MTN MoMo', 'Airtel Money', 'M-Pesa', 'Whatever mobile money they used'],
  sample: false,
};

export function member(role: Role = 'OWNER') {
  return { id: 'm1', name: 'Ama Owusu', email: 'ama@example.com', role };
}

export const customer = {
  id: 'c1',
  name: 'Yaw Mensah',
  email: 'yaw@example.com',
  portalPath: '/c/tok-yaw',
  creditBalance: '0',
  accountBalance: { amount: '0.00', currency: 'GHS' },
};

let sequence = 0;

export interface FakeQuote {
  id: string;
  number: string;
  title: string | null;
  status: QuoteStatus;
  createdAt: string;
  paidAt: string | null;
  followUpsActive: boolean;
  total: { amount: string; currency: string };
  customer: typeof customer;
  case: { id: string; number: string; status: string; dealValue: null; customer: typeof customer };
  lineItems: {
    description: string;
    quantity: string;
    unitPrice: { amount: string; currency: string };
    total: { amount: string; currency: string };
  }[];
  refund: null | {
    id: string;
    amount: { amount: string; currency: string };
    reason: string | null;
    recordedAt: string;
    recordedBy: ReturnType<typeof member> | null;
  };
  refunds: {
    id: string;
    amount: { amount: string; currency: string };
    reason: string | null;
    reasonCategory: string | null;
    recordedAt: string;
  }[];
  paidAmount: { amount: string; currency: string };
  refundedAmount: { amount: string; currency: string };
  refundableAmount: { amount: string; currency: string };
  outstanding: { amount: string; currency: string };
  activity: {
    id: string;
    at: string;
    kind: string;
    actorName: string | null;
    message: string;
    reason: string | null;
  }[];
}

export function quote(status: QuoteStatus, overrides: Partial<FakeQuote> = {}): FakeQuote {
  sequence += 1;
  const total = { amount: '1250.00', currency: 'GHS' };
  return {
    id: `q${sequence}`,
    number: `Q-${String(sequence).padStart(4, '0')}`,
    title: 'Deep clean',
    status,
    createdAt: '2026-11-02T09:00:00.000Z',
    paidAt: status === 'PAID' ? '2026-11-10T12:00:00.000Z' : null,
    followUpsActive: status !== 'PAID' && status !== 'VOID',
    total,
    customer,
    case: {
      id: `case${sequence}`,
      number: `YS-00012${sequence}`,
      status: status === 'PAID' ? 'WON' : 'AWAITING_CUSTOMER',
      dealValue: null,
      customer,
    },
    lineItems: [
      {
        description: 'Deep clean, 3 rooms',
        quantity: '1',
        unitPrice: total,
        total,
      },
    ],
    refund: null,
    refunds: [],
    paidAmount:
      status === 'PAID' || status === 'REFUNDED' ? total : { amount: '0.00', currency: 'GHS' },
    refundedAmount: { amount: '0.00', currency: 'GHS' },
    refundableAmount: status === 'PAID' ? total : { amount: '0.00', currency: 'GHS' },
    outstanding: status === 'ACCEPTED' ? total : { amount: '0.00', currency: 'GHS' },
    activity: [
      {
        id: `a${sequence}-1`,
        at: '2026-11-02T09:00:00.000Z',
        kind: 'CREATED',
        actorName: 'Ama Owusu',
        message: 'Quote created',
        reason: null,
      },
    ],
    ...overrides,
  };
}

/**
 * A small in-memory business for screen tests: quotes whose status changes as the mutations say,
 * stats computed from them, and REFUNDED among the tabs once any quote is refunded.
 */
export function fakeBusiness(
  options: {
    role?: Role;
    quotes?: FakeQuote[];
    extra?: Resolvers;
  } = {},
) {
  const quotes = options.quotes ?? [];
  const find = (id: string) => quotes.find((q) => q.id === id) ?? null;
  const tabs = (): QuoteTab[] => {
    const base: QuoteTab[] = ['ALL', 'DRAFT', 'SENT', 'ACCEPTED', 'PAID'];
    return quotes.some((q) => q.refund) ? [...base, 'REFUNDED', 'VOID'] : [...base, 'VOID'];
  };
  const ok = (q: FakeQuote) => ({ quote: q, userErrors: [] });
  const transition = (id: string, status: QuoteStatus, message: string) => {
    const q = find(id);
    if (!q) return { quote: null, userErrors: [{ code: 'NOT_FOUND', field: [], message: '' }] };
    q.status = status;
    q.activity.push({
      id: `${q.id}-${q.activity.length + 1}`,
      at: '2026-11-20T10:00:00.000Z',
      kind: status,
      actorName: 'Ama Owusu',
      message,
      reason: null,
    });
    return ok(q);
  };
  const resolvers: Resolvers = {
    me: () => member(options.role ?? 'OWNER'),
    business: () => business,
    quoteStats: () => {
      const paid = quotes.filter((q) => q.status === 'PAID');
      const sum = paid.reduce((s, q) => s + BigInt(q.total.amount.replace('.', '')), 0n);
      const amount = `${sum / 100n}.${String(sum % 100n).padStart(2, '0')}`;
      return {
        invoicesPaidCount: paid.length,
        invoicedThisMonth: { amount, currency: 'GHS' },
        tabs: tabs(),
        // The same filter as `quotes` below, so a tab's number is its list's length.
        tabCounts: tabs().map((tab) => ({
          tab,
          count: quotes.filter((q) => tab === 'ALL' || q.status === tab).length,
        })),
      };
    },
    quotes: ({ tab }: { tab?: QuoteTab }) => ({
      nodes: quotes.filter((q) => !tab || tab === 'ALL' || q.status === tab),
      pageInfo: { hasNextPage: false, endCursor: null },
    }),
    quote: ({ id }: { id: string }) => find(id),
    customers: () => ({
      nodes: [customer],
      pageInfo: { hasNextPage: false, endCursor: null },
    }),
    sendQuote: ({ quoteId }: { quoteId: string }) => transition(quoteId, 'SENT', 'Quote sent'),
    acceptQuote: ({ quoteId }: { quoteId: string }) =>
      transition(quoteId, 'ACCEPTED', 'Quote accepted'),
    markQuoteUnpaid: ({ quoteId }: { quoteId: string }) => {
      const result = transition(quoteId, 'ACCEPTED', 'Marked unpaid');
      if (result.quote) result.quote.paidAmount = { ...result.quote.paidAmount, amount: '0.00' };
      return result;
    },
    voidQuote: ({ quoteId }: { quoteId: string }) => transition(quoteId, 'VOID', 'Voided'),
    markQuotePaid: ({ input }: { input: { quoteId: string; paidAt?: string } }) => {
      const result = transition(input.quoteId, 'PAID', 'Marked paid');
      if (result.quote) {
        result.quote.paidAt = input.paidAt ?? '2026-11-20T10:00:00.000Z';
        result.quote.paidAmount = result.quote.total;
      }
      return result;
    },
    addQuoteNote: ({ quoteId, body }: { quoteId: string; body: string }) =>
      transition(quoteId, find(quoteId)?.status ?? 'DRAFT', body),
    recordRefund: ({
      input,
    }: {
      input: {
        quoteId: string;
        amount?: string | null;
        reason?: string | null;
        reasonCategory?: string | null;
      };
    }) => {
      const q = find(input.quoteId);
      if (!q) return { refund: null, quote: null, userErrors: [] };
      // Amounts through the domain's money, never floats: default everything still refundable.
      const currency = unwrap(parseCurrency(q.total.currency));
      const refundable = unwrap(parseMoney(q.refundableAmount.amount, currency));
      const amount = input.amount ? unwrap(parseMoney(input.amount, currency)) : refundable;
      const refunded = add(unwrap(parseMoney(q.refundedAmount.amount, currency)), amount);
      const left = subtract(refundable, amount);
      const refund = {
        id: `r-${q.id}-${q.refunds.length + 1}`,
        amount: { amount: toDecimalString(amount), currency: q.total.currency },
        reason: input.reason ?? null,
        reasonCategory: input.reasonCategory ?? null,
        recordedAt: '2026-11-20T10:00:00.000Z',
        recordedBy: member(),
      };
      q.refunds.push(refund);
      q.refundedAmount = { amount: toDecimalString(refunded), currency: q.total.currency };
      q.refundableAmount = { amount: toDecimalString(left), currency: q.total.currency };
      if (left.minor === 0n) {
        q.status = 'REFUNDED';
        q.followUpsActive = false;
        q.case.status = 'LOST';
        q.refund = refund;
      }
      q.activity.push({
        id: `${q.id}-refund-${q.refunds.length}`,
        at: '2026-11-20T10:00:00.000Z',
        kind: 'REFUND_RECORDED',
        actorName: 'Ama Owusu',
        message: 'Refund recorded',
        reason: input.reason ?? null,
      });
      return { refund, quote: q, userErrors: [] };
    },
    refundsByReason: () => [],
    logout: () => true,
    ...options.extra,
  };
  return { resolvers, quotes };
}

export { apiError };
