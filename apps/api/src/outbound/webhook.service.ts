import { DomainError, EventType, UserErrorCode } from '@refunds/domain';
import type { ServiceDeps } from '../services';
import type { Caller } from '../platform/graphql/context';
import { isUuid, newId, newSecret } from '../platform/ids';
import type { OutboundSettings } from './outbound.settings';
import { checkWebhookUrl, type Resolve, systemResolve } from './webhook-url';
import { recordEvent } from './event.recorder';
import { checkEventTypes, findDelivery, findEndpoint, toEndpoint } from './outbound.queries';
import type { WebhookDelivery, WebhookEndpoint } from './outbound.types';
import { returningRows } from './returning';

/** Enough for every integration a small business has; a runaway script cannot add thousands. */
export const MAX_ENDPOINTS_PER_BUSINESS = 20;

const notFound = (field: string[]) => new DomainError(UserErrorCode.NOT_FOUND, undefined, field);

/** Webhook endpoints: registered, changed, resent to. OWNER and ADMIN only (see the resolver). */
export class WebhookService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly settings: OutboundSettings,
    private readonly resolve: Resolve = systemResolve,
  ) {}

  async create(
    caller: Caller,
    input: { url: string; eventTypes?: string[] | null },
  ): Promise<{ endpoint: WebhookEndpoint; signingSecret: string }> {
    const url = await checkWebhookUrl(input.url, this.settings, this.resolve);
    const eventTypes = checkEventTypes(input.eventTypes ?? [], ['input', 'eventTypes']);
    const signingSecret = newSecret('whsec_');
    const id = newId();
    const now = this.deps.clock.now();
    await this.deps.db.transaction(async (tx) => {
      // The business row serializes endpoint creation, so the limit holds under races.
      await tx.query(`SELECT id FROM businesses WHERE id = $1 FOR UPDATE`, [caller.businessId]);
      const [existing]: Array<{ count: string }> = await tx.query(
        `SELECT count(*) AS count FROM webhook_endpoints WHERE business_id = $1`,
        [caller.businessId],
      );
      if (Number(existing?.count ?? 0) >= MAX_ENDPOINTS_PER_BUSINESS) {
        throw new DomainError(
          UserErrorCode.INVALID_STATE,
          `A business can have at most ${MAX_ENDPOINTS_PER_BUSINESS} webhook endpoints. Remove one first.`,
        );
      }
      await tx.query(
        `INSERT INTO webhook_endpoints (id, business_id, url, event_types, enabled, signing_secret,
                                        created_at, updated_at)
         VALUES ($1, $2, $3, $4::text[], true, $5, $6, $6)`,
        [id, caller.businessId, url, eventTypes, signingSecret, now],
      );
    });
    const endpoint = await findEndpoint(this.deps.db, caller.businessId, id);
    return { endpoint: endpoint!, signingSecret };
  }

  async update(
    caller: Caller,
    input: {
      id: string;
      url?: string | null;
      eventTypes?: string[] | null;
      enabled?: boolean | null;
    },
  ): Promise<{ endpoint: WebhookEndpoint }> {
    if (!isUuid(input.id)) throw notFound(['input', 'id']);
    const url =
      input.url === null || input.url === undefined
        ? null
        : await checkWebhookUrl(input.url, this.settings, this.resolve);
    const eventTypes =
      input.eventTypes === null || input.eventTypes === undefined
        ? null
        : checkEventTypes(input.eventTypes, ['input', 'eventTypes']);
    const enabled = input.enabled ?? null;
    const [row] = returningRows<Parameters<typeof toEndpoint>[0]>(
      await this.deps.db.transaction((tx) =>
        tx.query(
          `UPDATE webhook_endpoints
              SET url = COALESCE($3, url),
                  event_types = COALESCE($4::text[], event_types),
                  enabled = COALESCE($5, enabled),
                  disabled_reason = CASE WHEN COALESCE($5, enabled) THEN NULL
                                         WHEN $5 = false THEN 'Disabled by a person.'
                                         ELSE disabled_reason END,
                  updated_at = $6
            WHERE business_id = $1 AND id = $2
            RETURNING id, url, event_types, enabled, disabled_reason, created_at`,
          [caller.businessId, input.id, url, eventTypes, enabled, this.deps.clock.now()],
        ),
      ),
    );
    if (!row) throw notFound(['input', 'id']);
    return { endpoint: toEndpoint(row) };
  }

  /** Queues the event for the endpoint again, as a new delivery behind the endpoint's others. */
  async resend(
    caller: Caller,
    endpointId: string,
    eventId: string,
  ): Promise<{ delivery: WebhookDelivery }> {
    if (!isUuid(endpointId)) throw notFound(['endpointId']);
    if (!isUuid(eventId)) throw notFound(['eventId']);
    const jobId = newId();
    await this.deps.db.transaction(async (tx) => {
      const [endpoint]: Array<{ enabled: boolean }> = await tx.query(
        `SELECT enabled FROM webhook_endpoints WHERE business_id = $1 AND id = $2`,
        [caller.businessId, endpointId],
      );
      if (!endpoint) throw notFound(['endpointId']);
      if (!endpoint.enabled) {
        throw new DomainError(
          UserErrorCode.INVALID_STATE,
          'This endpoint is disabled. Enable it first, then resend.',
          ['endpointId'],
        );
      }
      const [event]: Array<{ id: string }> = await tx.query(
        `SELECT id FROM events WHERE business_id = $1 AND id = $2`,
        [caller.businessId, eventId],
      );
      if (!event) throw notFound(['eventId']);
      const now = this.deps.clock.now();
      await tx.query(
        `INSERT INTO outbound_jobs (id, business_id, kind, ordering_key, endpoint_id, event_id,
                                    status, next_attempt_at, created_at)
         VALUES ($1, $2, 'WEBHOOK', $3, $3, $4, 'PENDING', $5, $5)`,
        [jobId, caller.businessId, endpointId, eventId, now],
      );
    });
    return { delivery: (await findDelivery(this.deps.db, caller.businessId, jobId))! };
  }

  /**
   * "Send test event": a webhook.test event, in the feed like any other (it did happen), delivered
   * to this endpoint only.
   */
  async sendTest(caller: Caller, endpointId: string): Promise<{ delivery: WebhookDelivery }> {
    if (!isUuid(endpointId)) throw notFound(['endpointId']);
    const jobId = await this.deps.db.transaction(async (tx) => {
      const [endpoint]: Array<{ enabled: boolean }> = await tx.query(
        `SELECT enabled FROM webhook_endpoints WHERE business_id = $1 AND id = $2`,
        [caller.businessId, endpointId],
      );
      if (!endpoint) throw notFound(['endpointId']);
      if (!endpoint.enabled) {
        throw new DomainError(UserErrorCode.INVALID_STATE, 'Enable the endpoint first.', [
          'endpointId',
        ]);
      }
      const eventId = await recordEvent(tx, {
        businessId: caller.businessId,
        type: EventType.WEBHOOK_TEST,
        actor: caller,
        at: this.deps.clock.now(),
        subjects: { endpointId },
        onlyEndpointId: endpointId,
      });
      const [job]: Array<{ id: string }> = await tx.query(
        `SELECT id FROM outbound_jobs WHERE event_id = $1 AND endpoint_id = $2`,
        [eventId, endpointId],
      );
      return job!.id;
    });
    return { delivery: (await findDelivery(this.deps.db, caller.businessId, jobId))! };
  }
}
