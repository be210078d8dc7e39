import { BadInputError, isEventType } from '@refunds/domain';
import type { Database } from '../platform/db/database';
import { isUuid } from '../platform/ids';
import { decodeCursor, type Page, pageSize, toPage } from '../platform/pagination';
import type { Event, MailMessage, WebhookDelivery, WebhookEndpoint } from './outbound.types';

/** Read models of the outbound side: the event feed, endpoints, delivery logs and sent mail. */

const badCursor = () =>
  new BadInputError('That "after" cursor is not one this list gave out.', ['after']);

interface EventRow {
  id: string;
  sequence: string;
  type: string;
  occurred_at: Date;
  payload: string;
}

export const toEvent = (row: EventRow): Event => ({
  id: row.id,
  sequence: Number(row.sequence),
  type: row.type,
  occurredAt: new Date(row.occurred_at),
  payload: row.payload,
});

/** Event type filters must name known types; an unknown one is a typo, not an empty feed. */
export function checkEventTypes(types: readonly string[], field: string[]): string[] {
  const unknown = types.filter((type) => !isEventType(type));
  if (unknown.length > 0) {
    throw new BadInputError(`Unknown event type: ${unknown.slice(0, 3).join(', ')}.`, field);
  }
  return [...new Set(types)];
}

/** A statement and its parameters, as a list runs it (tests EXPLAIN exactly this). */
export interface ListQuery {
  readonly text: string;
  readonly values: unknown[];
  /** The page size asked for; the statement fetches one row more. */
  readonly size: number;
}

const EVENT_COLUMNS = 'id, sequence, type, occurred_at, payload';

/**
 * The statement of one page of `events`, written for its shape so that every page reads about
 * `first` rows whatever the business's history (no `$n IS NULL OR …`, which a generic plan
 * cannot turn into an index condition):
 * - no types: the (business_id, sequence) unique index from the reader's sequence;
 * - one type: (business_id, type, sequence), already in sequence order;
 * - several types: one such range per type, each stopping at a page, merged in sequence order
 *   (a Merge Append that pulls rows only as the page needs them: about `first` + one per type).
 *   One index scan over `type = ANY (…)` comes out ordered by type, then sequence, so it is
 *   read whole and sorted, and the (business_id, sequence) index with a filter walks every
 *   event until a page of rare types fills.
 * Parameters: $1 business, $2 last sequence seen, $3 page size + 1, $4… the types.
 */
export function eventsQuery(
  businessId: string,
  query: { types?: string[] | null; first?: number | null; after?: string | null },
): ListQuery {
  const size = pageSize(query.first);
  const cursor = decodeCursor(query.after, ['seq']);
  const after = cursor ? Number(cursor[0]) : 0;
  if (!Number.isSafeInteger(after) || after < 0) throw badCursor();
  const types = query.types?.length ? checkEventTypes(query.types, ['types']) : [];
  const values: unknown[] = [businessId, after, size + 1, ...types];
  const range = (typeParam: string | null) =>
    `SELECT ${EVENT_COLUMNS} FROM events
      WHERE business_id = $1${typeParam ? ` AND type = ${typeParam}` : ''} AND sequence > $2
      ORDER BY sequence
      LIMIT $3`;
  if (types.length <= 1) return { text: range(types.length ? '$4' : null), values, size };
  const ranges = types.map((_, i) => `(${range(`$${4 + i}`)})`).join('\n UNION ALL ');
  return { text: `${ranges}\n ORDER BY sequence LIMIT $3`, values, size };
}

export async function listEvents(
  db: Database,
  businessId: string,
  query: { types?: string[] | null; first?: number | null; after?: string | null },
): Promise<Page<Event>> {
  const { text, values, size } = eventsQuery(businessId, query);
  const rows: EventRow[] = await db.manager.query(text, values);
  return toPage(rows.map(toEvent), size, (event) => [event.sequence]);
}

interface EndpointRow {
  id: string;
  url: string;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  created_at: Date;
}

const ENDPOINT_COLUMNS = 'id, url, event_types, enabled, disabled_reason, created_at';

export const toEndpoint = (row: EndpointRow): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  eventTypes: row.event_types,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  createdAt: new Date(row.created_at),
});

