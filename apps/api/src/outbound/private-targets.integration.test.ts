import { type SignedUp, type TestApi, startTestApi } from '../test/harness';
import { type WebhookReceiver, startWebhookReceiver } from './test-receivers';

type Gql = any;

const CREATE = `mutation ($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { id } signingSecret userErrors { code field message }
  }
}`;
const UPDATE = `mutation ($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { endpoint { id url } userErrors { code field message } }
}`;

/** Without WEBHOOKS_ALLOW_PRIVATE, as in production. */
let api: TestApi;
let owner: SignedUp;
let receiver: WebhookReceiver;

beforeAll(async () => {
  delete process.env.WEBHOOKS_ALLOW_PRIVATE;
  delete process.env.SMTP_URL;
  api = await startTestApi();
  owner = await api.signUp();
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await api.close();
  await receiver.close();
});

describe('private-address webhook endpoints (SSRF)', () => {
  it.each([
    'https://127.0.0.1/hooks',
    'https://[::1]/hooks',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.8/hooks',
    'https://192.168.1.20/hooks',
    'https://localhost/hooks',
    'http://hooks.example.com/plain-http',
  ])('refuses %s with INVALID_URL', async (url) => {
    const result = await api.gql<Gql>(CREATE, { input: { url } }, owner.token);
    expect(result.data.createWebhookEndpoint).toMatchObject({
      endpoint: null,
      signingSecret: null,
      userErrors: [{ code: 'INVALID_URL', field: ['input', 'url'] }],
    });
  });

  it('refuses to move an endpoint to a private address', async () => {
    const created = await api.gql<Gql>(
      CREATE,
      { input: { url: 'https://203.0.114.9/hooks' } },
      owner.token,
    );
    const id = created.data.createWebhookEndpoint.endpoint.id;
    const moved = await api.gql<Gql>(
      UPDATE,
      { input: { id, url: 'https://172.16.3.4/' } },
      owner.token,
    );
    expect(moved.data.updateWebhookEndpoint.userErrors[0].code).toBe('INVALID_URL');
  });

  it('checks again when delivering: an endpoint that points inside is never connected to', async () => {
    // As if it had been saved while allowed (or a name resolved elsewhere then): written directly.
    const [{ id }] = await api.db.manager.query(
      `INSERT INTO webhook_endpoints (id, business_id, url, event_types, enabled, signing_secret,
                                      created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, '{}', true, 'whsec_x', now(), now()) RETURNING id`,
      [owner.businessId, receiver.url],
    );
    const sent = await api.gql<Gql>(
      `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) { delivery { id } userErrors { code } } }`,
      { id },
      owner.token,
    );
    expect(sent.data.sendTestWebhook.userErrors).toEqual([]);
    await api.services.delivery.runDue();
    expect(receiver.received).toHaveLength(0);
    const log = await api.gql<Gql>(
      `query ($id: ID!) { webhookDeliveries(endpointId: $id) { nodes { status attempt error } } }`,
      { id },
      owner.token,
    );
    expect(log.data.webhookDeliveries.nodes[0]).toMatchObject({ status: 'PENDING', attempt: 1 });
    expect(log.data.webhookDeliveries.nodes[0].error).toMatch(/not a public address/);
  });
});
