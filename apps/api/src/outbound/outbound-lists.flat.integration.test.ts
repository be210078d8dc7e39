import { EVENT_TYPES } from '@refunds/domain';
import { startTestApi, type SignedUp, type TestApi } from '../test/harness';
import { explainAnalyze, type Plan } from '../test/explain';
import { encodeCursor, type Page, toPage } from '../platform/pagination';
import { recordEvent } from './event.recorder';
import {
  deliveriesQuery,
  eventsQuery,
  type ListQuery,
  mailQuery,
  toEvent,
} from './outbound.queries';

/**
 * At 100,000 events of one business (and 30,000 of another), 30,000 sent e-mails and 30,000
 * webhook deliveries, every page of `events` (no types, one type, several types, rare or common,
 * from any cursor), of `sentMail` and of `webhookDeliveries` reads about a page of rows: proven
 * with EXPLAIN ANALYZE of the exact statements the service runs, on both storages. The pages
 * equal what the statements before this change answered, on a set chosen to catch the edges
 * (ties, duplicates, cursors on and between rows, types that are absent, another business).
 */
const EVENTS = 100_000;
const OTHER_BUSINESS_EVENTS = 30_000;
const MAILS = 30_000;
const DELIVERIES = 30_000;
const OTHER_ENDPOINT_DELIVERIES = 10_000;

async function explain(api: TestApi, statement: ListQuery): Promise<Plan> {
  const plan = await explainAnalyze(api, statement.text, statement.values);
  if (process.env.SHOW_PLANS)
    console.log(plan.rowsRead, plan.text, statement.text, statement.values);
  return plan;
}

// The statements as they were before the lists were written per shape (the oracle).
const OLD_EVENTS = `SELECT id, sequence, type, occurred_at, payload FROM events
      WHERE business_id = $1 AND sequence > $2 AND ($3::text[] IS NULL OR type = ANY ($3::text[]))
      ORDER BY sequence
      LIMIT $4`;
const OLD_DELIVERIES = `
  SELECT j.id AS job_id, j.position, ev.id, ev.sequence
    FROM outbound_jobs j JOIN events ev ON ev.id = j.event_id
      WHERE j.business_id = $1 AND j.endpoint_id = $2 AND ($3::bigint IS NULL OR j.position < $3::bigint)
      ORDER BY j.position DESC
      LIMIT $4`;
const OLD_MAIL = `SELECT id, kind, to_address, subject, text_body, html_body, status, last_error, created_at, sent_at
       FROM outbound_mail
      WHERE business_id = $1
        AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, id DESC
      LIMIT $4`;

type Ids = { ids: string[]; hasNextPage: boolean; endCursor: string | null };
const idsOf = <T extends { id: string }>(page: Page<T>): Ids => ({
  ids: page.nodes.map((node) => node.id),
  ...page.pageInfo,
});

