import { screen, waitFor, within } from '@testing-library/react';
import type { Role } from '../../gql/graphql';
import { apiError, installApi } from '../../test/fakeApi';
import { fakeBusiness } from '../../test/fixtures';
import { renderApp } from '../../test/render';

interface FakeAuditEntry {
  id: string;
  at: string;
  action: string;
  actorKind: 'MEMBER' | 'API_KEY' | 'SYSTEM';
  actorName: string | null;
  subjectType: string;
  subjectId: string | null;
  changes: { field: string; before: string | null; after: string | null }[];
  reason: string | null;
}

/** A log of `count` entries, newest first, paged by the index of the last one seen. */
function fakeLog(entries: FakeAuditEntry[], role: Role = 'OWNER') {
  return fakeBusiness({
    role,
    extra: {
      auditLog: ({
        action,
        subjectId,
        first,
        after,
      }: {
        action?: string | null;
        subjectId?: string | null;
        first?: number | null;
        after?: string | null;
      }) => {
        if (role !== 'OWNER' && role !== 'ADMIN') throw apiError('FORBIDDEN', 'Not allowed.');
        const matching = entries.filter(
          (e) => (!action || e.action === action) && (!subjectId || e.subjectId === subjectId),
        );
        const start = after ? Number(after) : 0;
        const size = first ?? 20;
        const nodes = matching.slice(start, start + size);
        return {
          nodes,
          pageInfo: {
            hasNextPage: start + size < matching.length,
            endCursor: nodes.length ? String(start + nodes.length) : null,
          },
        };
      },
    },
  }).resolvers;
}

const reversal: FakeAuditEntry = {
  id: 'a3',
  at: '2026-11-20T10:00:00.000Z',
  action: 'ENTRY_REVERSED',
  actorKind: 'MEMBER',
  actorName: 'Ama Owusu',
  subjectType: 'CreditTransaction',
  subjectId: 'entry-1',
  changes: [
    { field: 'balance', before: '1250', after: '1240' },
    { field: 'deleted', before: 'false', after: 'true' },
  ],
  reason: 'Entered twice',
};
const accountRefund: FakeAuditEntry = {
  id: 'a2',
  at: '2026-11-19T10:00:00.000Z',
  action: 'ACCOUNT_REFUNDED',
  actorKind: 'API_KEY',
  actorName: 'Till sync',
  subjectType: 'CreditNote',
  subjectId: 'note-1',
  changes: [{ field: 'outstanding', before: '1345.50', after: '0.00' }],
  reason: 'BACS 1234',
};
const system: FakeAuditEntry = {
  id: 'a1',
  at: '2026-11-18T10:00:00.000Z',
  action: 'FOLLOW_UPS_STOPPED',
  actorKind: 'SYSTEM',
  actorName: null,
  subjectType: 'Quote',
  subjectId: null,
  changes: [],
  reason: null,
};

describe('Audit log', () => {
  it('lists who did what, newest first, with amounts before and after in the business currency', async () => {
    const api = installApi(fakeLog([reversal, accountRefund, system]));
    renderApp('/audit');
    const table = await screen.findByRole('table', { name: 'Audit log, newest first' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('Ama Owusu');
    expect(rows[0]).toHaveTextContent('Entry reversed');
    expect(rows[0]).toHaveTextContent('CreditTransaction');
    // Credits are whole numbers; the domain formatter groups them.
    expect(rows[0]).toHaveTextContent('Balance: 1,250 → 1,240');
    expect(rows[0]).toHaveTextContent('Deleted: false → true');
    expect(rows[0]).toHaveTextContent('Entered twice');
    expect(rows[1]).toHaveTextContent('Till sync');
    expect(within(rows[1]!).getByText('API key')).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent('Account refund');
    // Money through the domain's formatter, in the business's currency and locale.
    expect(rows[1]).toHaveTextContent('Outstanding: GH₵1,345.50 → GH₵0.00');
    expect(rows[2]).toHaveTextContent('System');
    expect(rows[2]).toHaveTextContent('Follow ups stopped');
    expect(api.callsOf('AuditLog')[0]!.variables).toMatchObject({ first: 25, after: null });
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).getByRole('link', { name: 'Audit log' })).toHaveAttribute('href', '/audit');
  });

  it('filters by action and by subject through the API, and keeps the filters in the address', async () => {
    const api = installApi(fakeLog([reversal, accountRefund, system]));
    const { user } = renderApp('/audit');
    await screen.findByRole('table', { name: 'Audit log, newest first' });

    await user.click(screen.getByRole('combobox', { name: 'Action' }));
    await user.click(await screen.findByRole('option', { name: 'Account refund' }));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/audit?action=ACCOUNT_REFUNDED'),
    );
    await waitFor(() => {
      const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toHaveTextContent('Till sync');
    });
    expect(api.callsOf('AuditLog').at(-1)!.variables).toMatchObject({ action: 'ACCOUNT_REFUNDED' });

    await user.type(screen.getByRole('textbox', { name: 'Subject id' }), 'entry-1');
    await user.click(screen.getByRole('button', { name: 'Filter' }));
    expect(await screen.findByText('No audit entries')).toBeInTheDocument();
    expect(screen.getByText('Nothing matches these filters.')).toBeInTheDocument();
    expect(api.callsOf('AuditLog').at(-1)!.variables).toMatchObject({
      action: 'ACCOUNT_REFUNDED',
      subjectId: 'entry-1',
    });
  });

  it('pages with the cursor the API gave, forwards and back', async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      ...reversal,
      id: `e${i}`,
      subjectId: `entry-${i}`,
    }));
    const api = installApi(fakeLog(many));
    const { user } = renderApp('/audit');
    await screen.findByRole('table', { name: 'Audit log, newest first' });
    expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(26);
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() =>
      expect(within(screen.getByRole('table')).getAllByRole('row')).toHaveLength(6),
    );
    expect(api.callsOf('AuditLog').at(-1)!.variables).toMatchObject({ after: '25' });
    expect(screen.getByText('entry-29')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Previous page' }));
    await waitFor(() => expect(screen.getByText('entry-0')).toBeInTheDocument());
  });

  it('has a calm empty state', async () => {
    installApi(fakeLog([]));
    renderApp('/audit');
    expect(await screen.findByText('No audit entries')).toBeInTheDocument();
    expect(
      screen.getByText(/Refunds, payments, corrections and access changes show here/),
    ).toBeInTheDocument();
  });

  it.each<Role>(['MANAGER', 'AGENT', 'VIEWER'])(
    'is not offered to a %s, and opening it directly asks nothing of the API',
    async (role) => {
      const api = installApi(fakeLog([reversal], role));
      renderApp('/audit');
      const nav = await screen.findByRole('navigation', { name: 'Main navigation' });
      expect(within(nav).queryByRole('link', { name: 'Audit log' })).toBeNull();
      await waitFor(() => expect(screen.getByTestId('location')).not.toHaveTextContent('/audit'));
      expect(api.callsOf('AuditLog')).toHaveLength(0);
    },
  );
});
