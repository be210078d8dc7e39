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

export async function listEvents(
  db: Database,
  businessId: string,
  query: { types?: string[] | null; first?: number | null; after?: string | null },
): Promise<Page<Event>> {
  const size = pageSize(query.first);
  const cursor = decodeCursor(query.after, ['seq']);
  const after = cursor ? Number(cursor[0]) : 0;
  if (!Number.isSafeInteger(after) || after < 0) throw badCursor();
  const types = query.types?.length ? checkEventTypes(query.types, ['types']) : null;
  // Oldest first from the reader's last sequence: the (business_id, sequence) unique index, or
  // (business_id, type, sequence) with a type filter.
  const rows: EventRow[] = await db.manager.query(
    `SELECT id, sequence, type, occurred_at, payload FROM events
      WHERE business_id = $1 AND sequence > $2 AND ($3::text[] IS NULL OR type = ANY ($3::text[]))
      ORDER BY sequence
      LIMIT $4`,
    [businessId, after, types, size + 1],
  );
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

/** An endpoint's delivery log, newest first. */
export async function listDeliveries(
  db: Database,
  businessId: string,
  endpointId: string,
  query: { first?: number | null; after?: string | null },
): Promise<Page<WebhookDelivery>> {
  const size = pageSize(query.first);
  if (!isUuid(endpointId)) return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const cursor = decodeCursor(query.after, ['seq']);
  if (cursor && !/^\d{1,18}$/.test(String(cursor[0]))) throw badCursor();
  const rows: DeliveryRow[] = await db.manager.query(
    `${DELIVERY_SELECT}
      WHERE j.business_id = $1 AND j.endpoint_id = $2 AND ($3::bigint IS NULL OR j.position < $3::bigint)
      ORDER BY j.position DESC
      LIMIT $4`,
    [businessId, endpointId, cursor ? String(cursor[0]) : null, size + 1],
  );
  const page = toPage(rows, size, (row) => [row.position]);
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

/** Every e-mail of the business, newest first. */
export async function listMail(
  db: Database,
  businessId: string,
  query: { first?: number | null; after?: string | null },
): Promise<Page<MailMessage>> {
  const size = pageSize(query.first);
  const cursor = decodeCursor(query.after, ['instant', 'uuid']);
  if (cursor && (Number.isNaN(Date.parse(String(cursor[0]))) || !isUuid(String(cursor[1])))) {
    throw badCursor();
  }
  const rows: MailRow[] = await db.manager.query(
    `SELECT id, kind, to_address, subject, text_body, html_body, status, last_error, created_at, sent_at
       FROM outbound_mail
      WHERE business_id = $1
        AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::uuid))
      ORDER BY created_at DESC, id DESC
      LIMIT $4`,
    [businessId, cursor ? String(cursor[0]) : null, cursor ? String(cursor[1]) : null, size + 1],
  );
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
