import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Flat customer accounts (issue 15): reads that do not grow with a customer's history.
 *
 * - `statement_lines`: one row per statement line, keyed by the statement's own order
 *   (date, rank, src), with the account balance after the line. A page is a keyset range of that
 *   key and opens with the balance before its first line, so neither the first nor the last page
 *   sums anything.
 * - `account_balances`: the kept balance of each customer's account (the sum of its lines). Its
 *   row is also the lock that orders every change of that customer's statement.
 * - `account_credit_totals`: the kept allocated (to invoices that are still due) and refunded
 *   amounts of each credit, beside the append-only `account_credits`; the credit's lock row for
 *   allocations and refunds, and the index of the credits with something outstanding.
 *
 * All three are written by triggers on the entries they sum (account_credits, account_allocations,
 * account_refunds, quote_payments, quote_refunds, and the quotes' invoice status), so they move in
 * the same transaction as every writer of those entries, the quotes flow and bulk SQL included,
 * and no writer can forget them. Lock order inside the triggers: a credit's totals, then the
 * customer's balance row (the use cases lock quote → credit before inserting).
 *
 * `account_projection_rebuild(business, customer)` recomputes all three from the entries (NULLs:
 * everything); the backfill below is that function. It never touches a ledger row.
 */

/** Quote statuses in which a quote is an invoice on the statement (see quote-source.ts). */
const LIVE = `('ACCEPTED', 'PAID', 'REFUNDED')`;

/**
 * Every statement line from the entries, as the statement showed them before this projection
 * (one SELECT per kind of entry). Columns: business_id, customer_id, date, rank, src, kind,
 * reference, description, debit_minor, credit_minor, allocated_minor, quote_id. Descriptions that
 * follow mutable rows (an invoice's title, an allocation released by a void, a bank account's
 * name) are left NULL here and read with the page. `$filter(alias)` narrows to one customer.
 */
export function statementSourceLines(filter: (businessCol: string, customerCol: string) => string) {
  return `
  SELECT q.business_id, q.customer_id, q.accepted_at AS date, 0 AS rank, q.id AS src,
         'INVOICE' AS kind, q.number AS reference, NULL::text AS description,
         q.total_minor AS debit_minor, NULL::bigint AS credit_minor, NULL::bigint AS allocated_minor,
         q.id AS quote_id
    FROM quotes q
   WHERE q.status IN ${LIVE} AND ${filter('q.business_id', 'q.customer_id')}
  UNION ALL
  SELECT p.business_id, p.customer_id, p.paid_at, 1, p.id, 'PAYMENT', q.number,
         CASE p.kind WHEN 'PAYMENT' THEN 'Invoice marked paid'
              ELSE 'Payment reversed: invoice marked unpaid' END,
         CASE p.kind WHEN 'REVERSAL' THEN p.amount_minor END,
         CASE p.kind WHEN 'PAYMENT' THEN p.amount_minor END, NULL, p.quote_id
    FROM quote_payments p JOIN quotes q ON q.id = p.quote_id
   WHERE ${filter('p.business_id', 'p.customer_id')}
  UNION ALL
  SELECT q.business_id, q.customer_id, r.recorded_at, 2, r.id, 'CREDIT_NOTE', q.number,
         'Invoice cancelled by its refund', NULL, r.amount_minor, NULL, q.id
    FROM quotes q JOIN quote_refunds r ON r.quote_id = q.id
   WHERE ${filter('q.business_id', 'q.customer_id')}
  UNION ALL
  SELECT q.business_id, q.customer_id, r.recorded_at, 4, r.id, 'REFUND', q.number,
         'Invoice refunded', r.amount_minor, NULL, NULL, q.id
    FROM quotes q JOIN quote_refunds r ON r.quote_id = q.id
   WHERE ${filter('q.business_id', 'q.customer_id')}
  UNION ALL
  SELECT c.business_id, c.customer_id, c.created_at,
         CASE c.kind WHEN 'PAYMENT' THEN 1 ELSE 2 END, c.id, c.kind, c.number, c.description,
         NULL, c.amount_minor, NULL, NULL
    FROM account_credits c
   WHERE ${filter('c.business_id', 'c.customer_id')}
  UNION ALL
  SELECT a.business_id, a.customer_id, a.created_at, 3, a.id, 'ALLOCATION',
         c.number || ' to ' || q.number, NULL, NULL, NULL, a.amount_minor, a.quote_id
    FROM account_allocations a
    JOIN account_credits c ON c.id = a.credit_id
    JOIN quotes q ON q.id = a.quote_id
   WHERE ${filter('a.business_id', 'a.customer_id')}
  UNION ALL
  SELECT r.business_id, r.customer_id, r.created_at, 4, r.id, 'REFUND', r.number, NULL,
         r.amount_minor, NULL, NULL, NULL
    FROM account_refunds r
   WHERE ${filter('r.business_id', 'r.customer_id')}`;
}

const ONE_CUSTOMER = (b: string, c: string) =>
  `(p_business IS NULL OR (${b} = p_business AND ${c} = p_customer))`;

export class FlatAccounts1795410200000 implements MigrationInterface {
  name = 'FlatAccounts1795410200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE account_balances (
        business_id uuid NOT NULL REFERENCES businesses(id),
        customer_id uuid NOT NULL REFERENCES customers(id),
        balance_minor bigint NOT NULL,
        line_count bigint NOT NULL,
        PRIMARY KEY (business_id, customer_id)
      )`);
    await db.query(`
      CREATE TABLE statement_lines (
        business_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        date timestamptz NOT NULL,
        rank int NOT NULL,
        src uuid NOT NULL,
        kind text NOT NULL,
        reference text NOT NULL,
        description text,
        debit_minor bigint,
        credit_minor bigint,
        allocated_minor bigint,
        quote_id uuid,
        balance_minor bigint NOT NULL,
        PRIMARY KEY (business_id, customer_id, date, rank, src)
      )`);
    // An invoice's line leaves the statement when the invoice is voided.
    await db.query(`CREATE UNIQUE INDEX statement_lines_src_idx ON statement_lines (src, rank)`);
    await db.query(`
      CREATE TABLE account_credit_totals (
        credit_id uuid PRIMARY KEY REFERENCES account_credits(id),
        business_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        amount_minor bigint NOT NULL,
        allocated_minor bigint NOT NULL,
        refunded_minor bigint NOT NULL
      )`);
    // outstandingCredits: the customer's open credits, oldest first, keyset-paged.
    await db.query(`
      CREATE INDEX account_credit_totals_open_idx
        ON account_credit_totals (business_id, customer_id, created_at, credit_id)
        WHERE amount_minor > allocated_minor + refunded_minor`);

    await db.query(`
      CREATE FUNCTION statement_add_line(
        p_business uuid, p_customer uuid, p_date timestamptz, p_rank int, p_src uuid, p_kind text,
        p_reference text, p_description text, p_debit bigint, p_credit bigint,
        p_allocated bigint, p_quote uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        v_delta bigint := COALESCE(p_debit, 0) - COALESCE(p_credit, 0);
        v_before bigint;
      BEGIN
        -- The balance row first: it orders every change of this customer's statement.
        INSERT INTO account_balances AS b (business_id, customer_id, balance_minor, line_count)
        VALUES (p_business, p_customer, v_delta, 1)
        ON CONFLICT (business_id, customer_id) DO UPDATE
          SET balance_minor = b.balance_minor + v_delta, line_count = b.line_count + 1;
        -- Almost always none: lines dated after this one (a commit that overtook it). The probe
        -- of the last line keeps the usual case to one backward index step.
        IF v_delta <> 0 AND EXISTS (
          SELECT 1 FROM (SELECT l.date, l.rank, l.src FROM statement_lines l
                          WHERE l.business_id = p_business AND l.customer_id = p_customer
                          ORDER BY l.date DESC, l.rank DESC, l.src DESC LIMIT 1) last
           WHERE (last.date, last.rank, last.src) > (p_date, p_rank, p_src)) THEN
          UPDATE statement_lines SET balance_minor = balance_minor + v_delta
           WHERE business_id = p_business AND customer_id = p_customer
             AND (date, rank, src) > (p_date, p_rank, p_src);
        END IF;
        SELECT balance_minor INTO v_before FROM statement_lines
         WHERE business_id = p_business AND customer_id = p_customer
           AND (date, rank, src) < (p_date, p_rank, p_src)
         ORDER BY date DESC, rank DESC, src DESC LIMIT 1;
        INSERT INTO statement_lines (business_id, customer_id, date, rank, src, kind, reference,
                                     description, debit_minor, credit_minor, allocated_minor,
                                     quote_id, balance_minor)
        VALUES (p_business, p_customer, p_date, p_rank, p_src, p_kind, p_reference, p_description,
                p_debit, p_credit, p_allocated, p_quote, COALESCE(v_before, 0) + v_delta);
      END $$`);

    await db.query(`
      CREATE FUNCTION statement_remove_line(p_business uuid, p_customer uuid, p_src uuid, p_rank int)
      RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        v_date timestamptz;
        v_delta bigint;
      BEGIN
        PERFORM 1 FROM account_balances
         WHERE business_id = p_business AND customer_id = p_customer FOR UPDATE;
        DELETE FROM statement_lines
         WHERE business_id = p_business AND customer_id = p_customer AND src = p_src AND rank = p_rank
        RETURNING date, COALESCE(debit_minor, 0) - COALESCE(credit_minor, 0) INTO v_date, v_delta;
        IF NOT FOUND THEN RETURN; END IF;
        UPDATE account_balances
           SET balance_minor = balance_minor - v_delta, line_count = line_count - 1
         WHERE business_id = p_business AND customer_id = p_customer;
        IF v_delta <> 0 THEN
          UPDATE statement_lines SET balance_minor = balance_minor - v_delta
           WHERE business_id = p_business AND customer_id = p_customer
             AND (date, rank, src) > (v_date, p_rank, p_src);
        END IF;
      END $$`);

    // Many lines at once (one INSERT of entries, one or a bulk load): customers' balance rows
    // locked in a fixed order; when every new line sorts after its customer's last line (the
    // usual case) they are appended with running sums from the kept balance, set-based;
    // otherwise the balances are recounted from each customer's first new line on, also
    // set-based (a bulk load of payments dated between its invoices costs one pass).
    await db.query(`
      CREATE TYPE statement_line_input AS (
        business_id uuid, customer_id uuid, date timestamptz, rank int, src uuid, kind text,
        reference text, description text, debit_minor bigint, credit_minor bigint,
        allocated_minor bigint, quote_id uuid)`);
    await db.query(`
      CREATE FUNCTION statement_add_lines(p_lines statement_line_input[])
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF p_lines IS NULL OR cardinality(p_lines) = 0 THEN RETURN; END IF;
        -- The kept balances move first: that locks each customer's row (in a fixed order).
        INSERT INTO account_balances AS b (business_id, customer_id, balance_minor, line_count)
        SELECT n.business_id, n.customer_id,
               SUM(COALESCE(n.debit_minor, 0) - COALESCE(n.credit_minor, 0)), count(*)
          FROM unnest(p_lines) n GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (business_id, customer_id) DO UPDATE
          SET balance_minor = b.balance_minor + EXCLUDED.balance_minor,
              line_count = b.line_count + EXCLUDED.line_count;
        -- Each customer's first new line against their last line: one backward index probe a
        -- customer (ORDER BY … DESC LIMIT 1, so no plan can turn it into a scan).
        IF EXISTS (
          SELECT 1
            FROM (SELECT DISTINCT ON (n.business_id, n.customer_id) n.*
                    FROM unnest(p_lines) n
                   ORDER BY n.business_id, n.customer_id, n.date, n.rank, n.src) n
           CROSS JOIN LATERAL (
             SELECT l.date, l.rank, l.src FROM statement_lines l
              WHERE l.business_id = n.business_id AND l.customer_id = n.customer_id
              ORDER BY l.date DESC, l.rank DESC, l.src DESC LIMIT 1) last
           WHERE (last.date, last.rank, last.src) > (n.date, n.rank, n.src)) THEN
          -- Some land before existing lines: insert them, then recount every affected
          -- customer's balances from their first new line on (one pass, however many).
          INSERT INTO statement_lines (business_id, customer_id, date, rank, src, kind, reference,
                                       description, debit_minor, credit_minor, allocated_minor,
                                       quote_id, balance_minor)
          SELECT n.business_id, n.customer_id, n.date, n.rank, n.src, n.kind, n.reference,
                 n.description, n.debit_minor, n.credit_minor, n.allocated_minor, n.quote_id, 0
            FROM unnest(p_lines) n;
          UPDATE statement_lines l SET balance_minor = x.balance
            FROM (SELECT s.business_id, s.customer_id, s.date, s.rank, s.src,
                         COALESCE(f.opening, 0)
                           + SUM(COALESCE(s.debit_minor, 0) - COALESCE(s.credit_minor, 0))
                               OVER (PARTITION BY s.business_id, s.customer_id
                                     ORDER BY s.date, s.rank, s.src ROWS UNBOUNDED PRECEDING)
                           AS balance
                    FROM (SELECT DISTINCT ON (n.business_id, n.customer_id)
                                 n.business_id, n.customer_id, n.date, n.rank, n.src
                            FROM unnest(p_lines) n
                           ORDER BY n.business_id, n.customer_id, n.date, n.rank, n.src) f0
                    CROSS JOIN LATERAL (
                      SELECT (SELECT p.balance_minor FROM statement_lines p
                               WHERE p.business_id = f0.business_id
                                 AND p.customer_id = f0.customer_id
                                 AND (p.date, p.rank, p.src) < (f0.date, f0.rank, f0.src)
                               ORDER BY p.date DESC, p.rank DESC, p.src DESC LIMIT 1) AS opening) f
                    JOIN statement_lines s
                      ON s.business_id = f0.business_id AND s.customer_id = f0.customer_id
                     AND (s.date, s.rank, s.src) >= (f0.date, f0.rank, f0.src)) x
           WHERE l.business_id = x.business_id AND l.customer_id = x.customer_id
             AND l.date = x.date AND l.rank = x.rank AND l.src = x.src
             AND l.balance_minor IS DISTINCT FROM x.balance;
          RETURN;
        END IF;
        INSERT INTO statement_lines (business_id, customer_id, date, rank, src, kind, reference,
                                     description, debit_minor, credit_minor, allocated_minor,
                                     quote_id, balance_minor)
        SELECT n.business_id, n.customer_id, n.date, n.rank, n.src, n.kind, n.reference,
               n.description, n.debit_minor, n.credit_minor, n.allocated_minor, n.quote_id,
               -- The balance already counts the whole batch: back off its sum, add the running one.
               ab.balance_minor
                 - SUM(COALESCE(n.debit_minor, 0) - COALESCE(n.credit_minor, 0))
                     OVER (PARTITION BY n.business_id, n.customer_id)
                 + SUM(COALESCE(n.debit_minor, 0) - COALESCE(n.credit_minor, 0))
                     OVER (PARTITION BY n.business_id, n.customer_id
                           ORDER BY n.date, n.rank, n.src ROWS UNBOUNDED PRECEDING)
          FROM unnest(p_lines) n
          JOIN account_balances ab
            ON ab.business_id = n.business_id AND ab.customer_id = n.customer_id;
      END $$`);

    // ---- account entries (statement triggers: one call per INSERT, whatever its row count)
    await db.query(`
      CREATE FUNCTION account_credits_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO account_credit_totals
          (credit_id, business_id, customer_id, created_at, amount_minor, allocated_minor, refunded_minor)
        SELECT id, business_id, customer_id, created_at, amount_minor, 0, 0 FROM new_rows;
        PERFORM statement_add_lines(ARRAY(
          SELECT ROW(business_id, customer_id, created_at,
                     CASE kind WHEN 'PAYMENT' THEN 1 ELSE 2 END, id, kind, number, description,
                     NULL, amount_minor, NULL, NULL)::statement_line_input
            FROM new_rows));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER account_credits_project AFTER INSERT ON account_credits
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION account_credits_added()`);

    await db.query(`
      CREATE FUNCTION account_allocations_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Only allocations to invoices still due count against the credit (a void releases).
        UPDATE account_credit_totals t SET allocated_minor = t.allocated_minor + s.total
          FROM (SELECT a.credit_id, SUM(a.amount_minor) AS total
                  FROM new_rows a JOIN quotes q ON q.id = a.quote_id
                 WHERE q.status IN ${LIVE} GROUP BY a.credit_id) s
         WHERE t.credit_id = s.credit_id;
        PERFORM statement_add_lines(ARRAY(
          SELECT ROW(a.business_id, a.customer_id, a.created_at, 3, a.id, 'ALLOCATION',
                     c.number || ' to ' || q.number, NULL, NULL, NULL, a.amount_minor,
                     a.quote_id)::statement_line_input
            FROM new_rows a
            JOIN account_credits c ON c.id = a.credit_id
            JOIN quotes q ON q.id = a.quote_id));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER account_allocations_project AFTER INSERT ON account_allocations
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION account_allocations_added()`);

    await db.query(`
      CREATE FUNCTION account_refunds_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE account_credit_totals t SET refunded_minor = t.refunded_minor + s.total
          FROM (SELECT credit_id, SUM(amount_minor) AS total FROM new_rows GROUP BY credit_id) s
         WHERE t.credit_id = s.credit_id;
        PERFORM statement_add_lines(ARRAY(
          SELECT ROW(business_id, customer_id, created_at, 4, id, 'REFUND', number, NULL,
                     amount_minor, NULL, NULL, NULL)::statement_line_input
            FROM new_rows));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER account_refunds_project AFTER INSERT ON account_refunds
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION account_refunds_added()`);

    // ---- the quotes flow's entries (it does not need to know: these triggers follow it)
    await db.query(`
      CREATE FUNCTION quote_payments_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM statement_add_lines(ARRAY(
          SELECT ROW(p.business_id, p.customer_id, p.paid_at, 1, p.id, 'PAYMENT', q.number,
                     CASE p.kind WHEN 'PAYMENT' THEN 'Invoice marked paid'
                          ELSE 'Payment reversed: invoice marked unpaid' END,
                     CASE p.kind WHEN 'REVERSAL' THEN p.amount_minor END,
                     CASE p.kind WHEN 'PAYMENT' THEN p.amount_minor END, NULL,
                     p.quote_id)::statement_line_input
            FROM new_rows p JOIN quotes q ON q.id = p.quote_id));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER quote_payments_project AFTER INSERT ON quote_payments
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION quote_payments_added()`);

    await db.query(`
      CREATE FUNCTION quote_refunds_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM statement_add_lines(ARRAY(
          SELECT ROW(q.business_id, q.customer_id, r.recorded_at, x.rank, r.id, x.kind, q.number,
                     x.description,
                     CASE x.kind WHEN 'REFUND' THEN r.amount_minor END,
                     CASE x.kind WHEN 'CREDIT_NOTE' THEN r.amount_minor END, NULL,
                     q.id)::statement_line_input
            FROM new_rows r JOIN quotes q ON q.id = r.quote_id
           CROSS JOIN (VALUES (2, 'CREDIT_NOTE', 'Invoice cancelled by its refund'),
                              (4, 'REFUND', 'Invoice refunded')) x(rank, kind, description)));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER quote_refunds_project AFTER INSERT ON quote_refunds
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION quote_refunds_added()`);

    // Quotes inserted as invoices already (bulk loads; the app inserts drafts).
    await db.query(`
      CREATE FUNCTION quotes_added() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM statement_add_lines(ARRAY(
          SELECT ROW(business_id, customer_id, accepted_at, 0, id, 'INVOICE', number, NULL,
                     total_minor, NULL, NULL, id)::statement_line_input
            FROM new_rows WHERE status IN ${LIVE}));
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER quotes_invoice_project_insert AFTER INSERT ON quotes
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION quotes_added()`);

    // A quote is an invoice on the statement while its status is live: accepted adds the line,
    // a void removes it and releases the allocations to it (credit totals first: lock order).
    await db.query(`
      CREATE FUNCTION quote_invoice_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_was boolean := OLD.status IN ${LIVE};
        v_is boolean := NEW.status IN ${LIVE};
        v_sign int;
      BEGIN
        IF v_was <> v_is THEN
          v_sign := CASE WHEN v_is THEN 1 ELSE -1 END;
          PERFORM 1 FROM account_credit_totals
           WHERE credit_id IN (SELECT credit_id FROM account_allocations WHERE quote_id = NEW.id)
           ORDER BY credit_id FOR UPDATE;
          UPDATE account_credit_totals t SET allocated_minor = t.allocated_minor + v_sign * a.total
            FROM (SELECT credit_id, SUM(amount_minor) AS total FROM account_allocations
                   WHERE quote_id = NEW.id GROUP BY credit_id) a
           WHERE t.credit_id = a.credit_id;
        END IF;
        IF v_was THEN
          PERFORM statement_remove_line(OLD.business_id, OLD.customer_id, OLD.id, 0);
        END IF;
        IF v_is THEN
          PERFORM statement_add_line(NEW.business_id, NEW.customer_id, NEW.accepted_at, 0, NEW.id,
            'INVOICE', NEW.number, NULL, NEW.total_minor, NULL, NULL, NEW.id);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER quotes_invoice_project_update AFTER UPDATE ON quotes
        FOR EACH ROW WHEN (
          (OLD.status IN ${LIVE}) IS DISTINCT FROM (NEW.status IN ${LIVE})
          OR (NEW.status IN ${LIVE}
              AND (OLD.accepted_at, OLD.total_minor, OLD.customer_id, OLD.number)
                  IS DISTINCT FROM (NEW.accepted_at, NEW.total_minor, NEW.customer_id, NEW.number)))
        EXECUTE FUNCTION quote_invoice_changed()`);

    // ---- the rebuild from the entries (the backfill, and bulk loads that bypass the triggers)
    await db.query(`
      CREATE FUNCTION account_projection_rebuild(p_business uuid, p_customer uuid)
      RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM statement_lines
         WHERE p_business IS NULL OR (business_id = p_business AND customer_id = p_customer);
        DELETE FROM account_balances
         WHERE p_business IS NULL OR (business_id = p_business AND customer_id = p_customer);
        DELETE FROM account_credit_totals
         WHERE p_business IS NULL OR (business_id = p_business AND customer_id = p_customer);
        INSERT INTO statement_lines (business_id, customer_id, date, rank, src, kind, reference,
                                     description, debit_minor, credit_minor, allocated_minor,
                                     quote_id, balance_minor)
        SELECT l.business_id, l.customer_id, l.date, l.rank, l.src, l.kind, l.reference,
               l.description, l.debit_minor, l.credit_minor, l.allocated_minor, l.quote_id,
               SUM(COALESCE(l.debit_minor, 0) - COALESCE(l.credit_minor, 0))
                 OVER (PARTITION BY l.business_id, l.customer_id
                       ORDER BY l.date, l.rank, l.src ROWS UNBOUNDED PRECEDING)
          FROM (${statementSourceLines(ONE_CUSTOMER)}) l;
        INSERT INTO account_balances (business_id, customer_id, balance_minor, line_count)
        SELECT business_id, customer_id,
               SUM(COALESCE(debit_minor, 0) - COALESCE(credit_minor, 0)), count(*)
          FROM statement_lines
         WHERE p_business IS NULL OR (business_id = p_business AND customer_id = p_customer)
         GROUP BY business_id, customer_id;
        INSERT INTO account_credit_totals
          (credit_id, business_id, customer_id, created_at, amount_minor, allocated_minor, refunded_minor)
        SELECT c.id, c.business_id, c.customer_id, c.created_at, c.amount_minor,
               COALESCE((SELECT SUM(a.amount_minor) FROM account_allocations a
                           JOIN quotes q ON q.id = a.quote_id
                          WHERE a.credit_id = c.id AND q.status IN ${LIVE}), 0),
               COALESCE((SELECT SUM(r.amount_minor) FROM account_refunds r
                          WHERE r.credit_id = c.id), 0)
          FROM account_credits c
         WHERE ${ONE_CUSTOMER('c.business_id', 'c.customer_id')};
      END $$`);
    await db.query(`SELECT account_projection_rebuild(NULL, NULL)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER quotes_invoice_project_update ON quotes`);
    await db.query(`DROP TRIGGER quotes_invoice_project_insert ON quotes`);
    await db.query(`DROP TRIGGER quote_refunds_project ON quote_refunds`);
    await db.query(`DROP TRIGGER quote_payments_project ON quote_payments`);
    await db.query(`DROP TRIGGER account_refunds_project ON account_refunds`);
    await db.query(`DROP TRIGGER account_allocations_project ON account_allocations`);
    await db.query(`DROP TRIGGER account_credits_project ON account_credits`);
    for (const fn of [
      'account_projection_rebuild(uuid, uuid)',
      'quote_invoice_changed()',
      'quotes_added()',
      'quote_refunds_added()',
      'quote_payments_added()',
      'account_refunds_added()',
      'account_allocations_added()',
      'account_credits_added()',
      'statement_add_lines(statement_line_input[])',
      'statement_remove_line(uuid, uuid, uuid, int)',
      'statement_add_line(uuid, uuid, timestamptz, int, uuid, text, text, text, bigint, bigint, bigint, uuid)',
    ]) {
      await db.query(`DROP FUNCTION ${fn}`);
    }
    await db.query(`DROP TYPE statement_line_input`);
    await db.query(`DROP TABLE account_credit_totals`);
    await db.query(`DROP TABLE statement_lines`);
    await db.query(`DROP TABLE account_balances`);
  }
}
