import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { installApi } from '../../test/fakeApi';
import { customer, fakeBusiness } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { server } from '../../test/server';
import { fakeAccount } from '../accounts/testAccounts';
import { fakeLedger } from '../transactions/testLedger';

interface ExportRequest {
  path: string;
  query: Record<string, string>;
  authorization: string | null;
}

/** The export endpoint as the API answers it: a CSV attachment, or a JSON error. */
function installExports(answer?: () => Response) {
  const requests: ExportRequest[] = [];
  server.use(
    http.get('*/export/:file', ({ request }) => {
      const url = new URL(request.url);
      requests.push({
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        authorization: request.headers.get('authorization'),
      });
      if (answer) return answer();
      return new HttpResponse('\uFEFFDate,Credits\r\n2026-11-02 09:00,100\r\n', {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="transactions-2026-11-20.csv"',
        },
      });
    }),
  );
  return requests;
}

/** The browser's download: jsdom has no object URLs, so record what would be saved. */
function captureDownloads() {
  const saved: Array<{ name: string; blob: Blob }> = [];
  const blobs = new Map<string, Blob>();
  URL.createObjectURL = (blob: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob);
    return url;
  };
  URL.revokeObjectURL = () => undefined;
  const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    saved.push({ name: this.download, blob: blobs.get(this.href)! });
  });
  return { saved, restore: () => click.mockRestore() };
}

describe('Transactions: filters in the address, and the CSV of every row', () => {
  it('reads kind and dates from the address, sends them to the list and to the export', async () => {
    const ledger = fakeLedger({ customers: [{ ...customer }] });
    ledger.add(customer.id, 'PURCHASE', 100n);
    const api = installApi(ledger.resolvers);
    const requests = installExports();
    const downloads = captureDownloads();
    const { user } = renderApp('/transactions?kind=purchase&from=2026-11-01&to=2026-11-05');

    await screen.findByRole('table', { name: /Credit transactions/ });
    expect(api.callsOf('CreditTransactions').at(-1)?.variables).toMatchObject({
      kind: 'PURCHASE',
      from: '2026-11-01',
      to: '2026-11-05',
    });
    expect(screen.getByLabelText('From')).toHaveValue('2026-11-01');
    expect(screen.getByLabelText('To')).toHaveValue('2026-11-05');

    await user.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(downloads.saved).toHaveLength(1));
    expect(requests).toEqual([
      {
        path: '/export/transactions.csv',
        query: { kind: 'PURCHASE', from: '2026-11-01', to: '2026-11-05' },
        authorization: 'Bearer test-token',
      },
    ]);
    expect(downloads.saved[0]!.name).toBe('transactions-2026-11-20.csv');
    expect(await downloads.saved[0]!.blob.text()).toContain('2026-11-02 09:00,100');
    downloads.restore();
  });

  it('a new date goes into the address (a reload or a link shows the same list)', async () => {
    const ledger = fakeLedger({ customers: [{ ...customer }] });
    ledger.add(customer.id, 'PURCHASE', 100n);
    const api = installApi(ledger.resolvers);
    renderApp('/transactions');
    await screen.findByRole('table', { name: /Credit transactions/ });
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-10-01' } });
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/transactions?from=2026-10-01'),
    );
    await waitFor(() =>
      expect(api.callsOf('CreditTransactions').at(-1)?.variables).toMatchObject({
        from: '2026-10-01',
        to: null,
      }),
    );
  });

  it('ignores a hand-edited date that is not a date', async () => {
    const ledger = fakeLedger({ customers: [{ ...customer }] });
    const api = installApi(ledger.resolvers);
    renderApp('/transactions?from=yesterday');
    await screen.findByText('No transactions');
    expect(api.callsOf('CreditTransactions').at(-1)?.variables).toMatchObject({ from: null });
  });

  it('shows the API’s refusal next to the button, and downloads nothing', async () => {
    installApi(fakeLedger({ customers: [{ ...customer }] }).resolvers);
    installExports(() =>
      HttpResponse.json(
        {
          errors: [
            {
              message: '"from" must be on or before "to".',
              extensions: { code: 'BAD_USER_INPUT' },
            },
          ],
        },
        { status: 400 },
      ),
    );
    const downloads = captureDownloads();
    const { user } = renderApp('/transactions');
    await user.click(await screen.findByRole('button', { name: 'Download CSV' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('"from" must be on or before "to".');
    expect(downloads.saved).toHaveLength(0);
    downloads.restore();
  });
});

describe('Quotes and statement downloads', () => {
  it('the quotes CSV follows the open tab', async () => {
    installApi(fakeBusiness().resolvers);
    const requests = installExports();
    const downloads = captureDownloads();
    const { user } = renderApp('/quotes?tab=paid');
    await user.click(await screen.findByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({ path: '/export/quotes.csv', query: { tab: 'PAID' } });
    downloads.restore();
  });

  it("the statement takes its dates from the address and exports the customer's lines", async () => {
    const fake = fakeAccount();
    fake.addCredit('CREDIT_NOTE', 2500n, 'Damaged item');
    const api = installApi(fake.resolvers);
    const requests = installExports();
    const downloads = captureDownloads();
    const { user } = renderApp(`/customers/${customer.id}/accounts?from=2026-10-01`);
    const section = await screen.findByRole('region', { name: 'Statement' });
    expect(api.callsOf('CustomerAccount').at(-1)?.variables).toMatchObject({
      from: '2026-10-01',
      to: null,
    });
    await user.click(within(section).getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]).toMatchObject({
      path: '/export/statement.csv',
      query: { customerId: customer.id, from: '2026-10-01' },
    });
    downloads.restore();
  });
});