export async function listEndpoints(db: Database, businessId: string): Promise<WebhookEndpoint[]> {
  const rows: EndpointRow[] = await db.manager.query(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE business_id = $1
      ORDER BY created_at, id LIMIT 100`,
    [businessId],
  );
  return rows.map(toEndpoint);
}

export async function findEndpoint(
  db: Database,
  businessId: string,
  id: string,
): Promise<WebhookEndpoint | null> {
  const [row]: EndpointRow[] = await db.manager.query(
    `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE business_id = $1 AND id = $2`,
    [businessId, id],
  );
  return row ? toEndpoint(row) : null;
}

interface DeliveryRow extends EventRow {
  job_id: string;
  position: string;
  attempts: number;
  status: string;
  last_response_status: number | null;
  last_duration_ms: number | null;
  last_attempt_at: Date | null;
  created_at: Date;
  next_attempt_at: Date;
  last_error: string | null;
}

const toDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.job_id,
  event: toEvent(row),
  attempt: Number(row.attempts),
  status: row.status === 'CANCELLED' ? 'FAILED' : row.status,
  responseStatus: row.last_response_status,
  durationMs: row.last_duration_ms,
  at: new Date(row.last_attempt_at ?? row.created_at),
  nextAttemptAt: row.status === 'PENDING' ? new Date(row.next_attempt_at) : null,
  error: row.last_error,
});

const DELIVERY_SELECT = `
  SELECT j.id AS job_id, j.position, j.attempts, j.status, j.last_response_status,
         j.last_duration_ms, j.last_attempt_at, j.created_at, j.next_attempt_at, j.last_error,
         ev.id, ev.sequence, ev.type, ev.occurred_at, ev.payload
    FROM outbound_jobs j JOIN events ev ON ev.id = j.event_id`;

/**
 * The statement of one page of an endpoint's delivery log, newest first: (endpoint_id, position
 * DESC) from the cursor's position, each job's event by its primary key. Two things keep it at
 * a page of rows:
 * - The endpoint is pinned by `>= $2 AND <= $2` (the same one uuid) and the order is written as
 *   the index's, (endpoint_id, position DESC). With `= $2` the planner drops endpoint_id from the
 *   order and may walk the table-wide `position` index backwards instead, filtering on the
 *   endpoint: cheap for a busy endpoint, but an endpoint whose jobs are old (disabled, or quiet
 *   while another gets every event) then reads every newer job of every endpoint. The range
 *   leaves only this index to give the order.
 * - The endpoint is checked to be the business's once, before the scan (an uncorrelated EXISTS,
 *   a one-time gate), so another business's endpoint id reads nothing instead of every job of it.
 * Parameters: $1 business, $2 endpoint, $3 page size + 1, $4 the last position seen (only with
 * a cursor).
 */
export function deliveriesQuery(
  businessId: string,
  endpointId: string,
  query: { first?: number | null; after?: string | null },
): ListQuery | null {
  const size = pageSize(query.first);
  if (!isUuid(endpointId)) return null;
  const cursor = decodeCursor(query.after, ['seq']);
  if (cursor && !/^\d{1,18}$/.test(String(cursor[0]))) throw badCursor();
  return {
    text: `${DELIVERY_SELECT}
      WHERE j.endpoint_id >= $2::uuid AND j.endpoint_id <= $2::uuid AND j.business_id = $1
        ${cursor ? 'AND j.position < $4::bigint' : ''}
        AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.id = $2::uuid AND w.business_id = $1)
      ORDER BY j.endpoint_id, j.position DESC
      LIMIT $3`,
    values: [businessId, endpointId, size + 1, ...(cursor ? [String(cursor[0])] : [])],
    size,
  };
}

/** An endpoint's delivery log, newest first. */
export async function listDeliveries(
  db: Database,
  businessId: string,
  endpointId: string,
  query: { first?: number | null; after?: string | null },
): Promise<Page<WebhookDelivery>> {
  const statement = deliveriesQuery(businessId, endpointId, query);
  if (!statement) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const rows: DeliveryRow[] = await db.manager.query(statement.text, statement.values);
  const page = toPage(rows, statement.size, (row) => [row.position]);
  return { nodes: page.nodes.map(toDelivery), pageInfo: page.pageInfo };
}

export async function findDelivery(
  db: Database,
  businessId: string,
  jobId: string,
): Promise<WebhookDelivery | null> {
  if (!isUuid(jobId)) return null;
  const [row]: DeliveryRow[] = await db.manager.query(
    `${DELIVERY_SELECT} WHERE j.business_id = $1 AND j.id = $2`,
    [businessId, jobId],
  );
  return row ? toDelivery(row) : null;
}

interface MailRow {
  id: string;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: string;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
}

/**
 * The statement of one page of sent mail, newest first: (business_id, created_at DESC, id DESC)
 * from the cursor's (created_at, id) as one row comparison, which that index takes as where its
 * range starts. Parameters: $1 business, $2 page size + 1, $3 and $4 the cursor (only with one).
 */
export function mailQuery(
  businessId: string,
  query: { first?: number | null; after?: string | null },
): ListQuery {
  const size = pageSize(query.first);
  const cursor = decodeCursor(query.after, ['instant', 'uuid']);
  if (cursor && (Number.isNaN(Date.parse(String(cursor[0]))) || !isUuid(String(cursor[1])))) {
    throw badCursor();
  }
  return {
    text: `SELECT id, kind, to_address, subject, text_body, html_body, status, last_error, created_at, sent_at
       FROM outbound_mail
      WHERE business_id = $1${cursor ? ' AND (created_at, id) < ($3::timestamptz, $4::uuid)' : ''}
      ORDER BY created_at DESC, id DESC
      LIMIT $2`,
    values: [businessId, size + 1, ...(cursor ? [String(cursor[0]), String(cursor[1])] : [])],
    size,
  };
}

/** Every e-mail of the business, newest first. */
export async function listMail(
  db: Database,
  businessId: string,
  query: { first?: number | null; after?: string | null },
): Promise<Page<MailMessage>> {
  const { text, values, size } = mailQuery(businessId, query);
  const rows: MailRow[] = await db.manager.query(text, values);
  return toPage(
    rows.map((row): MailMessage => ({
      id: row.id,
      kind: row.kind,
      to: row.to_address,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      status: row.status,
      note: row.last_error,
      createdAt: new Date(row.created_at),
      sentAt: row.sent_at ? new Date(row.sent_at) : null,
    })),
    size,
    (mail) => [mail.createdAt.toISOString(), mail.id],
  );
}
