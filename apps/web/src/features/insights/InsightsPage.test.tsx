import { fireEvent, screen, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { fakeBusiness } from '../../test/fixtures';
import { renderApp } from '../../test/render';

const day = (date: string, amount: string) => ({ date, net: { amount, currency: 'GHS' } });

function revenue() {
  const days = Array.from({ length: 14 }, (_, i) =>
    day(`2026-11-${String(7 + i).padStart(2, '0')}`, '0.00'),
  );
  days[3] = day('2026-11-10', '1250.00');
  days[12] = day('2026-11-19', '-1250.00');
  days[13] = day('2026-11-20', '300.00');
  return { total: { amount: '300.00', currency: 'GHS' }, days };
}

describe('insights', () => {
  it('asks for 14 days and shows the total and a dip for the refund day', async () => {
    const api = installApi({ ...fakeBusiness().resolvers, revenue: () => revenue() });
    renderApp('/insights');
    expect(await screen.findByTestId('revenue-total')).toHaveTextContent('GH₵300.00');
    expect(api.callsOf('Revenue')[0]?.variables).toEqual({ days: 14 });
    const chart = screen.getByRole('group', { name: /Net revenue per day, 14 days/ });
    const bars = within(chart).getAllByRole('img');
    expect(bars).toHaveLength(14);
    const dip = within(chart).getByRole('img', { name: /19 Nov.*-GH₵1,250\.00/ });
    expect(dip).toHaveAttribute('data-negative', 'true');
    expect(bars.filter((bar) => bar.hasAttribute('data-negative'))).toEqual([dip]);
  });

  it('shows a day’s value on focus and on hover', async () => {
    installApi({ ...fakeBusiness().resolvers, revenue: () => revenue() });
    renderApp('/insights');
    const chart = await screen.findByRole('group', { name: /Net revenue per day/ });
    const readout = screen.getByTestId('revenue-readout');
    const paidDay = within(chart).getByRole('img', { name: /10 Nov/ });
    fireEvent.focus(paidDay);
    expect(readout).toHaveTextContent('10 Nov: GH₵1,250.00');
    fireEvent.mouseEnter(within(chart).getByRole('img', { name: /19 Nov/ }));
    expect(readout).toHaveTextContent('19 Nov: -GH₵1,250.00');
  });

  it('shows an error with a retry when revenue cannot load', async () => {
    installApi({
      ...fakeBusiness().resolvers,
      revenue: () => {
        throw new Error('database down');
      },
    });
    renderApp('/insights');
    expect(await screen.findByRole('alert')).toHaveTextContent('database down');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('lists refunds of the period by reason, largest first', async () => {
    const api = installApi({
      ...fakeBusiness().resolvers,
      revenue: () => revenue(),
      refundsByReason: () => [
        { reason: 'DISPUTE', count: 2, amount: { amount: '900.00', currency: 'GHS' } },
        { reason: null, count: 1, amount: { amount: '50.00', currency: 'GHS' } },
      ],
    });
    renderApp('/insights');
    const table = await screen.findByRole('table', { name: 'Refunds by reason' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      'Dispute2GH₵900.00',
      'No category1GH₵50.00',
    ]);
    expect(api.callsOf('RefundsByReason')[0]?.variables).toEqual({ days: 14 });
  });
});
