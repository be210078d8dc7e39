import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MAX_DELIVERY_ATTEMPTS, retryDelayMs } from '@refunds/domain';
import { type SignedUp, type TestApi, addMember, startTestApi } from '../test/harness';
import { openDataSource } from '../platform/db/data-source';
import { Database } from '../platform/db/database';
import { allEntities, allMigrations } from '../features';
import { createServices } from '../services';
import { recordEvent } from './event.recorder';
import { DeliveryWorker } from './delivery.worker';
import {
  type SmtpSink,
  type WebhookReceiver,
  startSmtpSink,
  startWebhookReceiver,
} from './test-receivers';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, verifySignature } from './webhook-signature';

type Gql = any;

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { id url eventTypes enabled disabledReason createdAt }
    signingSecret
    userErrors { code field message }
  }
}`;
const UPDATE = `mutation ($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) {
    endpoint { id url eventTypes enabled disabledReason }
    signingSecret
    userErrors { code field message }
  }
}`;
const DELIVERY_FIELDS = `id attempt status responseStatus durationMs at nextAttemptAt error
  event { id sequence type payload }`;
const TEST = `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) {
  delivery { ${DELIVERY_FIELDS} } userErrors { code message } } }`;
const RESEND = `mutation ($endpointId: ID!, $eventId: ID!) { resendEvent(endpointId: $endpointId, eventId: $eventId) {
  delivery { ${DELIVERY_FIELDS} } userErrors { code field message } } }`;
const DELIVERIES = `query ($id: ID!, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $id, first: $first, after: $after) {
    nodes { ${DELIVERY_FIELDS} } pageInfo { hasNextPage endCursor } } }`;
const ENDPOINTS = `{ webhookEndpoints { id url eventTypes enabled disabledReason } }`;
const SENT_MAIL = `{ sentMail(first: 50) { nodes { kind to subject text status note } } }`;

let api: TestApi;
let receiver: WebhookReceiver;
let smtp: SmtpSink;
let owner: SignedUp;

beforeAll(async () => {
  smtp = await startSmtpSink();
  // The test receivers live on 127.0.0.1: the development setting lets endpoints point there.
  process.env.WEBHOOKS_ALLOW_PRIVATE = 'true';
  process.env.SMTP_URL = smtp.url;
  api = await startTestApi();
  receiver = await startWebhookReceiver();
  owner = await api.signUp({ businessName: 'Ama Cleaning Co' });
});

afterAll(async () => {
  await api.close();
  await receiver.close();
  await smtp.close();
});

beforeEach(() => {
  receiver.received.length = 0;
  receiver.answers = [];
});

async function createEndpoint(
  who: SignedUp,
  input: { url: string; eventTypes?: string[] },
): Promise<{ id: string; secret: string }> {
  const result = await api.gql<Gql>(CREATE, { input }, who.token);
  const payload = result.data?.createWebhookEndpoint;
  if (!payload?.endpoint) throw new Error(JSON.stringify(result));
  return { id: payload.endpoint.id, secret: payload.signingSecret };
}

describe('webhook endpoints', () => {
  it('are registered by owners and admins, with a signing secret shown once', async () => {
    const created = await api.gql<Gql>(
      CREATE,
      { input: { url: receiver.url, eventTypes: ['quote.refunded', 'credit.refunded'] } },
      owner.token,
    );
    const payload = created.data.createWebhookEndpoint;
    expect(payload.userErrors).toEqual([]);
    expect(payload.endpoint).toMatchObject({
      url: receiver.url,
      eventTypes: ['quote.refunded', 'credit.refunded'],
      enabled: true,
      disabledReason: null,
    });
    expect(payload.signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    // Never again: the list and updates carry no secret.
    const updated = await api.gql<Gql>(
      UPDATE,
      { input: { id: payload.endpoint.id, enabled: false } },
      owner.token,
    );
    expect(updated.data.updateWebhookEndpoint).toMatchObject({
      endpoint: { enabled: false, disabledReason: 'Disabled by a person.' },
      signingSecret: null,
      userErrors: [],
    });
    const list = await api.gql<Gql>(ENDPOINTS, {}, owner.token);
    expect(list.data.webhookEndpoints).toContainEqual(
      expect.objectContaining({ id: payload.endpoint.id, enabled: false }),
    );
    expect(JSON.stringify(list.data)).not.toContain(payload.signingSecret);
  });

  it('are refused to managers, viewers and API keys; unknown event types are bad input', async () => {
    const manager = await addMember(api, owner, 'MANAGER');
    const denied = await api.gql<Gql>(CREATE, { input: { url: receiver.url } }, manager);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const listDenied = await api.gql<Gql>(ENDPOINTS, {}, manager);
    expect(listDenied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const typo = await api.gql<Gql>(
      CREATE,
      { input: { url: receiver.url, eventTypes: ['quote.refundd'] } },
      owner.token,
    );
    expect(typo.status).toBe(400);
    expect(typo.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("another business's endpoint behaves like one that does not exist", async () => {
    const mine = await createEndpoint(owner, { url: receiver.url });
    const other = await api.signUp();
    const update = await api.gql<Gql>(
      UPDATE,
      { input: { id: mine.id, enabled: false } },
      other.token,
    );
    expect(update.data.updateWebhookEndpoint.userErrors[0].code).toBe('NOT_FOUND');
    const malformed = await api.gql<Gql>(
      UPDATE,
      { input: { id: 'nope', enabled: false } },
      other.token,
    );
    expect(malformed.data.updateWebhookEndpoint.userErrors[0].code).toBe('NOT_FOUND');
    const log = await api.gql<Gql>(DELIVERIES, { id: mine.id }, other.token);
    expect(log.data.webhookDeliveries.nodes).toEqual([]);
    const badCursor = await api.gql<Gql>(DELIVERIES, { id: mine.id, after: 'xx' }, owner.token);
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('deliveries', () => {
  it('POST the event JSON with a verifiable HMAC-SHA256 signature and a stable delivery id', async () => {
    const endpoint = await createEndpoint(owner, { url: receiver.url });
    const sent = await api.gql<Gql>(TEST, { id: endpoint.id }, owner.token);
    const queued = sent.data.sendTestWebhook.delivery;
    expect(queued).toMatchObject({
      status: 'PENDING',
      attempt: 0,
      event: { type: 'webhook.test' },
    });

    await api.services.delivery.runDue();
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.body).toBe(queued.event.payload);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers[DELIVERY_ID_HEADER]).toBe(queued.id);
    const signature = String(request!.headers[SIGNATURE_HEADER]);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const now = Math.floor(api.clock.now().getTime() / 1000);
    expect(verifySignature(signature, endpoint.secret, request!.body, now)).toBe(true);
    // A changed body, another secret, or an old timestamp do not verify.
    expect(verifySignature(signature, endpoint.secret, request!.body + ' ', now)).toBe(false);
    expect(verifySignature(signature, 'whsec_other', request!.body, now)).toBe(false);
    expect(verifySignature(signature, endpoint.secret, request!.body, now + 3600)).toBe(false);

    // The README's verification snippet, run as written, accepts this delivery.
    expect(readmeVerify()(request!.body, signature, endpoint.secret)).toBe(true);
    expect(readmeVerify()(request!.body, signature, 'whsec_other')).toBe(false);

    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({
      id: queued.event.id,
      type: 'webhook.test',
      sequence: queued.event.sequence,
      businessId: owner.businessId,
      actor: { kind: 'MEMBER', id: owner.memberId },
      data: { endpointId: endpoint.id },
    });
    const log = await api.gql<Gql>(DELIVERIES, { id: endpoint.id }, owner.token);
    expect(log.data.webhookDeliveries.nodes[0]).toMatchObject({
      id: queued.id,
      status: 'DELIVERED',
      attempt: 1,
      responseStatus: 200,
      nextAttemptAt: null,
    });
    expect(log.data.webhookDeliveries.nodes[0].durationMs).toBeGreaterThanOrEqual(0);
  });

  it('sends a test event to an endpoint that subscribes to other event types only', async () => {
    const endpoint = await createEndpoint(owner, {
      url: receiver.url,
      eventTypes: ['quote.refunded'],
    });
    const sent = await api.gql<Gql>(TEST, { id: endpoint.id }, owner.token);
    expect(sent.errors).toBeUndefined();
    expect(sent.data.sendTestWebhook).toMatchObject({
      delivery: { status: 'PENDING', event: { type: 'webhook.test' } },
      userErrors: [],
    });
    await api.services.delivery.runDue();
    expect(receiver.received.map((r) => JSON.parse(r.body).type)).toEqual(['webhook.test']);
    expect(receiver.received[0]!.headers[DELIVERY_ID_HEADER]).toBe(
      sent.data.sendTestWebhook.delivery.id,
    );
  });

  it('retries a failing receiver with back-off: one more request after each failure, then DELIVERED', async () => {
    const endpoint = await createEndpoint(owner, { url: receiver.url });
    receiver.answers = [500, 503, 502];
    const sent = await api.gql<Gql>(TEST, { id: endpoint.id }, owner.token);
    const deliveryId = sent.data.sendTestWebhook.delivery.id;

    for (let failure = 1; failure <= 3; failure++) {
      await api.services.delivery.runDue();
      expect(receiver.received).toHaveLength(failure);
      const log = await api.gql<Gql>(DELIVERIES, { id: endpoint.id, first: 1 }, owner.token);
      const delivery = log.data.webhookDeliveries.nodes[0];
      expect(delivery).toMatchObject({ id: deliveryId, status: 'PENDING', attempt: failure });
      const wait = retryDelayMs(failure)!;
      expect(new Date(delivery.nextAttemptAt).getTime()).toBe(api.clock.now().getTime() + wait);
      // Not before its time...
      api.clock.advance(wait - 1000);
      await api.services.delivery.runDue();
      expect(receiver.received).toHaveLength(failure);
      // ...and once it is due.
      api.clock.advance(1000);
    }
    await api.services.delivery.runDue();
    expect(receiver.received).toHaveLength(4);
    expect(new Set(receiver.received.map((r) => r.headers[DELIVERY_ID_HEADER]))).toEqual(
      new Set([deliveryId]),
    );
    await api.services.delivery.runDue();
    expect(receiver.received).toHaveLength(4);
    const log = await api.gql<Gql>(DELIVERIES, { id: endpoint.id, first: 1 }, owner.token);
    expect(log.data.webhookDeliveries.nodes[0]).toMatchObject({
      status: 'DELIVERED',
      attempt: 4,
      responseStatus: 200,
    });
  });

  it('reports the queue depth and the age of the oldest due job at /metrics', async () => {
    const business = await api.signUp();
    const endpoint = await createEndpoint(business, { url: receiver.url });
    await api.gql<Gql>(TEST, { id: endpoint.id }, business.token);
    await api.gql<Gql>(TEST, { id: endpoint.id }, business.token);
    api.clock.advance(30_000);
    const scrape = async () => (await fetch(`${api.url}/metrics`)).text();
    let text = await scrape();
    expect(text).toMatch(/^rbo_worker_queue_depth\{queue="outbound"\} 2$/m);
    expect(text).toMatch(/^rbo_worker_queue_oldest_age_seconds\{queue="outbound"\} 30$/m);
    await api.services.delivery.runDue();
    // The metrics module reuses a queue reading for a second (one probe per scrape).
    await new Promise((resolve) => setTimeout(resolve, 1100));
    text = await scrape();
    expect(text).toMatch(/^rbo_worker_queue_depth\{queue="outbound"\} 0$/m);
    expect(receiver.received).toHaveLength(2);
  });

  it('gives a receiver a few seconds: one that hangs is a failed attempt, retried later', async () => {
    const business = await api.signUp();
    const endpoint = await createEndpoint(business, { url: receiver.url });
    receiver.answers = [0];
    await api.gql<Gql>(TEST, { id: endpoint.id }, business.token);
    // The same worker with a short timeout, so the test does not wait the real 5 seconds.
    const impatient = new DeliveryWorker(
      api.services,
      { ...api.services.outbound.settings, webhookTimeoutMs: 300 },
      null,
    );
    const started = Date.now();
    expect(await impatient.runDue()).toMatchObject({ retrying: 1 });
    expect(Date.now() - started).toBeLessThan(3000);
    const log = await api.gql<Gql>(DELIVERIES, { id: endpoint.id }, business.token);
    expect(log.data.webhookDeliveries.nodes[0]).toMatchObject({
      status: 'PENDING',
      attempt: 1,
      responseStatus: null,
      error: 'No answer within 300 ms',
    });
    api.clock.advance(retryDelayMs(1)!);
    await api.services.delivery.runDue();
    expect(receiver.received).toHaveLength(2);
  });

  it('does not follow redirects: a 3xx is a failed attempt', async () => {
    const endpoint = await createEndpoint(owner, { url: receiver.url });
    receiver.answers = [302];
    await api.gql<Gql>(TEST, { id: endpoint.id }, owner.token);
    await api.services.delivery.runDue();
    expect(receiver.received).toHaveLength(1);
    const log = await api.gql<Gql>(DELIVERIES, { id: endpoint.id, first: 1 }, owner.token);
    expect(log.data.webhookDeliveries.nodes[0]).toMatchObject({
      status: 'PENDING',
      responseStatus: 302,
      error: 'Answered 302 (redirects are not followed)',
    });
    await api.gql<Gql>(UPDATE, { input: { id: endpoint.id, enabled: false } }, owner.token);
  });

  it('after about a day of failures marks the delivery FAILED, disables the endpoint and tells the owner', async () => {
    const business = await api.signUp({ businessName: 'Flaky Hooks Ltd' });
    const endpoint = await createEndpoint(business, { url: receiver.url });
    receiver.answers = Array.from({ length: MAX_DELIVERY_ATTEMPTS }, () => 500);
    const sent = await api.gql<Gql>(TEST, { id: endpoint.id }, business.token);
    const second = await api.gql<Gql>(TEST, { id: endpoint.id }, business.token);
    for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS; attempt++) {
      await api.services.delivery.runDue();
      if (attempt < MAX_DELIVERY_ATTEMPTS) api.clock.advance(retryDelayMs(attempt)!);
    }
    // Only the first delivery was tried: the second waits behind it (per-endpoint order).
    expect(receiver.received).toHaveLength(MAX_DELIVERY_ATTEMPTS);
    const log = await api.gql<Gql>(DELIVERIES, { id: endpoint.id }, business.token);
    const byId = new Map(log.data.webhookDeliveries.nodes.map((d: Gql) => [d.id, d]));
    expect(byId.get(sent.data.sendTestWebhook.delivery.id)).toMatchObject({
      status: 'FAILED',
      attempt: MAX_DELIVERY_ATTEMPTS,
    });
    // The endpoint's other deliveries wait for it to be enabled again.
    expect(byId.get(second.data.sendTestWebhook.delivery.id)).toMatchObject({
      status: 'PENDING',
      attempt: 0,
    });
    const endpoints = await api.gql<Gql>(ENDPOINTS, {}, business.token);
    expect(endpoints.data.webhookEndpoints[0]).toMatchObject({ enabled: false });
    expect(endpoints.data.webhookEndpoints[0].disabledReason).toMatch(/kept failing/);

    // The owner's e-mail goes out through SMTP.
    await api.services.delivery.runDue();
    const mail = smtp.messages.filter((m) => m.to.includes(business.email));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.raw).toContain('Flaky Hooks Ltd: webhook endpoint disabled');
    const sentMail = await api.gql<Gql>(SENT_MAIL, {}, business.token);
    expect(sentMail.data.sentMail.nodes[0]).toMatchObject({
      kind: 'ENDPOINT_DISABLED',
      to: business.email,
      status: 'SENT',
    });

    // Resend is refused while disabled, and queues a new delivery once enabled again.
    const eventId = sent.data.sendTestWebhook.delivery.event.id;
    const refused = await api.gql<Gql>(
      RESEND,
      { endpointId: endpoint.id, eventId },
      business.token,
    );
    expect(refused.data.resendEvent.userErrors[0].code).toBe('INVALID_STATE');
    await api.gql<Gql>(UPDATE, { input: { id: endpoint.id, enabled: true } }, business.token);
    const resent = await api.gql<Gql>(RESEND, { endpointId: endpoint.id, eventId }, business.token);
    const resentId = resent.data.resendEvent.delivery.id;
    expect(resentId).not.toBe(sent.data.sendTestWebhook.delivery.id);
    const before = receiver.received.length;
    await api.services.delivery.runDue();
    // The waiting delivery first, then the resend, behind it.
    expect(receiver.received.slice(before).map((r) => r.headers[DELIVERY_ID_HEADER])).toEqual([
      second.data.sendTestWebhook.delivery.id,
      resentId,
    ]);
    expect(receiver.received.at(-1)!.body).toBe(sent.data.sendTestWebhook.delivery.event.payload);
    const other = await api.signUp();
    const foreign = await api.gql<Gql>(RESEND, { endpointId: endpoint.id, eventId }, other.token);
    expect(foreign.data.resendEvent.userErrors[0].code).toBe('NOT_FOUND');
  });

  it('a job whose process died mid-attempt is taken again when its lease ends; the late result is ignored', async () => {
    const business = await api.signUp();
    const endpoint = await createEndpoint(business, { url: receiver.url });
    const sent = await api.gql<Gql>(TEST, { id: endpoint.id }, business.token);
    const deliveryId = sent.data.sendTestWebhook.delivery.id;
    // A process claims the job and dies before it writes the result.
    const dying = createServices(api.db, api.clock).delivery as unknown as {
      claim(): Promise<{ id: string } | null>;
      complete(job: unknown, outcome: unknown): Promise<string | null>;
    };
    const claimed = await dying.claim();
    expect(claimed?.id).toBe(deliveryId);
    // Leased: nobody else takes it meanwhile.
    expect((await api.services.delivery.runDue()).delivered).toBe(0);
    api.clock.advance(2 * 60_000 + 1);
    expect((await api.services.delivery.runDue()).delivered).toBe(1);
    expect(receiver.received.map((r) => r.headers[DELIVERY_ID_HEADER])).toEqual([deliveryId]);
    // The dead process's late "failed" does not undo the delivery.
    const late = await dying.complete(claimed, {
      kind: 'attempted',
      result: { succeeded: false, responseStatus: 500, durationMs: 1, error: 'late' },
    });
    expect(late).toBeNull();
    const log = await api.gql<Gql>(DELIVERIES, { id: endpoint.id }, business.token);
    expect(log.data.webhookDeliveries.nodes[0]).toMatchObject({
      id: deliveryId,
      status: 'DELIVERED',
      attempt: 2,
    });
  });

  it('two API processes deliver every job exactly once, each endpoint in event order', async () => {
    const business = await api.signUp();
    const endpoints = [
      await createEndpoint(business, { url: `${receiver.url}/a` }),
      await createEndpoint(business, { url: `${receiver.url}/b` }),
      await createEndpoint(business, { url: `${receiver.url}/c` }),
    ];
    const EVENTS = 15;
    for (let i = 0; i < EVENTS; i++) {
      await api.db.transaction((tx) =>
        recordEvent(tx, {
          businessId: business.businessId,
          type: 'credit.purchased',
          actor: null,
          at: api.clock.now(),
          subjects: { customerId: business.businessId },
          data: { i },
        }),
      );
    }
    // A second process: its own connection pool on PostgreSQL (the same embedded database on
    // PGlite, which has one session), its own services and worker.
    let second: Database = api.db;
    if (api.storage === 'postgres') {
      const url = (api.db.dataSource.options as { url: string }).url;
      const opened = await openDataSource({
        databaseUrl: url,
        entities: allEntities,
        migrations: allMigrations,
      });
      second = new Database(opened.dataSource, opened.kind);
    }
    try {
      const other = createServices(second, api.clock);
      const runs = await Promise.all([
        api.services.delivery.runDue(),
        other.delivery.runDue(),
        api.services.delivery.runDue(),
        other.delivery.runDue(),
      ]);
      const total = runs.reduce((sum, run) => sum + run.delivered, 0);
      expect(total).toBe(EVENTS * endpoints.length);
      expect(receiver.received).toHaveLength(EVENTS * endpoints.length);
      const ids = receiver.received.map((r) => r.headers[DELIVERY_ID_HEADER]);
      expect(new Set(ids).size).toBe(ids.length);
      for (const suffix of ['/a', '/b', '/c']) {
        const sequences = receiver.received
          .filter((r) => r.path === `/hooks${suffix}`)
          .map((r) => JSON.parse(r.body).sequence as number);
        expect(sequences).toHaveLength(EVENTS);
        expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      }
    } finally {
      if (second !== api.db) await second.close();
    }
  });
});

/** The `verify` function of the README's "Verifying a delivery" snippet. */
function readmeVerify(): (body: string, header: string, secret: string) => boolean {
  const readme = readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8');
  const code = /Verifying a delivery[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!code) throw new Error('README has no verification snippet');
  return new Function('require', `${code}\nreturn verify;`)(require);
}
