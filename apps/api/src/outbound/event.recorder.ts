import {
  type Credits,
  creditsToString,
  type EventType,
  type Money,
  toDecimalString,
} from '@refunds/domain';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../platform/graphql/context';
import { sql, type Statement } from '../platform/db/statements';
import { isUuid, newId } from '../platform/ids';
import { type LateText, lateTextValues, withLateText } from '../platform/db/late-text';

/** What a service says happened. */
export interface EventRecord {
  readonly businessId: string;
  readonly type: EventType;
  /** Who did it; null when the system did (a worker). */
  readonly actor: Caller | null;
  /** When: the service clock's now(). */
  readonly at: Date;
  /** The affected ids by name, e.g. { quoteId, customerId, refundId }; nulls are left out. */
  readonly subjects: Readonly<Record<string, string | null | undefined>>;
  /** Amounts by name: money goes out as { amount: Decimal string, currency }, credits as a whole-number string. */
  readonly amounts?: Readonly<Record<string, Money | Credits | null | undefined>>;
  /** Any other facts a receiver needs (status, reason, role ...). */
  readonly data?: Readonly<Record<string, string | number | boolean | null | undefined>>;
  /** Deliver to this endpoint only (the "send test event" button); otherwise to every match. */
  readonly onlyEndpointId?: string;
}

export type ActorKind = 'MEMBER' | 'API_KEY' | 'SYSTEM';

function actorOf(actor: Caller | null): { kind: ActorKind; id: string | null } {
  if (actor?.memberId) return { kind: 'MEMBER', id: actor.memberId };
  if (actor?.apiKeyId) return { kind: 'API_KEY', id: actor.apiKeyId };
  return { kind: 'SYSTEM', id: null };
}

const amountJson = (value: Money | Credits) =>
  typeof value === 'bigint'
    ? creditsToString(value)
    : { amount: toDecimalString(value), currency: value.currency };

/**
 * The whole event as three common table expressions, its parameters numbered from `$first`:
 * the business's 'event' counter upserted (its row stays locked until COMMIT), the event
 * inserted with that number as its sequence and inside its payload text, and its webhook
 * deliveries queued. The foreign key of the jobs on the event is checked at the end of the
 * statement, when the event row is there. Names: event_counter, event_row, event_jobs.
 */
export function eventCtes(first: number, tail = (param: string) => param): string {
  const p = (i: number) => `$${first + i}`;
  return `event_counter AS (
    INSERT INTO business_counters (business_id, name, value) VALUES (${p(0)}::uuid, 'event', 1)
    ON CONFLICT (business_id, name) DO UPDATE SET value = business_counters.value + 1
    RETURNING value
  ), event_row AS (
    INSERT INTO events (id, business_id, sequence, type, occurred_at, actor_kind, actor_id,
                        subject_ids, payload)
    SELECT ${p(1)}::uuid, ${p(0)}::uuid, event_counter.value, ${p(2)}::text, ${p(3)}::timestamptz,
           ${p(4)}::text, ${p(5)}::uuid, ${p(6)}::uuid[],
           ${p(7)}::text || event_counter.value::text || ${tail(p(8))}::text
      FROM event_counter
    RETURNING sequence
  ), event_jobs AS (
    INSERT INTO outbound_jobs (id, business_id, kind, ordering_key, endpoint_id, event_id,
                               status, next_attempt_at, created_at)
    SELECT gen_random_uuid(), ${p(0)}::uuid, 'WEBHOOK', e.id, e.id, ${p(1)}::uuid, 'PENDING',
           ${p(3)}::timestamptz, ${p(3)}::timestamptz
      FROM webhook_endpoints e
     WHERE e.business_id = ${p(0)}::uuid AND e.enabled
       -- An event for one endpoint (its test event) goes there whatever types it subscribes to.
       AND CASE WHEN ${p(9)}::uuid IS NULL
                THEN cardinality(e.event_types) = 0 OR ${p(2)}::text = ANY (e.event_types)
                ELSE e.id = ${p(9)}::uuid END
     ORDER BY e.created_at, e.id
  )`;
}

/**
 * Many events at once (a group commit's): prepareEvent's 10 parameters as 10 arrays numbered from
 * `$first` (the subject ids of each event as the text of a uuid array: see eventBatchRow). Each
 * business's counter grows by its events, which take the numbers in their order. Names:
 * event_input, event_counter, event_numbered, event_row, event_jobs.
 */
