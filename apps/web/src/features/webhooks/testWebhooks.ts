// Test helper (no *.test suffix): in-memory endpoints and deliveries answering the webhook
// operations as the contract describes them.
import { EVENT_TYPES, type Role } from '@refunds/domain';
import { fakeBusiness } from '../../test/fixtures';

interface FakeEndpoint {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
}

interface FakeDelivery {
  id: string;
  endpointId: string;
  attempt: number;
  status: string;
  responseStatus: number | null;
  durationMs: number | null;
  at: string;
  nextAttemptAt: string | null;
  error: string | null;
  event: { id: string; sequence: number; type: string; occurredAt: string; payload: string };
}

const AT = '2026-11-20T10:00:00.000Z';

export function fakeWebhooks(options: { role?: Role } = {}) {
  const endpoints: FakeEndpoint[] = [
    {
      id: 'we1',
      url: 'https://books.example.com/hooks',
      eventTypes: ['quote.refunded'],
      enabled: true,
      disabledReason: null,
      createdAt: AT,
    },
  ];
  const event = (sequence: number, type: string) => ({
    id: `ev${sequence}`,
    sequence,
    type,
    occurredAt: AT,
    payload: JSON.stringify({ id: `ev${sequence}`, type, sequence }),
  });
  const deliveries: FakeDelivery[] = [
    {
      id: 'd1',
      endpointId: 'we1',
      attempt: 3,
      status: 'PENDING',
      responseStatus: 500,
      durationMs: 41,
      at: AT,
      nextAttemptAt: '2026-11-20T10:27:00.000Z',
      error: 'Answered 500',
      event: event(7, 'quote.refunded'),
    },
  ];
  let sequence = 10;
  const notFound = { userErrors: [{ code: 'NOT_FOUND', field: [], message: 'Not found.' }] };
  const { resolvers } = fakeBusiness({
    role: options.role ?? 'OWNER',
    extra: {
      eventTypes: () => EVENT_TYPES,
      webhookEndpoints: () => endpoints,
      webhookDeliveries: ({ endpointId }: { endpointId: string }) => ({
        nodes: deliveries.filter((d) => d.endpointId === endpointId).reverse(),
        pageInfo: { hasNextPage: false, endCursor: null },
      }),
      createWebhookEndpoint: ({ input }: { input: { url: string; eventTypes: string[] } }) => {
        if (!input.url.startsWith('https://') || input.url.includes('127.0.0.1')) {
          return {
            endpoint: null,
            signingSecret: null,
            userErrors: [
              {
                code: 'INVALID_URL',
                field: ['input', 'url'],
                message: '127.0.0.1 is a private, loopback or link-local address.',
              },
            ],
          };
        }
        const endpoint = {
          id: `we${++sequence}`,
          url: input.url,
          eventTypes: input.eventTypes ?? [],
          enabled: true,
          disabledReason: null,
          createdAt: AT,
        };
        endpoints.push(endpoint);
        return { endpoint, signingSecret: 'whsec_test_secret', userErrors: [] };
      },
      updateWebhookEndpoint: ({ input }: { input: { id: string; enabled?: boolean } }) => {
        const endpoint = endpoints.find((e) => e.id === input.id);
        if (!endpoint) return notFound;
        if (typeof input.enabled === 'boolean') {
          endpoint.enabled = input.enabled;
          endpoint.disabledReason = input.enabled ? null : 'Disabled by a person.';
        }
        return { endpoint, userErrors: [] };
      },
      resendEvent: ({ endpointId, eventId }: { endpointId: string; eventId: string }) => {
        const original = deliveries.find(
          (d) => d.endpointId === endpointId && d.event.id === eventId,
        );
        if (!original) return notFound;
        const delivery = {
          ...original,
          id: `d${++sequence}`,
          attempt: 0,
          status: 'PENDING',
          responseStatus: null,
          durationMs: null,
          error: null,
          nextAttemptAt: AT,
        };
        deliveries.push(delivery);
        return { delivery, userErrors: [] };
      },
      sendTestWebhook: ({ endpointId }: { endpointId: string }) => {
        const delivery = {
          id: `d${++sequence}`,
          endpointId,
          attempt: 0,
          status: 'PENDING',
          responseStatus: null,
          durationMs: null,
          at: AT,
          nextAttemptAt: AT,
          error: null,
          event: event(++sequence, 'webhook.test'),
        };
        deliveries.push(delivery);
        return { delivery, userErrors: [] };
      },
    },
  });
  return { resolvers, endpoints, deliveries };
}
