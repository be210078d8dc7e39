import { screen, within } from '@testing-library/react';
import { portalRefundBanner } from '@refunds/domain';
import { installApi } from '../../test/fakeApi';
import { renderApp } from '../../test/render';

const money = (amount: string) => ({ amount, currency: 'GHS' });
const GENERIC = 'Check your payment account: funds should be on their way back.';

function portalWith(banner: { message: string; reason: string | null } | null) {
  return {
    businessName: 'Kofi Cleaning',
    businessCountry: 'GH',
    customerName: 'Yaw Mensah',
    creditBalance: '0',
    quotes: [
      {
        number: 'Q-0007',
        status: 'REFUNDED',
        total: money('1250.00'),
        refundedAmount: money('1250.00'),
        refundedAt: '2026-11-19T10:00:00.000Z',
        lineItems: [{ description: 'Deep clean', quantity: '1', total: money('1250.00') }],
        refundBanner: banner,
      },
      {
        number: 'Q-0008',
        status: 'PAID',
        total: money('300.00'),
        refundedAmount: money('0.00'),
        refundedAt: null,
        lineItems: [],
        refundBanner: null,
      },
    ],
  };
}

describe('customer portal', () => {
  it('needs no log-in and shows quotes with status and totals', async () => {
    const api = installApi({ portal: () => portalWith(null) });
    renderApp('/c/tok-yaw', { token: null });
    expect(await screen.findByRole('heading', { name: 'Hello, Yaw Mensah' })).toBeInTheDocument();
    const paid = screen.getByRole('article', { name: 'Q-0008' });
    expect(paid).toHaveTextContent('Paid');
    // The business's locale, as the admin writes it, whatever the visiting browser's is.
    expect(paid).toHaveTextContent('GH₵300.00');
    expect(screen.getByRole('article', { name: 'Q-0007' })).toHaveTextContent(
      'Deep clean × 1: GH₵1,250.00',
    );
    expect(api.callsOf('Portal')[0]).toMatchObject({
      variables: { token: 'tok-yaw' },
      authorization: null,
    });
    expect(api.callsOf('Session')).toHaveLength(0);
  });

  it('shows a coral "Refunded by <business>" banner with the owner’s reason', async () => {
    installApi({
      portal: () => portalWith({ message: 'Customer cancelled', reason: 'Customer cancelled' }),
    });
    renderApp('/c/tok-yaw', { token: null });
    const card = await screen.findByRole('article', { name: 'Q-0007' });
    const banner = within(card).getByRole('alert');
    expect(
      within(banner).getByRole('heading', { name: 'Refunded by Kofi Cleaning' }),
    ).toBeInTheDocument();
    expect(banner).toHaveTextContent('Customer cancelled');
    expect(banner.getAttribute('style')).toContain('coral');
    expect(within(screen.getByRole('article', { name: 'Q-0008' })).queryByRole('alert')).toBeNull();
  });

  it('shows the generic line when the owner gave no reason', async () => {
    installApi({ portal: () => portalWith({ message: GENERIC, reason: null }) });
    renderApp('/c/tok-yaw', { token: null });
    const card = await screen.findByRole('article', { name: 'Q-0007' });
    const banner = within(card).getByRole('alert');
    expect(within(banner).getByRole('heading', { name: 'Refunded' })).toBeInTheDocument();
    expect(banner).toHaveTextContent(GENERIC);
  });

  it('says "Refunded by <business>" once in the domain’s generic line (issue 13)', async () => {
    // The line the API sends, made by the domain's own rule.
    const generic = portalRefundBanner({
      status: 'REFUNDED',
      total: { minor: 125000n, currency: 'GHS' } as never,
      refunded: { minor: 125000n, currency: 'GHS' } as never,
      refundedAt: null,
      reason: null,
      businessName: 'Kofi Cleaning',
    });
    expect(generic?.reason).toBeNull();
    installApi({ portal: () => portalWith({ message: generic!.message, reason: null }) });
    renderApp('/c/tok-yaw', { token: null });
    const card = await screen.findByRole('article', { name: 'Q-0007' });
    const banner = within(card).getByRole('alert');
    expect(banner).toHaveTextContent(generic!.message);
    expect(banner.textContent!.split('Refunded by Kofi Cleaning')).toHaveLength(2);
  });

  it('says how much of a partly refunded invoice came back, with the date, under its lines', async () => {
    const partial = portalWith(null);
    partial.quotes[1] = {
      ...partial.quotes[1]!,
      refundedAmount: money('100.00'),
      refundedAt: '2026-11-19T10:00:00.000Z',
      lineItems: [{ description: 'Deep clean', quantity: '1', total: money('300.00') }],
      refundBanner: {
        message: 'Kofi Cleaning refunded GH₵100.00 of GH₵300.00 on 19 Nov 2026. One room skipped',
        reason: 'One room skipped',
      },
    };
    installApi({ portal: () => partial });
    renderApp('/c/tok-yaw', { token: null });
    const card = await screen.findByRole('article', { name: 'Q-0008' });
    expect(card).toHaveTextContent('Paid');
    const banner = within(card).getByRole('alert');
    expect(
      // The line names the business already: the heading does not repeat it (issue 13).
      within(banner).getByRole('heading', { name: 'Partly refunded' }),
    ).toBeInTheDocument();
    expect(banner).toHaveTextContent(
      'Kofi Cleaning refunded GH₵100.00 of GH₵300.00 on 19 Nov 2026. One room skipped',
    );
  });

  it('shows a not-found page for an unknown token', async () => {
    installApi({ portal: () => null });
    renderApp('/c/nope', { token: null });
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeInTheDocument();
    expect(screen.queryByRole('article')).toBeNull();
  });
});
