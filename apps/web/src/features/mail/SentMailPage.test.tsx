import { screen, waitFor, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { fakeBusiness } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { refreshTiming } from '../../shared/refreshWhile';

const mail = [
  {
    id: 'mail2',
    kind: 'REFUND_NOTICE',
    to: 'kofi@example.com',
    subject: 'Ama Cleaning Co: your refund of GH₵250.00',
    text: 'Hello Kofi,\n\nWe have refunded GH₵250.00 for invoice Q-000012.',
    html: '<p>Hello Kofi,</p>',
    status: 'KEPT',
    note: 'Kept: no SMTP server is configured (SMTP_URL).',
    createdAt: '2026-11-20T10:00:00.000Z',
    sentAt: null,
  },
  {
    id: 'mail1',
    kind: 'FOLLOW_UP',
    to: 'esi@example.com',
    subject: 'Ama Cleaning Co: Invoice Q-000010',
    text: 'Hello Esi,\n\nA friendly reminder.',
    html: '<p>Hello Esi,</p>',
    status: 'SENT',
    note: null,
    createdAt: '2026-11-19T10:00:00.000Z',
    sentAt: '2026-11-19T10:00:02.000Z',
  },
];

describe('Sent mail', () => {
  it('lists mail newest first and says plainly what was kept rather than sent', async () => {
    const api = installApi(
      fakeBusiness({
        extra: {
          sentMail: () => ({ nodes: mail, pageInfo: { hasNextPage: false, endCursor: null } }),
        },
      }).resolvers,
    );
    renderApp('/mail');
    const table = await screen.findByRole('table', { name: 'E-mail, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(
      /kofi@example\.com.*your refund of GH₵250\.00.*Not sent \(no SMTP\)/,
    );
    expect(rows[0]).not.toHaveTextContent(/Sent 20/);
    expect(rows[1]).toHaveTextContent(/esi@example\.com.*Invoice Q-000010.*Sent/);
    expect(screen.getByText('Some mail was not sent')).toBeInTheDocument();
    expect(api.callsOf('SentMail')[0]!.variables).toMatchObject({ first: 25, after: null });
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'Sent mail' })).toHaveAttribute('href', '/mail');
  });

  it('shows a queued message going out without a reload, then stops asking', async () => {
    const saved = refreshTiming.ms;
    refreshTiming.ms = 20;
    try {
      const queued = { ...mail[0]!, status: 'QUEUED', note: null };
      const api = installApi(
        fakeBusiness({
          extra: {
            sentMail: () => ({
              nodes: [queued],
              pageInfo: { hasNextPage: false, endCursor: null },
            }),
          },
        }).resolvers,
      );
      renderApp('/mail');
      const table = await screen.findByRole('table', { name: 'E-mail, newest first' });
      expect(within(table).getAllByRole('row')[1]).toHaveTextContent(/Queued/);

      Object.assign(queued, { status: 'SENT', sentAt: '2026-11-20T10:00:03.000Z' });
      await waitFor(() => expect(within(table).getAllByRole('row')[1]).toHaveTextContent(/Sent/));
      expect(within(table).getAllByRole('row')[1]).not.toHaveTextContent(/Queued/);

      const asked = api.callsOf('SentMail').length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(api.callsOf('SentMail')).toHaveLength(asked);
    } finally {
      refreshTiming.ms = saved;
    }
  });

  it('has a calm empty state', async () => {
    installApi(
      fakeBusiness({
        extra: {
          sentMail: () => ({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null } }),
        },
      }).resolvers,
    );
    renderApp('/mail');
    expect(await screen.findByText('No e-mail yet')).toBeInTheDocument();
    expect(screen.queryByText('Some mail was not sent')).not.toBeInTheDocument();
  });
});
