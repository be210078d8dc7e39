import { type Client } from 'pg';

/** How much history one business has; the large size is what issue 15 measures at scale 1. */
export interface BusinessSize {
  readonly customers: number;
  readonly creditEntries: number;
  readonly quotes: number;
  /** Lines of the statement customer's account (half invoices, half their payments). */
  readonly statementLines: number;
  /** Earlier refunds of the refund-heavy customer's one spend. */
  readonly spendRefunds: number;
  /** Credit notes of the outstanding-heavy customer. */
  readonly outstandingCredits: number;
}

export const SMALL: BusinessSize = {
  customers: 100,
  creditEntries: 1_000,
  quotes: 1_000,
  statementLines: 100,
  spendRefunds: 50,
  outstandingCredits: 60,
};

export function largeSize(scale: number): BusinessSize {
  const at = (full: number, small: number) => Math.max(small, Math.round(full * scale));
  return {
    customers: at(10_000, SMALL.customers),
    creditEntries: at(1_000_000, SMALL.creditEntries),
    quotes: at(200_000, SMALL.quotes),
    statementLines: at(100_000, SMALL.statementLines),
    spendRefunds: at(50_000, SMALL.spendRefunds),
    outstandingCredits: at(60_000, SMALL.outstandingCredits),
  };
}

/** The special customers every seeded business has, by their number n (ids: see customerId). */
export const STATEMENT_CUSTOMER = 1;
export const OUTSTANDING_CUSTOMER = 2;
export const REFUND_HEAVY_CUSTOMER = 3;
/** The one customer with this surname: a search for it is a search for a rare name. */
export const RARE_SURNAME = 'Quixtar';

/** Deterministic ids, so the benchmark can name the rows it seeded without reading them back. */
export const customerIdSql = (n: string) => `md5(:business::text || '/customer/' || ${n})::uuid`;
export const HEAVY_SPEND_SQL = `md5(:business::text || '/heavy-spend')::uuid`;

/**
 * Bulk SQL that writes one business's history in the API's own shapes (the tables of
 * apps/api/src/* /migrations), oldest first so every ledger's seq follows its dates: generated
 * rows, because seeding a million entries through the API would take hours.
 * Parameters are named (:business, :member, :customers ...) and bound per statement.
 */
