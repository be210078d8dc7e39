/**
 * Issue 13: the refund chart names its days under the bars, and the hovered value sits over the
 * bar it belongs to (the whole day slot answers the pointer, the label is placed by that slot).
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { fakeBusiness } from '../../test/fixtures';
import { renderApp } from '../../test/render';

const day = (date: string, amount: string) => ({ date, net: { amount, currency: 'GHS' } });

function revenue() {
  const days = Array.from({ length: 14 }, (_, i) =>
    day(`2026-11-${String(7 + i).padStart(2, '0')}`, '0.00'),
  );
  days[12] = day('2026-11-19', '-1250.00');
  return { total: { amount: '-1250.00', currency: 'GHS' }, days };
}

async function chart() {
  installApi({ ...fakeBusiness().resolvers, revenue: () => revenue() });
  renderApp('/insights');
  return screen.findByRole('group', { name: /Net revenue per day/ }, { timeout: 10000 });
}

describe('revenue chart', () => {
  it('labels every other day under the bars, today included', async () => {
    const svg = await chart();
    const labels = [...svg.querySelectorAll('text')].map((t) => t.textContent);
    expect(labels).toEqual(['8 Nov', '10 Nov', '12 Nov', '14 Nov', '16 Nov', '18 Nov', '20 Nov']);
  });

  it('puts the hovered day’s value over that day’s bar, even between bars', async () => {
    const svg = await chart();
    expect(screen.queryByTestId('revenue-tooltip')).toBeNull();
    // The pointer is in the 19 Nov slot but beside its bar (in the gap): still 19 Nov.
    fireEvent.mouseEnter(within(svg).getByTestId('revenue-slot-2026-11-19'));
    const tooltip = screen.getByTestId('revenue-tooltip');
    expect(tooltip).toHaveTextContent('19 Nov: -GH₵1,250.00');
    expect(tooltip).toHaveAttribute('data-day', '2026-11-19');
    // Slot 13 of 14: its centre is 12.5/14 of the width.
    expect(tooltip.style.left).toBe(`${(12.5 / 14) * 100}%`);
    fireEvent.mouseEnter(within(svg).getByTestId('revenue-slot-2026-11-08'));
    expect(screen.getByTestId('revenue-tooltip')).toHaveTextContent('8 Nov: GH₵0.00');
    expect(screen.getByTestId('revenue-tooltip').style.left).toBe(`${(1.5 / 14) * 100}%`);
    fireEvent.mouseLeave(svg);
    expect(screen.queryByTestId('revenue-tooltip')).toBeNull();
  });
});