describe('outbound lists read a page of rows, whatever the history', () => {
  let api: TestApi;
  let big: SignedUp;
  let noise: SignedUp;
  let base: number; // the big business's last sequence before the bulk load
  let endpointId: string;
  let otherEndpointId: string;

  beforeAll(async () => {
    api = await startTestApi();
    big = await api.signUp();
    noise = await api.signUp();
    const q = (text: string, values: unknown[]) => api.db.manager.query(text, values);

    // Events in the real shape (payload text as the recorder writes it, subject ids, actor),
    // numbered on from the business's counter, which is moved on as the recorder would have.
    // Types: mostly spends, refunds and paid quotes (which stop at 70,000: a type that was
    // common and went quiet, where the planner's statistics still call it common); member.added
    // 4 times, api_key.revoked 10 times, balance.adjusted only in the last 3;
    // credit_note.refunded never. The other
    // business has thousands of the rare types, so a lost business condition would show.
    const counter = async (businessId: string): Promise<number> => {
      const [row]: { value: string }[] = await q(
        `SELECT value FROM business_counters WHERE business_id = $1 AND name = 'event'`,
        [businessId],
      );
      return Number(row?.value ?? 0);
    };
    const bulkEvents = async (businessId: string, count: number, typeSql: string) => {
      const from = await counter(businessId);
      await q(
        `INSERT INTO events (id, business_id, sequence, type, occurred_at, actor_kind, actor_id,
                             subject_ids, payload)
         SELECT id, $1::uuid, $2::bigint + n, type, at, 'SYSTEM', NULL, ARRAY[gen_random_uuid()],
                json_build_object('id', id, 'type', type, 'sequence', $2::bigint + n,
                                  'businessId', $1::text, 'occurredAt', at,
                                  'actor', json_build_object('kind', 'SYSTEM', 'id', NULL),
                                  'data', json_build_object('customerId', gen_random_uuid(),
                                                            'credits', (n % 90 + 1)::text))::text
           FROM (SELECT n, gen_random_uuid() AS id, ${typeSql} AS type,
                        now() - make_interval(secs => $3::int - n) AS at
                   FROM generate_series(1, $3::int) n) s`,
        [businessId, from, count],
      );
      await q(
        `INSERT INTO business_counters (business_id, name, value) VALUES ($1, 'event', $2)
         ON CONFLICT (business_id, name) DO UPDATE SET value = EXCLUDED.value`,
        [businessId, from + count],
      );
      return from;
    };
    base = await bulkEvents(
      big.businessId,
      EVENTS,
      `CASE WHEN n % 25000 = 7 THEN 'member.added'
            WHEN n % 9973 = 0 THEN 'api_key.revoked'
            WHEN n > ${EVENTS - 3} THEN 'balance.adjusted'
            WHEN n % 3 = 0 THEN 'credit.spent'
            WHEN n % 3 = 1 OR n > 70000 THEN 'credit.refunded'
            ELSE 'quote.paid' END`,
    );
    await bulkEvents(
      noise.businessId,
      OTHER_BUSINESS_EVENTS,
      `CASE WHEN n % 2 = 0 THEN 'member.added' WHEN n % 3 = 0 THEN 'balance.adjusted'
            ELSE 'api_key.revoked' END`,
    );
    // One more through the real write path, after the bulk load: it must follow on.
    await api.db.transaction((tx) =>
      recordEvent(tx, {
        businessId: big.businessId,
        type: 'member.added',
        actor: null,
        at: api.clock.now(),
        subjects: { memberId: big.memberId },
      }),
    );

    // Sent mail: created_at in groups of 5 equal instants (the id breaks the tie, so a page
    // ends inside a group), and the other business has the same instants.
    for (const [businessId, count] of [
      [big.businessId, MAILS],
      [noise.businessId, 5_000],
    ] as const) {
      await q(
        `INSERT INTO outbound_mail (id, business_id, kind, to_address, from_name, subject, text_body,
                                    html_body, status, created_at, sent_at)
         SELECT gen_random_uuid(), $1, 'REFUND_NOTICE', 'c' || n || '@example.com', 'Ama Cleaning Co',
                'Your refund of GHS ' || n || '.00', repeat('Thank you for your business. ', 12),
                '<p>' || repeat('Thank you for your business. ', 24) || '</p>',
                CASE WHEN n % 4 = 0 THEN 'SENT' ELSE 'KEPT' END,
                timestamptz '2026-01-01 00:00:00+00' + make_interval(secs => n / 5),
                CASE WHEN n % 4 = 0 THEN timestamptz '2026-01-01 00:00:00+00' + make_interval(secs => n / 5 + 1) END
           FROM generate_series(1, $2::int) n`,
        [businessId, count],
      );
    }

    // Webhook deliveries: one endpoint of each business, finished jobs (nothing for the worker),
    // each on one of its business's events.
    const endpoint = async (businessId: string): Promise<string> => {
      const [row]: { id: string }[] = await q(
        `INSERT INTO webhook_endpoints (id, business_id, url, event_types, enabled, signing_secret,
                                        created_at, updated_at)
         VALUES (gen_random_uuid(), $1, 'https://hooks.example.com/in', '{}', true, 'whsec_test',
                 now(), now())
         RETURNING id`,
        [businessId],
      );
      return row!.id;
    };
    endpointId = await endpoint(big.businessId);
    otherEndpointId = await endpoint(noise.businessId);
    for (const [businessId, id, count] of [
      [big.businessId, endpointId, DELIVERIES],
      [noise.businessId, otherEndpointId, OTHER_ENDPOINT_DELIVERIES],
    ] as const) {
      await q(
        `INSERT INTO outbound_jobs (id, business_id, kind, ordering_key, endpoint_id, event_id, status,
                                    attempts, next_attempt_at, last_attempt_at, last_response_status,
                                    last_duration_ms, last_error, created_at, finished_at)
         SELECT gen_random_uuid(), $1, 'WEBHOOK', $2, $2, ev.id,
                CASE WHEN ev.sequence % 7 = 0 THEN 'FAILED' ELSE 'DELIVERED' END,
                1 + (ev.sequence % 7 = 0)::int * 7, ev.occurred_at, ev.occurred_at,
                CASE WHEN ev.sequence % 7 = 0 THEN 500 ELSE 200 END, 40,
                CASE WHEN ev.sequence % 7 = 0 THEN 'HTTP 500' END, ev.occurred_at, ev.occurred_at
           FROM events ev
          WHERE ev.business_id = $1 AND ev.sequence <= $3
          ORDER BY ev.sequence`,
        [businessId, id, count],
      );
    }
    await q('ANALYZE events, outbound_mail, outbound_jobs, webhook_endpoints', []);
  }, 600_000); // the embedded database takes a while to insert and index 200,000 rows
  afterAll(() => api.close());

  const events = (query: Parameters<typeof eventsQuery>[1]) =>
    api.services.outbound.events(big.businessId, query);
  const seqCursor = (sequence: number) => encodeCursor([sequence]);

  describe('events', () => {
    it('without types: the (business, sequence) index from the cursor, a page of rows', async () => {
      for (const after of [null, seqCursor(base + 60_000), seqCursor(base + EVENTS - 5)]) {
        const plan = await explain(api, eventsQuery(big.businessId, { first: 20, after }));
        expect({ after, indexes: plan.indexes }).toEqual({
          after,
          indexes: ['events_business_id_sequence_key'],
        });
        // (Near the end the planner may fetch the last few rows and sort them: still a page.)
        expect(plan.rowsRead).toBeLessThanOrEqual(21);
      }
    });

    it('with one type, rare or common: (business, type, sequence) in order', async () => {
      for (const [types, after] of [
        [['member.added'], null],
        [['member.added'], seqCursor(base + 30_000)],
        [['api_key.revoked'], seqCursor(base + 9973)],
        [['balance.adjusted'], null],
        [['credit_note.refunded'], null],
        [['credit.spent'], seqCursor(base + 50_000)],
        [['quote.paid'], seqCursor(base + 69_990)],
      ] as const) {
        const plan = await explain(
          api,
          eventsQuery(big.businessId, { types: [...types], first: 20, after }),
        );
        expect({ types, after, rowsRead: plan.rowsRead <= 21 }).toEqual({
          types,
          after,
          rowsRead: true,
        });
        expect(plan.nodes.some((node) => node['Node Type'] === 'Sort')).toBe(false);
        if (types[0] !== 'credit.spent') expect(plan.indexes).toEqual(['events_type_idx']);
      }
    });

    it('with several types: one range per type merged in order, a page plus one row per type', async () => {
      for (const [types, after] of [
        [['member.added', 'api_key.revoked', 'balance.adjusted'], null],
        [['member.added', 'api_key.revoked', 'balance.adjusted'], seqCursor(base + 50_007)],
        [['credit_note.refunded', 'webhook.test'], null],
        [['credit.spent', 'member.added'], seqCursor(base + 70_000)],
        [['credit.spent', 'credit.refunded', 'quote.paid'], null],
        [['quote.paid', 'member.added'], seqCursor(base + 69_990)],
        [[...EVENT_TYPES], seqCursor(base + 90_000)],
      ] as const) {
        const plan = await explain(
          api,
          eventsQuery(big.businessId, { types: [...types], first: 20, after }),
        );
        expect({ types, after, rowsRead: plan.rowsRead <= 21 + types.length }).toEqual({
          types,
          after,
          rowsRead: true,
        });
        expect(new Set(plan.indexes)).toEqual(new Set(['events_type_idx']));
        expect(plan.nodes.some((node) => node['Node Type'] === 'Sort')).toBe(false);
        expect(plan.nodes.some((node) => node['Node Type'] === 'Merge Append')).toBe(true);
      }
      // The statement before this change walked the business's events for a page of these.
      const [old] = await Promise.all([
        explain(api, {
          text: OLD_EVENTS,
          values: [big.businessId, 0, ['member.added', 'api_key.revoked', 'balance.adjusted'], 21],
          size: 20,
        }),
      ]);
      expect(old.rowsRead).toBeGreaterThan(EVENTS / 2);
    });

    it('answers what the statement before it answered, page after page', async () => {
      const oldPage = async (
        businessId: string,
        query: { types?: string[]; first: number; after?: string | null },
        after: number,
      ) => {
        const types = query.types?.length ? [...new Set(query.types)] : null;
        const rows: Parameters<typeof toEvent>[0][] = await api.db.manager.query(OLD_EVENTS, [
          businessId,
          after,
          types,
          query.first + 1,
        ]);
        return toPage(rows.map(toEvent), query.first, (event) => [event.sequence]);
      };
      const shapes: { types?: string[]; first: number; after?: string | null; pages: number }[] = [
        { first: 100, pages: 3 },
        { first: 1, pages: 3 },
        { first: 7, after: seqCursor(base + EVENTS - 10), pages: 5 },
        { first: 20, after: seqCursor(base + EVENTS + 50), pages: 1 },
        { first: 20, after: seqCursor(0), pages: 2 },
        { types: ['member.added'], first: 2, pages: 5 },
        { types: ['member.added'], first: 20, after: seqCursor(base + 25_007), pages: 2 },
        { types: ['member.added', 'api_key.revoked', 'balance.adjusted'], first: 3, pages: 10 },
        { types: ['balance.adjusted', 'member.added', 'member.added'], first: 4, pages: 4 },
        {
          types: ['api_key.revoked', 'member.added'],
          first: 5,
          after: seqCursor(base + 9973),
          pages: 4,
        },
        {
          types: ['credit.spent', 'member.added'],
          first: 9,
          after: seqCursor(base + 74_990),
          pages: 4,
        },
        { types: ['credit.refunded', 'quote.paid'], first: 100, pages: 2 },
        { types: ['quote.paid'], first: 20, after: seqCursor(base + 69_900), pages: 3 },
        {
          types: ['quote.paid', 'balance.adjusted'],
          first: 20,
          after: seqCursor(base + 69_950),
          pages: 3,
        },
        { types: ['credit_note.refunded', 'webhook.test'], first: 20, pages: 1 },
        { types: [...EVENT_TYPES], first: 50, after: seqCursor(base + EVENTS - 60), pages: 3 },
      ];
      for (const shape of shapes) {
        for (const businessId of [big.businessId, noise.businessId]) {
          let after = shape.after ?? null;
          for (let i = 0; i < shape.pages; i++) {
            const query = { types: shape.types, first: shape.first, after };
            const page = await api.services.outbound.events(businessId, query);
            const sequence = after
              ? Number(JSON.parse(Buffer.from(after, 'base64url').toString())[0])
              : 0;
            const expected = await oldPage(businessId, query, sequence);
            expect({ shape, i, page: idsOf(page) }).toEqual({ shape, i, page: idsOf(expected) });
            expect(page.nodes).toEqual(expected.nodes);
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor;
          }
        }
      }
      // The event written through the recorder after the bulk load follows on without a gap.
      const last = await events({ types: ['member.added'], after: seqCursor(base + EVENTS - 1) });
      expect(last.nodes.map((event) => event.sequence)).toEqual([base + EVENTS + 1]);
    });
  });

  describe('sent mail', () => {
    it('reads a page of rows from (business, created_at, id), first page and deep', async () => {
      const first = await api.services.outbound.mail(big.businessId, { first: 100 });
      const deepCursor = encodeCursor([
        first.nodes[52]!.createdAt.toISOString(),
        first.nodes[52]!.id,
      ]);
      for (const after of [null, first.pageInfo.endCursor, deepCursor]) {
        const plan = await explain(api, mailQuery(big.businessId, { first: 20, after }));
        expect(plan.indexes).toEqual(['outbound_mail_business_idx']);
        expect(plan.rowsRead).toBeLessThanOrEqual(21);
        expect(plan.nodes.some((node) => node['Node Type'] === 'Sort')).toBe(false);
      }
      // Far down the list (at the oldest mail) too.
      const oldest = encodeCursor([
        '2026-01-01T00:00:30.000Z',
        'ffffffff-ffff-4fff-bfff-ffffffffffff',
      ]);
      const plan = await explain(api, mailQuery(big.businessId, { first: 20, after: oldest }));
      expect(plan.rowsRead).toBeLessThanOrEqual(21);
    });

    it('answers what the statement before it answered, across ties and businesses', async () => {
      for (const businessId of [big.businessId, noise.businessId]) {
        for (const [first, start, pages] of [
          [7, null, 6],
          [100, null, 2],
          [
            3,
            encodeCursor(['2026-01-01T01:00:00.000Z', '00000000-0000-4000-8000-000000000000']),
            4,
          ],
          [
            3,
            encodeCursor(['2026-01-01T01:00:00+00:00', 'ffffffff-ffff-4fff-bfff-ffffffffffff']),
            3,
          ],
          [
            20,
            encodeCursor(['2026-01-01T00:00:01.000Z', 'ffffffff-ffff-4fff-bfff-ffffffffffff']),
            2,
          ],
          [
            20,
            encodeCursor(['2025-12-31T00:00:00.000Z', 'ffffffff-ffff-4fff-bfff-ffffffffffff']),
            1,
          ],
        ] as const) {
          let after: string | null = start;
          for (let i = 0; i < pages; i++) {
            const page = await api.services.outbound.mail(businessId, { first, after });
            const cursor = after
              ? (JSON.parse(Buffer.from(after, 'base64url').toString()) as string[])
              : [null, null];
            const rows: { id: string; created_at: Date }[] = await api.db.manager.query(OLD_MAIL, [
              businessId,
              cursor[0],
              cursor[1],
              first + 1,
            ]);
            const expected = toPage(
              rows.map((row) => ({ id: row.id, createdAt: new Date(row.created_at) })),
              first,
              (mail) => [mail.createdAt.toISOString(), mail.id],
            );
            expect({ first, start, i, page: idsOf(page) }).toEqual({
              first,
              start,
              i,
              page: idsOf(expected),
            });
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor;
          }
        }
      }
    });
  });

  describe('webhook delivery log', () => {
    it("reads a page of jobs and their events, and nothing of another business's endpoint", async () => {
      const page = await api.services.outbound.deliveries(big.businessId, endpointId, {
        first: 100,
      });
      const middle = await api.services.outbound.deliveries(big.businessId, endpointId, {
        first: 20,
        after: encodeCursor([
          String(
            Number(JSON.parse(Buffer.from(page.pageInfo.endCursor!, 'base64url').toString())[0]) -
              15_000,
          ),
        ]),
      });
      expect(middle.nodes).toHaveLength(20);
      for (const after of [null, page.pageInfo.endCursor, middle.pageInfo.endCursor]) {
        const plan = await explain(
          api,
          deliveriesQuery(big.businessId, endpointId, { first: 20, after })!,
        );
        // 21 jobs, 21 events by primary key, the endpoint once. The endpoint's jobs are the
        // oldest in the table (the other endpoint's 10,000 are all newer): the table-wide
        // position index would walk those first.
        expect(plan.rowsRead).toBeLessThanOrEqual(2 * 21 + 2);
        expect(plan.indexes).toContain('outbound_jobs_endpoint_idx');
        expect(plan.indexes).not.toContain('outbound_jobs_position_key');
        expect(plan.nodes.some((node) => node['Node Type'] === 'Sort')).toBe(false);
      }
      const foreign = await explain(
        api,
        deliveriesQuery(big.businessId, otherEndpointId, { first: 20 })!,
      );
      expect(foreign.rowsRead).toBeLessThanOrEqual(2);
      const old = await explain(api, {
        text: OLD_DELIVERIES,
        values: [big.businessId, otherEndpointId, null, 21],
        size: 20,
      });
      expect(old.rowsRead).toBeGreaterThanOrEqual(OTHER_ENDPOINT_DELIVERIES);
    });

    it('answers what the statement before it answered', async () => {
      const oldIds = async (
        businessId: string,
        id: string,
        first: number,
        after: string | null,
      ) => {
        const position = after
          ? String(JSON.parse(Buffer.from(after, 'base64url').toString())[0])
          : null;
        const rows: { job_id: string; position: string }[] = await api.db.manager.query(
          OLD_DELIVERIES,
          [businessId, id, position, first + 1],
        );
        return toPage(
          rows.map((row) => ({ id: row.job_id, position: row.position })),
          first,
          (row) => [row.position],
        );
      };
      for (const [businessId, id] of [
        [big.businessId, endpointId],
        [noise.businessId, otherEndpointId],
        [big.businessId, otherEndpointId],
        [noise.businessId, endpointId],
        [big.businessId, '00000000-0000-4000-8000-000000000000'],
      ] as const) {
        for (const [first, pages] of [
          [7, 4],
          [100, 2],
        ] as const) {
          let after: string | null = null;
          for (let i = 0; i < pages; i++) {
            const page = await api.services.outbound.deliveries(businessId, id, { first, after });
            const expected = await oldIds(businessId, id, first, after);
            expect({ id, first, i, page: idsOf(page) }).toEqual({
              id,
              first,
              i,
              page: idsOf(expected),
            });
            if (!page.pageInfo.hasNextPage) break;
            after = page.pageInfo.endCursor;
          }
        }
      }
      // A cursor before the first job and one past the newest.
      for (const after of [encodeCursor(['1']), encodeCursor(['999999999999'])]) {
        const page = await api.services.outbound.deliveries(big.businessId, endpointId, { after });
        expect(idsOf(page)).toEqual(idsOf(await oldIds(big.businessId, endpointId, 20, after)));
      }
    });
  });
});