export function eventBatchCtes(first: number): string {
  const p = (i: number) => `$${first + i}`;
  return `event_input AS (
    SELECT * FROM unnest(${p(0)}::uuid[], ${p(1)}::uuid[], ${p(2)}::text[],
                         ${p(3)}::timestamptz[], ${p(4)}::text[], ${p(5)}::uuid[], ${p(6)}::text[],
                         ${p(7)}::text[], ${p(8)}::text[], ${p(9)}::uuid[])
                  WITH ORDINALITY
      AS e(business_id, id, type, at, actor_kind, actor_id, subject_ids, head, tail,
           only_endpoint_id, ord)
  ), event_counter AS (
    INSERT INTO business_counters (business_id, name, value)
    SELECT business_id, 'event', count(*) FROM event_input
     GROUP BY business_id ORDER BY business_id
    ON CONFLICT (business_id, name) DO UPDATE SET value = business_counters.value + EXCLUDED.value
    RETURNING business_id, value
  ), event_numbered AS (
    SELECT e.*, c.value - count(*) OVER (PARTITION BY e.business_id)
                + row_number() OVER (PARTITION BY e.business_id ORDER BY e.ord) AS sequence
      FROM event_input e JOIN event_counter c ON c.business_id = e.business_id
  ), event_row AS (
    INSERT INTO events (id, business_id, sequence, type, occurred_at, actor_kind, actor_id,
                        subject_ids, payload)
    SELECT id, business_id, sequence, type, at, actor_kind, actor_id, subject_ids::uuid[],
           head || sequence::text || tail
      FROM event_numbered ORDER BY business_id, sequence
  ), event_jobs AS (
    INSERT INTO outbound_jobs (id, business_id, kind, ordering_key, endpoint_id, event_id,
                               status, next_attempt_at, created_at)
    SELECT gen_random_uuid(), e.business_id, 'WEBHOOK', w.id, w.id, e.id, 'PENDING', e.at, e.at
      FROM event_input e
      JOIN webhook_endpoints w ON w.business_id = e.business_id AND w.enabled
       AND CASE WHEN e.only_endpoint_id IS NULL
                THEN cardinality(w.event_types) = 0 OR e.type = ANY (w.event_types)
                ELSE w.id = e.only_endpoint_id END
     ORDER BY e.ord, w.created_at, w.id
  )`;
}

/** The position of the subject ids among prepareEvent's values. */
const EVENT_SUBJECT_IDS = 6;

/**
 * One event's row of eventBatchCtes: prepareEvent's values, its subject ids as the text of a uuid
 * array (an array per event cannot go in an array of arrays; the SQL casts it back).
 */
export function eventBatchRow(values: readonly unknown[]): unknown[] {
  const row = [...values];
  row[EVENT_SUBJECT_IDS] = `{${(row[EVENT_SUBJECT_IDS] as string[]).join(',')}}`;
  return row;
}

const RECORD_EVENT = `WITH ${eventCtes(1)} SELECT sequence FROM event_row`;

/**
 * An event ready to be written: its id and the parameters of eventCtes (10 of them, in order).
 * The payload is the exact text every webhook delivery carries and signs, and what
 * `Event.payload` returns: JSON.stringify({ id, type, sequence, businessId, occurredAt, actor,
 * data }), cut around the sequence, which only the counter upsert knows (the statement puts the
 * number in between).
 */
export function prepareEvent(event: EventRecord): { id: string; values: unknown[] } {
  const id = newId();
  const actor = actorOf(event.actor);
  const subjects = Object.fromEntries(
    Object.entries(event.subjects).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
  const amounts = Object.fromEntries(
    Object.entries(event.amounts ?? {})
      .filter(
        (entry): entry is [string, Money | Credits] => entry[1] !== null && entry[1] !== undefined,
      )
      .map(([name, value]) => [name, amountJson(value)]),
  );
  const data = Object.fromEntries(
    Object.entries(event.data ?? {}).filter(([, value]) => value !== undefined),
  );
  const head = `${JSON.stringify({ id, type: event.type }).slice(0, -1)},"sequence":`;
  const tail = `,${JSON.stringify({
    businessId: event.businessId,
    occurredAt: event.at.toISOString(),
    actor,
    data: { ...subjects, ...amounts, ...data },
  }).slice(1)}`;
  return {
    id,
    values: [
      event.businessId,
      id,
      event.type,
      event.at,
      actor.kind,
      actor.id,
      // Only well-formed ids go into the uuid[] column: an event must never fail the change it
      // describes (the payload keeps every subject as given).
      Object.values(subjects).filter(isUuid),
      head,
      tail,
      event.onlyEndpointId ?? null,
    ],
  };
}

/**
 * Writes an event through the use case's own transaction, so it commits with the change it
 * describes and rolls back with it, and queues its webhook deliveries in the same transaction
 * (the transactional outbox: nothing is delivered that did not happen, nothing that happened is
 * lost).
 *
 * The sequence comes from the business's 'event' counter row, which stays locked until this
 * transaction ends: a second writer waits for the first to commit or roll back, so sequences are
 * handed out without gaps and become visible in order — a reader that has seen N has seen
 * everything before N. Call it last in the use case, after the use case's own locks (the
 * counter row is the last lock of every lock order), and it serializes only the tail of each
 * transaction. It is one statement (one round trip), so the lock is taken as late as it can be
 * and nothing but COMMIT follows it in a use case that calls it last. A use case may instead
 * fold eventCtes/prepareEvent into its own last statement (one round trip fewer), provided
 * nothing in that statement waits for a lock.
 */
export async function recordEvent(tx: EntityManager, event: EventRecord): Promise<string> {
  const { id, statement } = eventStatement(event);
  await sql(tx, statement.name, statement.text, statement.values);
  return id;
}

/**
 * recordEvent's statement, to send last in a batch of the use case's own (see sqlAll). With
 * `late`, the event's data may name, by its marker, a value an earlier statement of the batch
 * decides.
 */
export function eventStatement(
  event: EventRecord,
  late?: LateText,
): { id: string; statement: Statement } {
  const prepared = prepareEvent(event);
  if (!late) {
    return {
      id: prepared.id,
      statement: { name: 'recordEvent', text: RECORD_EVENT, values: prepared.values },
    };
  }
  const last = prepared.values.length;
  return {
    id: prepared.id,
    statement: {
      name: `recordEvent:${late.name}`,
      text: `WITH ${eventCtes(1, (param) => withLateText(param, late, last))} SELECT sequence FROM event_row`,
      values: [...prepared.values, ...lateTextValues(late)],
    },
  };
}
