import { createCustomer, type SignedUp, startTestApi, type TestApi } from '../test/harness';
import { WRITE_PATHS } from '../test/write-paths';

const USER_ERRORS = `userErrors { code field message }`;
const REFUND = `mutation ($input: RefundCreditNoteInput!) {
  refundCreditNote(input: $input) {
    refund { id number reasonCategory amount { amount } }
    ${USER_ERRORS}
  } }`;
const AUDIT = `query ($subjectId: ID, $action: String) {
  auditLog(subjectId: $subjectId, action: $action, first: 20) {
    nodes { action actorKind actorName subjectType subjectId reason changes { field before after } }
  } }`;

/** Reason categories on account refunds, and the audit trail of every account money movement. */
describe.each(WRITE_PATHS)(
  'customer accounts: reasons and audit trail (refunds: %s)',
  (writePath) => {
    let api: TestApi;
    let owner: SignedUp;
    let customerId: string;
    let bankId: string;

    const gql = async (query: string, variables: Record<string, unknown>) => {
      const result = await api.gql<any>(query, variables, owner.token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };
    const auditOf = async (subjectId: string) =>
      (await gql(AUDIT, { subjectId })).auditLog.nodes as any[];

    async function creditNote(amount: string, reason?: string): Promise<string> {
      const data = await gql(
        `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } ${USER_ERRORS} } }`,
        { input: { customerId, amount: { amount, currency: 'GBP' }, reason } },
      );
      expect(data.createCreditNote.userErrors).toEqual([]);
      return data.createCreditNote.credit.id;
    }

    async function invoice(total: string): Promise<string> {
      const created = await gql(
        `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } } }`,
        {
          input: {
            customerId,
            title: 'Deep clean',
            lineItems: [{ description: 'Deep clean', quantity: '1', unitPrice: total }],
          },
        },
      );
      const quoteId = created.createQuote.quote.id;
      for (const step of ['sendQuote', 'acceptQuote']) {
        await gql(`mutation ($id: ID!) { ${step}(quoteId: $id) { quote { status } } }`, {
          id: quoteId,
        });
      }
      return quoteId;
    }

    beforeAll(async () => {
      api = await startTestApi({
        groupCommit: writePath === 'group commit',
        now: new Date('2026-03-02T09:00:00.000Z'),
      });
      owner = await api.signUp({
        country: 'GB',
        currency: 'GBP',
        timezone: 'Europe/London',
        name: 'Ama Owusu',
      });
      customerId = await createCustomer(api, owner, 'Kofi Mensah');
      const bank = await gql(
        `mutation { createBankAccount(input: { name: "Barclays", currency: "GBP" }) { bankAccount { id } } }`,
        {},
      );
      bankId = bank.createBankAccount.bankAccount.id;
    });
    afterAll(() => api.close());

    it('stores and returns the reason category of a credit-note refund', async () => {
      const noteId = await creditNote('30.00', 'Returned goods');
      const refunded = await gql(REFUND, {
        input: {
          creditId: noteId,
          bankAccountId: bankId,
          amount: '12.50',
          reference: 'BACS 1234',
          reasonCategory: 'CANCELLED',
        },
      });
      expect(refunded.refundCreditNote.userErrors).toEqual([]);
      expect(refunded.refundCreditNote.refund).toMatchObject({
        reasonCategory: 'CANCELLED',
        amount: { amount: '12.50' },
      });
      const [stored]: any[] = await api.db.manager.query(
        `SELECT reason_category FROM account_refunds WHERE id = $1`,
        [refunded.refundCreditNote.refund.id],
      );
      expect(stored.reason_category).toBe('CANCELLED');

      // The note's trail, newest first: the refund with the O/S before and after, then its creation.
      expect(await auditOf(noteId)).toEqual([
        {
          action: 'ACCOUNT_REFUNDED',
          actorKind: 'MEMBER',
          actorName: 'Ama Owusu',
          subjectType: 'CreditNote',
          subjectId: noteId,
          reason: 'BACS 1234',
          changes: [
            { field: 'outstanding', before: '30.00', after: '17.50' },
            { field: 'refund', before: null, after: refunded.refundCreditNote.refund.number },
          ],
        },
        {
          action: 'CREDIT_NOTE_CREATED',
          actorKind: 'MEMBER',
          actorName: 'Ama Owusu',
          subjectType: 'CreditNote',
          subjectId: noteId,
          reason: 'Returned goods',
          changes: [{ field: 'amount', before: null, after: '30.00' }],
        },
      ]);
    });

    it('refuses an unknown reason category as BAD_USER_INPUT and refunds nothing', async () => {
      const noteId = await creditNote('5.00');
      const result = await api.gql<any>(
        REFUND,
        { input: { creditId: noteId, bankAccountId: bankId, reasonCategory: 'WHIM' } },
        owner.token,
      );
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await auditOf(noteId)).map((e) => e.action)).toEqual(['CREDIT_NOTE_CREATED']);
    });

    it('audits payments and allocations against the invoice they settle', async () => {
      const quoteId = await invoice('20.00');
      const paid = await gql(
        `mutation ($input: RecordPaymentInput!) { recordPayment(input: $input) { credit { id } ${USER_ERRORS} } }`,
        {
          input: {
            customerId,
            amount: { amount: '8.00', currency: 'GBP' },
            quoteId,
            reference: 'Card 42',
          },
        },
      );
      expect(paid.recordPayment.userErrors).toEqual([]);
      const paymentId = paid.recordPayment.credit.id;
      expect(await auditOf(paymentId)).toEqual([
        expect.objectContaining({
          action: 'PAYMENT_RECORDED',
          subjectType: 'Payment',
          reason: 'Card 42',
          changes: [{ field: 'amount', before: null, after: '8.00' }],
        }),
      ]);
      const allocations = (await auditOf(quoteId)).filter((e) => e.action === 'CREDIT_ALLOCATED');
      expect(allocations).toEqual([
        expect.objectContaining({
          subjectType: 'Quote',
          changes: [
            { field: 'allocated', before: null, after: '8.00' },
            { field: 'credit', before: null, after: paymentId },
          ],
        }),
      ]);
    });

    it('writes no audit entry when a refund is refused', async () => {
      const noteId = await creditNote('5.00');
      const refused = await gql(REFUND, {
        input: { creditId: noteId, bankAccountId: bankId, amount: '6.00' },
      });
      expect(refused.refundCreditNote.userErrors[0].code).toBe('AMOUNT_EXCEEDS_OUTSTANDING');
      expect((await auditOf(noteId)).map((e) => e.action)).toEqual(['CREDIT_NOTE_CREATED']);
    });
  },
);
