/**
 * Outstanding credits come a page at a time (`outstandingCredits(first, after)`, `after` the id of
 * the last credit shown): the screens ask for 51, show 50 and offer "Load more credits" while the
 * extra credit says there is more, so a customer's 101st open credit can be refunded or allocated.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { GraphQLError } from 'graphql';
import { installApi } from '../../test/fakeApi';
import { customer, quote } from '../../test/fixtures';
import { renderApp } from '../../test/render';
import { fakeAccount } from './testAccounts';

const bank = { id: 'bank1', name: 'Main account', currency: 'GHS' };

/** A promise the test resolves: the API's answer waits for it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

type Args = { first?: number | null; after?: string | null };
type Account = { outstandingCredits: (args: Args) => unknown } | null;

/**
 * `count` credits of GH₵1.00, GH₵2.00, … (oldest first); `hold(args)` may return a promise the
 * answer for those arguments waits for, or throw to fail it.
 */
function setup(
  count: number,
  {
    route = 'refund',
    hold,
    options = { bankAccounts: [{ ...bank }] },
  }: {
    route?: 'refund' | 'accounts';
    hold?: (args: Args, credits: readonly { id: string }[]) => Promise<void> | undefined;
    options?: Parameters<typeof fakeAccount>[0];
  } = {},
) {
  const fake = fakeAccount(options);
  const credits = Array.from({ length: count }, (_, i) =>
    fake.addCredit(i % 2 ? 'PAYMENT' : 'CREDIT_NOTE', BigInt(i + 1) * 100n),
  );
  const plain = fake.resolvers['customerAccount'] as (args: { customerId: string }) => Account;
  fake.resolvers['customerAccount'] = (args: { customerId: string }) => {
    const account = plain(args);
    if (!account || !hold) return account;
    return {
      ...account,
      outstandingCredits: async (page: Args) => {
        await hold(page, credits);
        return account.outstandingCredits(page);
      },
    };
  };
  const api = installApi(fake.resolvers);
  const path = `/customers/${customer.id}/accounts${route === 'refund' ? '/refund' : ''}`;
  const view = renderApp(path);
  return { fake, credits, api, ...view };
}

async function outstandingRows() {
  const table = await screen.findByRole('table', { name: 'Outstanding credit notes and payments' });
  return within(table).getAllByRole('row').slice(1);
}

const loadMore = () => screen.getByRole('button', { name: 'Load more credits' });

