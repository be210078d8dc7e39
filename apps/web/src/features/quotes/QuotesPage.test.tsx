import { screen, waitFor, within } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { fakeBusiness, quote } from '../../test/fixtures';
import { renderApp } from '../../test/render';

/** A tab's words without its (aria-hidden) count badge. */
const tabName = (tab: HTMLElement) => {
  const copy = tab.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((node) => node.remove());
  return copy.textContent;
};
const tabNames = () => screen.getAllByRole('tab').map(tabName);

describe('quotes page', () => {
  it('shows the tiles and no Refunded tab while the business has no refund', async () => {
    installApi(fakeBusiness({ quotes: [quote('PAID'), quote('DRAFT')] }).resolvers);
    renderApp('/quotes');
    const paidTile = await screen.findByRole('region', { name: 'Invoices paid' });
    await waitFor(() => expect(paidTile).toHaveTextContent('1'));
    expect(screen.getByRole('region', { name: 'Invoiced this month' })).toHaveTextContent(
      'GH₵1,250.00',
    );
    expect(tabNames()).toEqual(['All', 'Draft', 'Sent', 'Accepted', 'Paid', 'Void']);
  });

  it('shows on each tab how many quotes it lists, and says it to screen readers', async () => {
    installApi(fakeBusiness({ quotes: [quote('PAID'), quote('DRAFT'), quote('DRAFT')] }).resolvers);
    renderApp('/quotes?tab=draft');
    const drafts = await screen.findByRole('tab', { name: 'Draft' });
    await waitFor(() => expect(drafts).toHaveAccessibleDescription('2 quotes'));
    const counts = screen
      .getAllByRole('tab')
      .map((tab) => [tabName(tab), tab.querySelector('[aria-hidden="true"]')?.textContent]);
    expect(counts).toEqual([
      ['All', '3'],
      ['Draft', '2'],
      ['Sent', '0'],
      ['Accepted', '0'],
      ['Paid', '1'],
      ['Void', '0'],
    ]);
    // The count is the length of the list behind the tab.
    const table = await screen.findByRole('table', { name: 'Draft quotes' });
    expect(within(table).getAllByRole('row').slice(1)).toHaveLength(2);
  });

  it('adds the Refunded tab once quoteStats lists it, and filters by it', async () => {
    const refunded = quote('REFUNDED', {
      refund: {
        id: 'r1',
        amount: { amount: '1250.00', currency: 'GHS' },
        reason: null,
        recordedAt: '2026-11-20T10:00:00.000Z',
        recordedBy: null,
      },
    });
    const api = installApi(fakeBusiness({ quotes: [quote('PAID'), refunded] }).resolvers);
    const { user } = renderApp('/quotes');
    const tab = await screen.findByRole('tab', { name: 'Refunded' });
    expect(tabNames()).toEqual(['All', 'Draft', 'Sent', 'Accepted', 'Paid', 'Refunded', 'Void']);
    await user.click(tab);
    await waitFor(() =>
      expect(api.callsOf('Quotes').map((c) => c.variables['tab'])).toContain('REFUNDED'),
    );
    const table = await screen.findByRole('table', { name: 'Refunded quotes' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent(refunded.number);
    expect(rows[0]).toHaveTextContent('Refunded');
    expect(screen.getByTestId('location')).toHaveTextContent('/quotes?tab=refunded');
  });

  it('lists number, customer, total, status and date, and opens the drawer', async () => {
    const q = quote('SENT');
    installApi(fakeBusiness({ quotes: [q] }).resolvers);
    const { user } = renderApp('/quotes');
    const table = await screen.findByRole('table', { name: 'All quotes' });
    const row = within(table).getAllByRole('row')[1] as HTMLElement;
    expect(row).toHaveTextContent(q.number);
    expect(row).toHaveTextContent('Yaw Mensah');
    expect(row).toHaveTextContent('GH₵1,250.00');
    expect(row).toHaveTextContent('Sent');
    await user.click(within(row).getByRole('button', { name: `Open quote ${q.number}` }));
    expect(await screen.findByRole('dialog', { name: `Quote ${q.number}` })).toBeInTheDocument();
  });

  it('badges a paid invoice with refunds as Partly refunded, and only that one', async () => {
    const partly = quote('PAID', { refundedAmount: { amount: '250.00', currency: 'GHS' } });
    const whole = quote('PAID');
    installApi(fakeBusiness({ quotes: [partly, whole] }).resolvers);
    renderApp('/quotes');
    const table = await screen.findByRole('table', { name: 'All quotes' });
    const rowOf = (number: string) =>
      within(table)
        .getAllByRole('row')
        .find((row) => row.textContent?.includes(number)) as HTMLElement;
    await waitFor(() => expect(rowOf(partly.number)).toHaveTextContent('Partly refunded'));
    expect(rowOf(partly.number)).toHaveTextContent('Paid');
    expect(rowOf(whole.number)).not.toHaveTextContent('Partly refunded');
  });

  it('says so when a tab is empty', async () => {
    installApi(fakeBusiness({ quotes: [] }).resolvers);
    renderApp('/quotes?tab=void');
    expect(await screen.findByText('No quotes here yet')).toBeInTheDocument();
  });

  it('builds a quote with live exact totals and sends decimal strings', async () => {
    const api = installApi(
      fakeBusiness({
        quotes: [],
        extra: {
          createQuote: () => ({ quote: null, userErrors: [] }),
        },
      }).resolvers,
    );
    const { user } = renderApp('/quotes');
    await user.click(await screen.findByRole('button', { name: 'New quote' }));
    const dialog = await screen.findByRole('dialog', { name: 'New quote' });
    await user.type(within(dialog).getByLabelText('Description, line 1'), 'Hours');
    await user.clear(within(dialog).getByLabelText('Quantity, line 1'));
    await user.type(within(dialog).getByLabelText('Quantity, line 1'), '1.5');
    await user.type(within(dialog).getByLabelText('Unit price, line 1'), '33.33');
    expect(within(dialog).getByTestId('builder-total')).toHaveTextContent('GH₵50.00');
    await user.click(within(dialog).getByRole('button', { name: 'Add line item' }));
    await user.type(within(dialog).getByLabelText('Description, line 2'), 'Pens');
    await user.clear(within(dialog).getByLabelText('Quantity, line 2'));
    await user.type(within(dialog).getByLabelText('Quantity, line 2'), '3');
    await user.type(within(dialog).getByLabelText('Unit price, line 2'), '0.10');
    expect(within(dialog).getByTestId('builder-total')).toHaveTextContent('GH₵50.30');

    // No customer chosen: refused before anything is sent.
    await user.click(within(dialog).getByRole('button', { name: 'Create quote' }));
    expect(await within(dialog).findByText('Choose a customer.')).toBeVisible();
    expect(api.callsOf('CreateQuote')).toHaveLength(0);

    await user.click(within(dialog).getByRole('combobox', { name: /Customer/ }));
    await user.click(await screen.findByRole('option', { name: 'Yaw Mensah' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create quote' }));
    await waitFor(() => expect(api.callsOf('CreateQuote')).toHaveLength(1));
    expect(api.callsOf('CreateQuote')[0]?.variables).toEqual({
      input: {
        customerId: 'c1',
        title: null,
        lineItems: [
          { description: 'Hours', quantity: '1.5', unitPrice: '33.33' },
          { description: 'Pens', quantity: '3', unitPrice: '0.10' },
        ],
      },
    });
  });
});
