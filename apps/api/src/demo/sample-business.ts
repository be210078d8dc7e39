import { randomBytes } from 'node:crypto';
import { execute, type GraphQLSchema, parse } from 'graphql';
import { type CurrencyCode, minorDigits, money, toDecimalString } from '@refunds/domain';
import type { Services } from '../services';
import type { RequestContext } from '../platform/graphql/context';

export interface SampleProfile {
  readonly businessName: string;
  readonly country: string;
  readonly currency: string;
  readonly timezone: string;
  readonly ownerName: string;
}

export interface SampleBusiness {
  readonly businessId: string;
  readonly token: string;
  readonly email: string;
  readonly password: string;
}

export const SAMPLE_SUFFIX = ' (sample)';

/**
 * Why a separate business rather than sample rows in the caller's own: every money table here is
 * an append-only ledger with gap-free numbers per business (INV-, CN-, RF-) and an audit trail.
 * Sample invoices would use up real numbers, and taking them out again would mean deleting ledger
 * and audit rows. A business of its own is clearly marked, shows every screen filled in, and is
 * "removed" by closing it, without deleting anything.
 *
 * The data goes in through the public GraphQL operations, as a person or an integration would
 * record it, so it obeys every rule (and stays valid as the rules change).
 */
export async function createSampleBusiness(
  services: Services,
  schema: GraphQLSchema,
  profile: SampleProfile,
  /** Counted like a sign-up from this address: sample businesses are throttled the same way. */
  clientAddress: string,
): Promise<SampleBusiness> {
  const email = `sample-${randomBytes(6).toString('hex')}@example.com`;
  // Nobody types this password: the SPA switches with the token, `pnpm demo` prints it once.
  const password = randomBytes(12).toString('base64url');
  const { token } = await services.auth.signUp(
    {
      businessName: `${profile.businessName}${SAMPLE_SUFFIX}`,
      country: profile.country,
      currency: profile.currency,
      timezone: profile.timezone,
      name: profile.ownerName,
      email,
      password,
    },
    clientAddress,
  );
  const caller = await services.auth.authenticate(token);
  if (!caller) throw new Error('the sample business owner could not sign in');
  await services.db.manager.query(`UPDATE businesses SET sample = true WHERE id = $1`, [
    caller.businessId,
  ]);

  const context: RequestContext = {
    caller,
    credentialsRejected: false,
    services,
    clientIp: 'sample-data',
  };
  const run = async <T>(source: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const result = await execute({
      schema,
      document: parse(source),
      variableValues: variables,
      contextValue: context,
    });
    if (result.errors?.length) throw new Error(`sample data: ${result.errors[0]!.message}`);
    const payload = Object.values(result.data ?? {})[0] as { userErrors?: unknown[] } | undefined;
    if (payload?.userErrors?.length) {
      throw new Error(`sample data refused: ${JSON.stringify(payload.userErrors)}`);
    }
    return payload as T;
  };
  // Whole units of the business currency, written as its decimals (GHS 125.00, JPY 125).
  const currency = profile.currency as CurrencyCode;
  const amount = (units: number) =>
    toDecimalString(money(BigInt(units) * 10n ** BigInt(minorDigits(currency)), currency));

  const customer = async (name: string, emailName: string) =>
    (
      await run<{ customer: { id: string } }>(
        `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { customer { id } userErrors { code message } } }`,
        { input: { name, email: `${emailName}@example.com` } },
      )
    ).customer.id;
  const ama = await customer('Ama Serwaa', 'ama.sample');
  const kwesi = await customer('Kwesi Boateng', 'kwesi.sample');
  const emile = await customer('Émile Zola', 'emile.sample');

  const invoice = async (customerId: string, title: string, lines: Array<[string, number]>) => {
    const created = await run<{ quote: { id: string } }>(
      `mutation ($input: CreateQuoteInput!) { createQuote(input: $input) { quote { id } userErrors { code message } } }`,
      {
        input: {
          customerId,
          title,
          lineItems: lines.map(([description, units]) => ({
            description,
            quantity: '1',
            unitPrice: amount(units),
          })),
        },
      },
    );
    return created.quote.id;
  };
  const step = (mutation: string, quoteId: string) =>
    run(
      `mutation ($quoteId: ID!) { ${mutation}(quoteId: $quoteId) { quote { id } userErrors { code message } } }`,
      { quoteId },
    );
  const markPaid = (quoteId: string) =>
    run(
      `mutation ($input: MarkPaidInput!) { markQuotePaid(input: $input) { quote { id } userErrors { code message } } }`,
      { input: { quoteId } },
    );

  // A paid invoice.
  const paid = await invoice(ama, 'Deep clean, 3 rooms', [
    ['Deep clean', 120],
    ['Windows', 30],
  ]);
  await step('sendQuote', paid);
  await step('acceptQuote', paid);
  await markPaid(paid);
  // A refunded invoice.
  const refunded = await invoice(kwesi, 'Carpet shampoo', [['Carpet shampoo, living room', 80]]);
  await step('sendQuote', refunded);
  await step('acceptQuote', refunded);
  await markPaid(refunded);
  await run(
    `mutation ($input: RecordRefundInput!) { recordRefund(input: $input) { quote { id } userErrors { code message } } }`,
    { input: { quoteId: refunded, reason: 'Stains came back the next day.' } },
  );
  // A quote still waiting for the customer.
  const sent = await invoice(emile, 'Move-out clean', [['Move-out clean', 200]]);
  await step('sendQuote', sent);

  // Credits: bought, spent, and part of the spend given back.
  const entry = async (mutation: string, input: Record<string, unknown>) =>
    (
      await run<{ transaction: { id: string } }>(
        `mutation ($input: ${mutation === 'refundTransaction' ? 'RefundTransactionInput' : 'RecordCreditInput'}!) { ${mutation}(input: $input) { transaction { id } userErrors { code message } } }`,
        { input },
      )
    ).transaction.id;
  await entry('recordCreditPurchase', {
    customerId: ama,
    credits: '100',
    description: 'Starter pack',
  });
  const spend = await entry('recordCreditSpend', {
    customerId: ama,
    credits: '40',
    description: 'Ironing, 40 shirts',
  });
  await entry('refundTransaction', {
    transactionId: spend,
    credits: '15',
    reason: '15 shirts were not ironed.',
  });

  // A credit note, partly refunded to a bank account.
  const note = await run<{ credit: { id: string } }>(
    `mutation ($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { credit { id } userErrors { code message } } }`,
    {
      input: {
        customerId: kwesi,
        amount: { amount: amount(25), currency: profile.currency },
        reason: 'Late pickup',
      },
    },
  );
  const bank = await run<{ bankAccount: { id: string } }>(
    `mutation ($input: CreateBankAccountInput!) { createBankAccount(input: $input) { bankAccount { id } userErrors { code message } } }`,
    { input: { name: 'Sample bank account', currency: profile.currency } },
  );
  await run(
    `mutation ($input: RefundCreditNoteInput!) { refundCreditNote(input: $input) { refund { id } userErrors { code message } } }`,
    {
      input: {
        creditId: note.credit.id,
        bankAccountId: bank.bankAccount.id,
        amount: amount(10),
        reference: 'Sample transfer',
      },
    },
  );
  return { businessId: caller.businessId, token, email, password };
}

/**
 * Closes a sample business: its sessions and API keys stop working at once; its rows stay, as
 * every ledger row does. Only sample businesses can be removed this way.
 */
export async function removeSampleBusiness(
  services: Services,
  businessId: string,
): Promise<boolean> {
  const removed = await services.db.transaction(async (tx) => {
    const now = services.clock.now();
    const open: unknown[] = await tx.query(
      `SELECT id FROM businesses WHERE id = $1 AND sample AND sample_removed_at IS NULL FOR UPDATE`,
      [businessId],
    );
    if (open.length === 0) return false;
    await tx.query(`UPDATE businesses SET sample_removed_at = $2 WHERE id = $1`, [businessId, now]);
    await tx.query(
      `UPDATE sessions SET revoked_at = $2 WHERE business_id = $1 AND revoked_at IS NULL`,
      [businessId, now],
    );
    await tx.query(
      `UPDATE api_keys SET revoked_at = $2 WHERE business_id = $1 AND revoked_at IS NULL`,
      [businessId, now],
    );
    return true;
  });
  // This process's cached credentials of the business go at once (others': within a second).
  if (removed) services.auth.forgetBusiness(businessId);
  return removed;
}
