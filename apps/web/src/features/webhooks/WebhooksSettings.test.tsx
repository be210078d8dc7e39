import { screen, waitFor, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { renderApp } from '../../test/render';
import { refreshTiming } from '../../shared/refreshWhile';
import { fakeWebhooks } from './testWebhooks';

function setup(role: 'OWNER' | 'MANAGER' = 'OWNER') {
  const fake = fakeWebhooks({ role });
  const api = installApi(fake.resolvers);
  return { ...fake, api, ...renderApp('/settings/webhooks') };
}

describe('Settings → Webhooks', () => {
  it('adds an endpoint for chosen events and shows its signing secret once', async () => {
    const { user, api, endpoints } = setup();
    const table = await screen.findByRole('table', { name: 'Webhook endpoints' });
    expect(
      within(table).getByText('https://books.example.com/hooks').closest('tr'),
    ).toHaveTextContent(/quote\.refunded.*Enabled/);

    await user.click(screen.getByRole('button', { name: 'Add endpoint' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a webhook endpoint' });
    // Checked before sending: not a URL at all.
    await user.type(within(dialog).getByLabelText(/URL/), 'books');
    await user.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    expect(await within(dialog).findByText(/starting with https:\/\//)).toBeInTheDocument();
    expect(api.callsOf('CreateWebhookEndpoint')).toHaveLength(0);
    // Refused by the API: the message lands on the field.
    await user.clear(within(dialog).getByLabelText(/URL/));
    await user.type(within(dialog).getByLabelText(/URL/), 'https://127.0.0.1/hooks');
    await user.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    expect(await within(dialog).findByText(/private, loopback or link-local/)).toBeInTheDocument();

    await user.clear(within(dialog).getByLabelText(/URL/));
    await user.type(within(dialog).getByLabelText(/URL/), 'https://crm.example.com/in');
    await user.click(within(dialog).getByLabelText('credit.refunded'));
    await user.click(within(dialog).getByRole('button', { name: 'Add endpoint' }));
    expect(await within(dialog).findByTestId('webhook-signing-secret')).toHaveTextContent(
      'whsec_test_secret',
    );
    expect(api.callsOf('CreateWebhookEndpoint').at(-1)!.variables).toEqual({
      input: { url: 'https://crm.example.com/in', eventTypes: ['credit.refunded'] },
    });
    expect(endpoints).toHaveLength(2);
    await user.click(within(dialog).getByRole('button', { name: 'I have stored it' }));
    expect(await within(table).findByText('https://crm.example.com/in')).toBeInTheDocument();
    expect(screen.queryByText('whsec_test_secret')).not.toBeInTheDocument();
  });

  it('shows the delivery log with the answer and next try, resends, sends a test and disables', async () => {
    const { user, api, deliveries, endpoints } = setup();
    const table = await screen.findByRole('table', { name: 'Webhook endpoints' });
    const row = within(table).getByText('https://books.example.com/hooks').closest('tr')!;

    await user.click(within(row).getByRole('button', { name: 'Delivery log' }));
    const log = await screen.findByRole('dialog', { name: 'Delivery log' });
    const first = (await within(log).findByText('#7 quote.refunded')).closest('tr')!;
    expect(first).toHaveTextContent(/PENDING/);
    expect(first).toHaveTextContent(/Next try/);
    expect(first).toHaveTextContent('HTTP 500 in 41 ms');
    expect(first).toHaveTextContent(/^.*3.*$/);
    await user.click(within(first).getByRole('button', { name: 'Resend' }));
    await waitFor(() => expect(api.callsOf('ResendEvent')).toHaveLength(1));
    expect(api.callsOf('ResendEvent')[0]!.variables).toEqual({ endpointId: 'we1', eventId: 'ev7' });
    await waitFor(() => expect(within(log).getAllByText('#7 quote.refunded')).toHaveLength(2));
    expect(deliveries).toHaveLength(2);
    await user.keyboard('{Escape}');

    await user.click(within(row).getByRole('button', { name: 'Send test event' }));
    expect(await within(row).findByText(/Test event queued/)).toBeInTheDocument();
    expect(api.callsOf('SendTestWebhook')[0]!.variables).toEqual({ endpointId: 'we1' });
    // The note sends the person to the log; opening it clears the note.
    await user.click(within(row).getByRole('button', { name: 'Delivery log' }));
    expect(
      await within(await screen.findByRole('dialog', { name: 'Delivery log' })).findByText(
        /webhook\.test/,
      ),
    ).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(within(row).queryByText(/Test event queued/)).toBeNull());

    await user.click(within(row).getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(row).toHaveTextContent(/Disabled by a person/));
    expect(endpoints[0]!.enabled).toBe(false);
    expect(within(row).getByRole('button', { name: 'Send test event' })).toBeDisabled();
    expect(within(row).getByRole('button', { name: 'Enable' })).toBeInTheDocument();
  });

  it('follows a due delivery in the open log until the worker has answered, then stops asking', async () => {
    const saved = refreshTiming.ms;
    refreshTiming.ms = 20;
    try {
      const { user, api, deliveries } = setup();
      const table = await screen.findByRole('table', { name: 'Webhook endpoints' });
      const row = within(table).getByText('https://books.example.com/hooks').closest('tr')!;
      await user.click(within(row).getByRole('button', { name: 'Delivery log' }));
      const log = await screen.findByRole('dialog', { name: 'Delivery log' });
      const delivery = () => within(log).getByText('#7 quote.refunded').closest('tr')!;
      await waitFor(() => expect(delivery()).toHaveTextContent(/PENDING/));

      // The worker's next attempt succeeds; nobody reopens the log.
      Object.assign(deliveries[0]!, {
        status: 'DELIVERED',
        attempt: 4,
        responseStatus: 200,
        durationMs: 12,
        nextAttemptAt: null,
        error: null,
      });
      await waitFor(() => expect(delivery()).toHaveTextContent(/DELIVERED/));
      expect(delivery()).toHaveTextContent('HTTP 200 in 12 ms');

      // Nothing is due any more: the log stops reloading.
      const asked = api.callsOf('WebhookDeliveries').length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(api.callsOf('WebhookDeliveries')).toHaveLength(asked);
    } finally {
      refreshTiming.ms = saved;
    }
  });

  it('is not a section for managers, who are sent away from its address', async () => {
    const { api } = setup('MANAGER');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/settings/bank-accounts'),
    );
    expect(api.callsOf('WebhookEndpoints')).toHaveLength(0);
  });
});