const SEED: readonly string[] = [
  `INSERT INTO customers (id, business_id, name, email, portal_token, created_at)
   SELECT ${customerIdSql('n')}, :business::uuid,
          CASE n WHEN 1 THEN 'Statement Heavy' WHEN 2 THEN 'Outstanding Heavy'
                 WHEN 3 THEN 'Refund Heavy' WHEN 4 THEN 'Zebulon ${RARE_SURNAME}'
          ELSE (ARRAY['Ama','Kofi','Esi','Kwame','Yaa','Kojo','Abena','Yaw','Akosua','Kwabena'])[1 + n % 10]
               || ' ' ||
               (ARRAY['Mensah','Owusu','Boateng','Asante','Osei','Agyeman','Appiah','Darko','Addo','Badu','Ofori','Tetteh'])[1 + (n / 10) % 12]
               || ' ' || n END,
          'customer' || n || '@bench.example', md5(:business::text || '/portal/' || n),
          now() - interval '400 days' + n * interval '1 second'
     FROM generate_series(1, :customers::int) n`,
  // Ordinary customers: purchases of 10 credits, each spent in full, round-robin over them.
  `INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after, description, created_at, created_by)
   SELECT gen_random_uuid(), :business::uuid, ${customerIdSql('(5 + i % (:customers::int - 4))')},
          CASE WHEN (i / (:customers::int - 4)) % 2 = 0 THEN 'PURCHASE' ELSE 'SPEND' END,
          CASE WHEN (i / (:customers::int - 4)) % 2 = 0 THEN 10 ELSE -10 END,
          CASE WHEN (i / (:customers::int - 4)) % 2 = 0 THEN 10 ELSE 0 END,
          'chat minutes', now() - interval '400 days' + i * (interval '399 days' / :entries::int), :member::uuid
     FROM generate_series(0, :entries::int - 1) i ORDER BY i`,
  // The refund-heavy customer: one large spend and many earlier 1-credit refunds of it.
  `INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after, created_at, created_by)
   VALUES (gen_random_uuid(), :business::uuid, ${customerIdSql(String(REFUND_HEAVY_CUSTOMER))}, 'PURCHASE', 2000000000, 2000000000, now() - interval '1 day', :member::uuid)`,
  `INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after, created_at, created_by)
   VALUES (${HEAVY_SPEND_SQL}, :business::uuid, ${customerIdSql(String(REFUND_HEAVY_CUSTOMER))}, 'SPEND', -1000000000, 1000000000, now() - interval '1 day' + interval '1 second', :member::uuid)`,
  `INSERT INTO credit_transactions (id, business_id, customer_id, kind, credits, balance_after, refund_of_id, reason_category, created_at, created_by)
   SELECT gen_random_uuid(), :business::uuid, ${customerIdSql(String(REFUND_HEAVY_CUSTOMER))}, 'REFUND', 1, 1000000000 + r,
          ${HEAVY_SPEND_SQL}, 'GOODWILL', now() - interval '1 day' + interval '2 seconds' + r * interval '1 ms', :member::uuid
     FROM generate_series(1, :refunds::int) r ORDER BY r`,
  // Every wallet holds what its last entry says.
  `INSERT INTO credit_wallets (customer_id, business_id, balance)
   SELECT c.id, c.business_id,
          COALESCE((SELECT t.balance_after FROM credit_transactions t
                     WHERE t.business_id = c.business_id AND t.customer_id = c.id ORDER BY t.seq DESC LIMIT 1), 0)
     FROM customers c WHERE c.business_id = :business::uuid`,
  // Quotes of ordinary customers, every status, one case and one line each, over 400 days.
  `CREATE TEMP TABLE bench_quotes ON COMMIT DROP AS
   SELECT i, md5(:business::text || '/quote/' || i)::uuid AS id,
          md5(:business::text || '/case/' || i)::uuid AS case_id,
          ${customerIdSql('(5 + i % (:customers::int - 4))')} AS customer_id,
          (ARRAY['DRAFT','DRAFT','DRAFT','DRAFT','SENT','SENT','SENT','SENT','ACCEPTED','ACCEPTED','ACCEPTED','ACCEPTED',
                 'PAID','PAID','PAID','PAID','PAID','PAID','REFUNDED','VOID'])[1 + i % 20] AS status,
          1000 + (i % 97) * 100 AS total_minor,
          now() - interval '400 days' + i * (interval '399 days' / :quotes::int) AS created_at
     FROM generate_series(1, :quotes::int) i`,
  `INSERT INTO cases (id, business_id, customer_id, number, status, deal_value_minor, currency, created_at, updated_at)
   SELECT case_id, :business::uuid, customer_id, 'C-' || lpad(i::text, 7, '0'),
          CASE status WHEN 'PAID' THEN 'WON' WHEN 'ACCEPTED' THEN 'WON' WHEN 'REFUNDED' THEN 'LOST'
                      WHEN 'VOID' THEN 'ARCHIVED' ELSE 'AWAITING_CUSTOMER' END,
          total_minor, 'GHS', created_at, created_at
     FROM bench_quotes ORDER BY i`,
  `INSERT INTO quotes (id, business_id, customer_id, case_id, number, title, status, total_minor, currency, created_at, created_by,
                       sent_at, accepted_at, paid_at, voided_at, refunded_at)
   SELECT id, :business::uuid, customer_id, case_id, 'Q-' || lpad(i::text, 7, '0'), 'Support plan ' || i, status, total_minor, 'GHS',
          created_at, :member::uuid,
          CASE WHEN status <> 'DRAFT' THEN created_at + interval '1 minute' END,
          CASE WHEN status IN ('ACCEPTED','PAID','REFUNDED') THEN created_at + interval '2 minutes' END,
          CASE WHEN status IN ('PAID','REFUNDED') THEN created_at + interval '3 minutes' END,
          CASE WHEN status = 'VOID' THEN created_at + interval '2 minutes' END,
          CASE WHEN status = 'REFUNDED' THEN created_at + interval '4 minutes' END
     FROM bench_quotes ORDER BY i`,
  `INSERT INTO quote_line_items (id, quote_id, position, description, quantity_unscaled, quantity_scale, unit_price_minor, total_minor)
   SELECT md5(:business::text || '/line/' || i)::uuid, id, 1, 'Support', 1, 0, total_minor, total_minor FROM bench_quotes`,
  `INSERT INTO quote_payments (id, business_id, quote_id, customer_id, kind, amount_minor, currency, paid_at, recorded_at, recorded_by)
   SELECT gen_random_uuid(), :business::uuid, id, customer_id, 'PAYMENT', total_minor, 'GHS',
          created_at + interval '3 minutes', created_at + interval '3 minutes', :member::uuid
     FROM bench_quotes WHERE status IN ('PAID','REFUNDED') ORDER BY i`,
  `INSERT INTO quote_refunds (id, business_id, quote_id, amount_minor, currency, reason, reason_category, recorded_at, recorded_by)
   SELECT gen_random_uuid(), :business::uuid, id, total_minor, 'GHS', 'bench', 'GOODWILL',
          created_at + interval '4 minutes', :member::uuid
     FROM bench_quotes WHERE status = 'REFUNDED' ORDER BY i`,
  // The statement customer: paid invoices, each with its payment.
  `CREATE TEMP TABLE bench_statement ON COMMIT DROP AS
   SELECT i, md5(:business::text || '/statement-quote/' || i)::uuid AS id,
          md5(:business::text || '/statement-case/' || i)::uuid AS case_id,
          now() - interval '400 days' + i * (interval '399 days' / :invoices::int) AS accepted_at
     FROM generate_series(1, :invoices::int) i`,
  `INSERT INTO cases (id, business_id, customer_id, number, status, deal_value_minor, currency, created_at, updated_at)
   SELECT case_id, :business::uuid, ${customerIdSql(String(STATEMENT_CUSTOMER))}, 'SC-' || lpad(i::text, 7, '0'), 'WON', 5000, 'GHS',
          accepted_at, accepted_at
     FROM bench_statement ORDER BY i`,
  `INSERT INTO quotes (id, business_id, customer_id, case_id, number, title, status, total_minor, currency, created_at, created_by,
                       sent_at, accepted_at, paid_at)
   SELECT id, :business::uuid, ${customerIdSql(String(STATEMENT_CUSTOMER))}, case_id, 'SQ-' || lpad(i::text, 7, '0'), 'Monthly support', 'PAID', 5000, 'GHS',
          accepted_at - interval '2 minutes', :member::uuid, accepted_at - interval '1 minute', accepted_at, accepted_at + interval '1 minute'
     FROM bench_statement ORDER BY i`,
  `INSERT INTO quote_line_items (id, quote_id, position, description, quantity_unscaled, quantity_scale, unit_price_minor, total_minor)
   SELECT md5(:business::text || '/statement-line/' || i)::uuid, id, 1, 'Monthly support', 1, 0, 5000, 5000 FROM bench_statement`,
  `INSERT INTO quote_payments (id, business_id, quote_id, customer_id, kind, amount_minor, currency, paid_at, recorded_at, recorded_by)
   SELECT md5(:business::text || '/statement-payment/' || i)::uuid, :business::uuid, id, ${customerIdSql(String(STATEMENT_CUSTOMER))}, 'PAYMENT', 5000, 'GHS',
          accepted_at + interval '1 minute', accepted_at + interval '1 minute', :member::uuid
     FROM bench_statement ORDER BY i`,
  // The outstanding-heavy customer: many credit notes, nothing allocated or refunded yet.
  `INSERT INTO account_credits (id, business_id, customer_id, kind, number, amount_minor, currency, description, created_at, created_by)
   SELECT gen_random_uuid(), :business::uuid, ${customerIdSql(String(OUTSTANDING_CUSTOMER))}, 'CREDIT_NOTE', 'BCN-' || lpad(i::text, 7, '0'),
          1000, 'GHS', 'Goodwill credit', now() - interval '400 days' + i * (interval '399 days' / :credits::int), :member::uuid
     FROM generate_series(1, :credits::int) i ORDER BY i`,
  // The kept totals the API maintains beside its ledgers in the same transaction as each entry
  // (issue 15), computed once for what the bulk SQL above wrote behind the API's back. The
  // account projection (statement lines, balances, credit totals) is kept by triggers, so it
  // filled itself as the rows went in.
  `SELECT quote_rollups_rebuild(:business::uuid)`,
  `INSERT INTO credit_spend_totals (spend_id, business_id, refunded_credits)
   SELECT r.refund_of_id, r.business_id, SUM(r.credits)
     FROM credit_transactions r
    WHERE r.business_id = :business::uuid AND r.refund_of_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM credit_transactions v WHERE v.reverses_id = r.id)
    GROUP BY r.refund_of_id, r.business_id`,
];

/** Writes one business's history of `size` in one transaction. */
export async function seedBusiness(
  client: Client,
  businessId: string,
  memberId: string,
  size: BusinessSize,
): Promise<void> {
  const values: Record<string, string | number> = {
    business: businessId,
    member: memberId,
    customers: size.customers,
    entries: size.creditEntries - size.spendRefunds - 2,
    refunds: size.spendRefunds,
    quotes: size.quotes,
    invoices: Math.max(1, Math.floor(size.statementLines / 2)),
    credits: size.outstandingCredits,
  };
  await client.query('BEGIN');
  try {
    for (const statement of SEED) {
      const { text, params } = bindNamed(statement, values);
      await client.query(text, params);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** `:name` placeholders to `$n` (not `::type` casts), with the values in order. */
export function bindNamed(
  sql: string,
  values: Record<string, string | number>,
): { text: string; params: Array<string | number> } {
  const order: string[] = [];
  const text = sql.replace(/(?<!:):([a-z]+)/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for :${name}`);
    if (!order.includes(name)) order.push(name);
    return `$${order.indexOf(name) + 1}`;
  });
  return { text, params: order.map((name) => values[name]!) };
}