describe('outstanding credits, a page at a time', () => {
  it('Refund O/S: loads more while keeping the choice and the form, then refunds a credit of the second page', async () => {
    const second = gate();
    const { user, api, credits } = setup(101, {
      hold: (args, all) => (args.after === all[49]!.id ? second.opened : undefined),
    });
    expect(await outstandingRows()).toHaveLength(50);
    expect(api.callsOf('OutstandingCredits')[0]?.variables).toEqual({
      customerId: customer.id,
      first: 51,
    });
    expect(screen.getByText('50 credits shown, oldest first.')).toHaveAttribute('role', 'status');
    expect(loadMore()).toHaveAccessibleDescription('50 credits shown, oldest first.');

    // A choice and a reference typed before loading more stay as they were.
    await user.click(screen.getByRole('radio', { name: `Refund ${credits[2]!.number}` }));
    await user.type(screen.getByLabelText(/^Reference/), 'Transfer 17');
    await user.click(loadMore());
    await waitFor(() => expect(loadMore()).toHaveAttribute('aria-busy', 'true'));
    expect(loadMore()).toHaveAttribute('aria-disabled', 'true');
    expect(loadMore()).toHaveAccessibleDescription('Loading more credits…');
    // Pressed again while loading: no second request.
    await user.click(loadMore());
    second.open();

    await waitFor(async () => expect(await outstandingRows()).toHaveLength(100));
    expect(loadMore()).toHaveAttribute('aria-busy', 'false');
    const rows = await outstandingRows();
    expect(rows[50]).toHaveTextContent(credits[50]!.number);
    expect(rows[99]).toHaveTextContent(credits[99]!.number);
    expect(screen.getByRole('radio', { name: `Refund ${credits[2]!.number}` })).toBeChecked();
    expect(screen.getByLabelText(/^Amount \(GHS\)/)).toHaveValue('3.00');
    expect(screen.getByLabelText(/^Reference/)).toHaveValue('Transfer 17');
    expect(
      api
        .callsOf('OutstandingCredits')
        .filter((call) => call.variables['after'] === credits[49]!.id),
    ).toHaveLength(1);

    // The last page: the button goes, focus moves to the line that says everything is shown.
    await user.click(loadMore());
    await waitFor(async () => expect(await outstandingRows()).toHaveLength(101));
    expect(screen.queryByRole('button', { name: 'Load more credits' })).toBeNull();
    const all = screen.getByText('All 101 outstanding credits shown.');
    await waitFor(() => expect(all).toHaveFocus());
    expect(api.callsOf('OutstandingCredits').map((call) => call.variables['after'])).toEqual([
      undefined,
      credits[49]!.id,
      credits[99]!.id,
    ]);

    // Refund a credit of the second page.
    const chosen = credits[74]!;
    await user.click(screen.getByRole('radio', { name: `Refund ${chosen.number}` }));
    expect(screen.getByLabelText(/^Amount \(GHS\)/)).toHaveValue('75.00');
    await user.click(screen.getByRole('combobox', { name: 'Bank account' }));
    await user.click(await screen.findByRole('option', { name: 'Main account (GHS)' }));
    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
    const confirm = await screen.findByRole('dialog', { name: 'Create this refund?' });
    expect(confirm).toHaveTextContent(chosen.number);
    await user.click(within(confirm).getByRole('button', { name: 'Yes' }));
    await waitFor(() => expect(api.callsOf('RefundCreditNote')).toHaveLength(1));
    expect(api.callsOf('RefundCreditNote')[0]?.variables).toMatchObject({
      input: {
        creditId: chosen.id,
        bankAccountId: bank.id,
        amount: '75.00',
        reference: 'Transfer 17',
      },
    });
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        `/customers/${customer.id}/accounts`,
      ),
    );
    expect(chosen.outstandingMinor).toBe(0n);
  });

  it('offers no "Load more" when one page holds every credit', async () => {
    setup(50);
    expect(await outstandingRows()).toHaveLength(50);
    expect(screen.queryByRole('button', { name: 'Load more credits' })).toBeNull();
    expect(screen.queryByText(/credits shown/)).toBeNull();
  });

  it('after a refusal that says the state moved on, fetches the loaded pages again and keeps the choice', async () => {
    const { user, credits } = setup(60);
    await outstandingRows();
    await user.click(loadMore());
    await waitFor(async () => expect(await outstandingRows()).toHaveLength(60));
    const chosen = credits[55]!;
    await user.click(screen.getByRole('radio', { name: `Refund ${chosen.number}` }));
    await user.click(screen.getByRole('combobox', { name: 'Bank account' }));
    await user.click(await screen.findByRole('option', { name: 'Main account (GHS)' }));
    // Someone refunded GH₵50.00 of it meanwhile: GH₵6.00 is left on the server.
    chosen.outstandingMinor = 600n;
    await user.click(screen.getByRole('button', { name: 'Refund Credit Note' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Create this refund?' })).getByRole(
        'button',
        { name: 'Yes' },
      ),
    );
    const amount = screen.getByLabelText(/^Amount \(GHS\)/);
    await waitFor(() =>
      expect(amount).toHaveAccessibleDescription(
        expect.stringContaining('Only 6.00 is outstanding.'),
      ),
    );
    // The second page shows the new O/S, and the credit is still the one chosen.
    await waitFor(async () => expect((await outstandingRows())[55]).toHaveTextContent('GH₵6.00'));
    expect(await outstandingRows()).toHaveLength(60);
    expect(screen.getByRole('radio', { name: `Refund ${chosen.number}` })).toBeChecked();
  });

  it('says when more could not load, and loads them when pressed again', async () => {
    let fail = true;
    const { user } = setup(60, {
      hold: (args) => {
        if (args.after && fail) throw new GraphQLError('The server is unavailable');
        return undefined;
      },
    });
    await outstandingRows();
    await user.click(loadMore());
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not load more credits');
    expect(await outstandingRows()).toHaveLength(50);
    fail = false;
    await user.click(loadMore());
    await waitFor(async () => expect(await outstandingRows()).toHaveLength(60));
    expect(screen.queryByRole('button', { name: 'Load more credits' })).toBeNull();
    expect(screen.queryByText('Could not load more credits', { exact: false })).toBeNull();
  });

  it('Allocate credit: loads more credits into the choice and allocates one of the second page', async () => {
    const invoice = quote('ACCEPTED', {
      total: { amount: '500.00', currency: 'GHS' },
      outstanding: { amount: '500.00', currency: 'GHS' },
    });
    const { user, api, credits } = setup(60, { route: 'accounts', options: { quotes: [invoice] } });
    await screen.findByRole('table', { name: 'Statement, oldest first' }, { timeout: 10000 });
    expect(api.callsOf('CustomerAccount')[0]?.variables).toMatchObject({ creditsFirst: 51 });
    await user.click(screen.getByRole('button', { name: 'Allocate credit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Allocate credit' });
    const chosen = credits[57]!;

    await user.click(within(dialog).getByRole('combobox', { name: 'Credit' }));
    expect(await screen.findAllByRole('option')).toHaveLength(50);
    await user.keyboard('{Escape}');
    await user.click(within(dialog).getByRole('button', { name: 'Load more credits' }));
    await waitFor(() =>
      expect(within(dialog).getByText('All 60 outstanding credits shown.')).toBeInTheDocument(),
    );
    await user.click(within(dialog).getByRole('combobox', { name: 'Credit' }));
    await user.click(await screen.findByRole('option', { name: new RegExp(chosen.number) }));
    const amount = within(dialog).getByLabelText(/^Amount \(GHS\)/);
    expect(amount).toHaveValue('58.00');
    await user.click(within(dialog).getByRole('combobox', { name: 'Invoice' }));
    await user.click(await screen.findByRole('option', { name: new RegExp(invoice.number) }));
    await user.click(within(dialog).getByRole('button', { name: 'Allocate' }));
    await waitFor(() => expect(api.callsOf('AllocateCredit')).toHaveLength(1));
    expect(api.callsOf('AllocateCredit')[0]?.variables).toMatchObject({
      input: { creditId: chosen.id, quoteId: invoice.id, amount: '58.00' },
    });
  });
});
