// Test helper (no *.test suffix): a small in-memory customer account answering the accounts
// operations as the contract describes them, amounts in pesewas so nothing is a float.
import type { OutstandingKind, StatementLineKind } from '../../gql/graphql';
import type { Resolvers } from '../../test/fakeApi';
import { customer, fakeBusiness, quote, type FakeQuote } from '../../test/fixtures';

const cedis = (minor: bigint) => ({
  amount: `${minor < 0n ? '-' : ''}${(minor < 0n ? -minor : minor) / 100n}.${String((minor < 0n ? -minor : minor) % 100n).padStart(2, '0')}`,
  currency: 'GHS',
});
const minorOf = (amount: string) => {
  const [whole = '0', cents = ''] = amount.split('.');
  const sign = whole.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole.replace('-', '')) * 100n + BigInt(cents.padEnd(2, '0') || '0'));
};

interface Credit {
  id: string;
  kind: OutstandingKind;
  number: string;
  date: string;
  amountMinor: bigint;
  outstandingMinor: bigint;
}
interface Line {
  id: string;
  date: string;
  kind: StatementLineKind;
  reference: string;
  description: string | null;
  debitMinor: bigint | null;
  creditMinor: bigint | null;
}

export function fakeAccount(
  options: {
    bankAccounts?: { id: string; name: string; currency: string }[];
    extra?: Resolvers;
    quotes?: FakeQuote[];
  } = {},
) {
  const credits: Credit[] = [];
  const lines: Line[] = [];
  const bankAccounts = options.bankAccounts ?? [];
  const quotes = options.quotes ?? [quote('ACCEPTED')];
  let sequence = 0;
  const day = () => new Date(Date.UTC(2026, 9, 1, 10) + sequence * 3_600_000).toISOString();

  const addLine = (line: Omit<Line, 'id' | 'date'>) => {
    sequence += 1;
    lines.push({ id: `l${sequence}`, date: day(), ...line });
  };
  const addCredit = (kind: OutstandingKind, minor: bigint, description: string | null = null) => {
    sequence += 1;
    const prefix = kind === 'CREDIT_NOTE' ? 'CN' : 'PAY';
    const credit: Credit = {
      id: `cr${sequence}`,
      kind,
      number: `${prefix}-${String(sequence).padStart(4, '0')}`,
      date: day(),
      amountMinor: minor,
      outstandingMinor: minor,
    };
    credits.push(credit);
    addLine({ kind, reference: credit.number, description, debitMinor: null, creditMinor: minor });
    return credit;
  };
  const view = (c: Credit) => ({
    id: c.id,
    kind: c.kind,
    number: c.number,
    date: c.date,
    amount: cedis(c.amountMinor),
    outstanding: cedis(c.outstandingMinor),
  });
  const balanceMinor = () =>
    lines.reduce((sum, l) => sum + (l.debitMinor ?? 0n) - (l.creditMinor ?? 0n), 0n);
  const statement = ({ first, after }: { first?: number | null; after?: string | null }) => {
    let running = 0n;
    const all = lines.map((l) => {
      running += (l.debitMinor ?? 0n) - (l.creditMinor ?? 0n);
      return {
        id: l.id,
        date: l.date,
        kind: l.kind,
        reference: l.reference,
        description: l.description,
        debit: l.debitMinor === null ? null : cedis(l.debitMinor),
        credit: l.creditMinor === null ? null : cedis(l.creditMinor),
        balance: cedis(running),
      };
    });
    const start = after ? all.findIndex((l) => l.id === after) + 1 : 0;
    const nodes = all.slice(start, start + (first ?? 50));
    return {
      nodes,
      pageInfo: {
        hasNextPage: start + nodes.length < all.length,
        endCursor: nodes.at(-1)?.id ?? null,
      },
    };
  };
  // As the API pages them: oldest first, `after` the id of any credit of the account (used up or
  // not), 100 without `first`.
  const outstandingCredits = ({
    first,
    after,
  }: {
    first?: number | null;
    after?: string | null;
  }) => {
    let start = 0;
    if (after !== null && after !== undefined) {
      const at = credits.findIndex((c) => c.id === after);
      if (at < 0) throw new Error('"after" must be the id of a credit of this account.');
      start = at + 1;
    }
    return credits
      .slice(start)
      .filter((c) => c.outstandingMinor > 0n)
      .slice(0, first ?? 100)
      .map(view);
  };
  const account = (customerId: string) =>
    customerId === customer.id
      ? {
          customer,
          balance: () => cedis(balanceMinor()),
          outstandingCredits: outstandingCredits,
          statement,
        }
      : null;
  const refusal = (code: string, field: string[] = [], message = '') => ({
    credit: null,
    refund: null,
    account: null,
    userErrors: [{ code, field, message }],
  });

  const resolvers: Resolvers = {
    ...fakeBusiness({ quotes }).resolvers,
    customerAccount: ({ customerId }: { customerId: string }) => account(customerId),
    bankAccounts: () => bankAccounts,
    createBankAccount: ({ input }: { input: { name: string; currency: string } }) => {
      const bankAccount = { id: `bank${bankAccounts.length + 1}`, ...input };
      bankAccounts.push(bankAccount);
      return { bankAccount, userErrors: [] };
    },
    createCreditNote: ({
      input,
    }: {
      input: { amount: { amount: string; currency: string }; reason?: string | null };
    }) => {
      if (input.amount.currency !== 'GHS') {
        return refusal('CURRENCY_MISMATCH', ['input', 'amount', 'currency']);
      }
      return {
        credit: view(addCredit('CREDIT_NOTE', minorOf(input.amount.amount), input.reason ?? null)),
        userErrors: [],
      };
    },
    recordPayment: ({
      input,
    }: {
      input: { amount: { amount: string }; quoteId?: string | null; reference?: string | null };
    }) => ({
      credit: view(addCredit('PAYMENT', minorOf(input.amount.amount), input.reference ?? null)),
      userErrors: [],
    }),
    allocateCredit: ({
      input,
    }: {
      input: { creditId: string; quoteId: string; amount: string };
    }) => {
      const credit = credits.find((c) => c.id === input.creditId);
      if (!credit) return refusal('NOT_FOUND', ['input', 'creditId']);
      const minor = minorOf(input.amount);
      if (minor > credit.outstandingMinor) {
        return refusal(
          'AMOUNT_EXCEEDS_OUTSTANDING',
          ['input', 'amount'],
          `Only ${cedis(credit.outstandingMinor).amount} is outstanding.`,
        );
      }
      credit.outstandingMinor -= minor;
      addLine({
        kind: 'ALLOCATION',
        reference: credit.number,
        description: `to ${input.quoteId}`,
        debitMinor: null,
        creditMinor: null,
      });
      return { credit: view(credit), userErrors: [] };
    },
    refundCreditNote: ({
      input,
    }: {
      input: {
        creditId: string;
        bankAccountId: string;
        amount?: string | null;
        reasonCategory?: string | null;
      };
    }) => {
      const credit = credits.find((c) => c.id === input.creditId);
      const bank = bankAccounts.find((b) => b.id === input.bankAccountId);
      if (!credit || !bank) return refusal('NOT_FOUND');
      const minor = input.amount ? minorOf(input.amount) : credit.outstandingMinor;
      if (minor > credit.outstandingMinor) {
        return refusal(
          'AMOUNT_EXCEEDS_OUTSTANDING',
          ['input', 'amount'],
          `Only ${cedis(credit.outstandingMinor).amount} is outstanding.`,
        );
      }
      credit.outstandingMinor -= minor;
      sequence += 1;
      const number = `RF-${String(sequence).padStart(4, '0')}`;
      addLine({
        kind: 'REFUND',
        reference: number,
        description: `${credit.number} to ${bank.name}`,
        debitMinor: minor,
        creditMinor: null,
      });
      return {
        refund: {
          id: `rf${sequence}`,
          number,
          amount: cedis(minor),
          reasonCategory: input.reasonCategory ?? null,
        },
        account: null,
        userErrors: [],
      };
    },
    ...options.extra,
  };
  return { resolvers, credits, lines, bankAccounts, quotes, addCredit, addLine };
}
