import type { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The expressions below are written out (not imported from customer-name.sql.ts) so that this
 * migration stays what it was when it ran. They must equal, as expression trees, what the list
 * queries (customer-name.sql.ts) compute, or the planner cannot use the indexes:
 * customer-search.integration.test.ts proves with EXPLAIN that it does.
 */
const FOLDED_NAME = `lower(regexp_replace(normalize(name, NFD), '[\\u0300-\\u036f]', '', 'g'))`;
const FOLDED_EMAIL = `lower(regexp_replace(normalize(email, NFD), '[\\u0300-\\u036f]', '', 'g'))`;
const INITIAL = `(CASE WHEN upper(left(${FOLDED_NAME}, 1)) <> lower(left(${FOLDED_NAME}, 1))
  THEN upper(left(${FOLDED_NAME}, 1)) ELSE '#' END)`;

/**
 * Customer lists, search and the A–Z bar cost the same at 100 customers and at 100,000.
 *
 * - (business, folded name, id): the list's order and keyset (`customers(first, after)`). The
 *   foundation's index was on lower(name), which is not the order the list uses (accents folded),
 *   so every page sorted all of a business's customers; it is replaced.
 * - (business, initial, folded name, id): `customers(initial: "Z")` reads one range already in
 *   order, and customerInitials skips from one initial to the next (a loose index scan).
 * - GIN trigram indexes on the folded name and e-mail, with the business first (btree_gin), for
 *   `search`: `LIKE '%…%'` of three or more characters reads the few rows that hold the
 *   trigrams instead of every customer of the business. `fastupdate = off`: a new customer goes
 *   straight into the index instead of a pending list that every search must read in full until
 *   a vacuum merges it (and that makes the planner, rightly, prefer reading every customer).
 *
 * pg_trgm and btree_gin are "trusted" extensions (PostgreSQL 13+): the database owner may create
 * them without superuser rights. PGlite must be given both when it is created (data-source.ts).
 */
export class CustomerNameIndexes1795410300000 implements MigrationInterface {
  name = 'CustomerNameIndexes1795410300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await db.query(
      `CREATE INDEX customers_business_folded_name_idx ON customers (business_id, (${FOLDED_NAME}), id)`,
    );
    await db.query(
      `CREATE INDEX customers_business_initial_idx ON customers (business_id, (${INITIAL}), (${FOLDED_NAME}), id)`,
    );
    await db.query(
      `CREATE INDEX customers_name_trgm_idx ON customers USING gin (business_id, (${FOLDED_NAME}) gin_trgm_ops) WITH (fastupdate = off)`,
    );
    await db.query(
      `CREATE INDEX customers_email_trgm_idx ON customers USING gin (business_id, (${FOLDED_EMAIL}) gin_trgm_ops) WITH (fastupdate = off)`,
    );
    await db.query(`DROP INDEX IF EXISTS customers_business_name_idx`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX customers_business_name_idx ON customers (business_id, lower(name), id)`,
    );
    for (const index of [
      'customers_email_trgm_idx',
      'customers_name_trgm_idx',
      'customers_business_initial_idx',
      'customers_business_folded_name_idx',
    ]) {
      await db.query(`DROP INDEX ${index}`);
    }
    // The extensions stay: other objects may have come to use them.
  }
}
