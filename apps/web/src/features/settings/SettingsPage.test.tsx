import { screen, waitFor, within } from '@testing-library/react';
import type { Role } from '@refunds/domain';
import { installApi } from '../../test/fakeApi';
import { renderApp } from '../../test/render';
import { fakeSettings } from './testSettings';

function setup(path: string, role: Role = 'OWNER') {
  const fake = fakeSettings({ role });
  const api = installApi(fake.resolvers);
  return { ...fake, api, ...renderApp(path) };
}

const sectionTabs = async () =>
  within(await screen.findByRole('tablist', { name: 'Settings sections' }))
    .getAllByRole('tab')
    .map((tab) => tab.textContent);

describe('settings: who sees what', () => {
  it('an owner sees every section, starting with the business profile', async () => {
    setup('/settings');
    expect(await sectionTabs()).toEqual([
      'Business',
      'Team',
      'API keys',
      'Webhooks',
      'Bank accounts',
    ]);
    expect(await screen.findByRole('heading', { name: 'Business profile' })).toBeInTheDocument();
    expect(screen.getByText('Africa/Accra')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/settings/business');
  });

  it('a manager sees bank accounts only, and is sent there from the team address', async () => {
    const { api } = setup('/settings/team', 'MANAGER');
    expect(await sectionTabs()).toEqual(['Bank accounts']);
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/settings/bank-accounts'),
    );
    expect(api.callsOf('TeamMembers')).toHaveLength(0);
  });

  it('agents have no settings at all', async () => {
    setup('/settings', 'AGENT');
    expect(await screen.findByRole('heading', { name: 'Customers' })).toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(within(nav).queryByRole('link', { name: 'Settings' })).not.toBeInTheDocument();
  });
});

describe('settings: bank accounts', () => {
  it('lists active and archived accounts, adds a second one, renames and archives with a confirmation', async () => {
    const { user, banks, api } = setup('/settings/bank-accounts');
    const table = await screen.findByRole('table', { name: /Refunds are paid from/ });
    expect(within(table).getByText('Main account').closest('tr')).toHaveTextContent('In use');
    expect(within(table).getByText('Closed account').closest('tr')).toHaveTextContent(
      /Archived 1 Oct 2026/,
    );

    await user.click(screen.getByRole('button', { name: 'Add bank account' }));
    const add = await screen.findByRole('dialog', { name: 'Add a bank account' });
    await user.type(within(add).getByLabelText(/Account name/), 'Payroll account');
    await user.click(within(add).getByRole('button', { name: 'Add bank account' }));
    expect(await within(table).findByText('Payroll account')).toBeInTheDocument();
    expect(banks.map((b) => b.name)).toContain('Payroll account');

    const mainRow = within(table).getByText('Main account').closest('tr')!;
    await user.click(within(mainRow).getByRole('button', { name: 'Rename' }));
    const rename = await screen.findByRole('dialog', { name: 'Rename the bank account' });
    const name = within(rename).getByLabelText(/Account name/);
    await user.clear(name);
    await user.click(within(rename).getByRole('button', { name: 'Save name' }));
    expect(await within(rename).findByText('Give the bank account a name.')).toBeInTheDocument();
    expect(api.callsOf('RenameBankAccount')).toHaveLength(0);
    await user.type(name, 'Ecobank current');
    await user.click(within(rename).getByRole('button', { name: 'Save name' }));
    expect(await within(table).findByText('Ecobank current')).toBeInTheDocument();

    const row = within(table).getByText('Ecobank current').closest('tr')!;
    await user.click(within(row).getByRole('button', { name: 'Archive' }));
    const confirm = await screen.findByRole('dialog', { name: 'Archive the bank account?' });
    expect(confirm).toHaveTextContent('Refunds already paid from it keep showing it.');
    expect(api.callsOf('ArchiveBankAccount')).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Archive' }));
    await waitFor(() =>
      expect(within(table).getByText('Ecobank current').closest('tr')).toHaveTextContent(
        /Archived/,
      ),
    );
    expect(api.callsOf('ArchiveBankAccount')[0]?.variables).toEqual({ bankAccountId: 'bank1' });
  });

  it('shows the refusal when someone archived it first', async () => {
    const { user, banks } = setup('/settings/bank-accounts');
    const table = await screen.findByRole('table', { name: /Refunds are paid from/ });
    const row = within(table).getByText('Main account').closest('tr')!;
    banks[0]!.archivedAt = '2026-11-20T09:00:00.000Z'; // in another tab
    await user.click(within(row).getByRole('button', { name: 'Archive' }));
    const confirm = await screen.findByRole('dialog', { name: 'Archive the bank account?' });
    await user.click(within(confirm).getByRole('button', { name: 'Archive' }));
    expect(await within(confirm).findByRole('alert')).toHaveTextContent(
      'This bank account is already archived.',
    );
  });
});

describe('settings: team', () => {
  it('adds a member with a role the domain lets the owner give, checking the form first', async () => {
    const { user, members, api } = setup('/settings/team');
    const table = await screen.findByRole('table', { name: /Members of the business/ });
    expect(within(table).getAllByRole('row')).toHaveLength(4);

    await user.click(screen.getByRole('button', { name: 'Add member' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add a team member' });
    await user.click(within(dialog).getByRole('button', { name: 'Add member' }));
    expect(within(dialog).getByText('Enter their name.')).toBeInTheDocument();
    expect(
      within(dialog).getByText('Choose a password of at least 10 characters.'),
    ).toBeInTheDocument();
    expect(api.callsOf('AddTeamMember')).toHaveLength(0);

    await user.type(within(dialog).getByLabelText(/^Name/), 'Abena Mensah');
    await user.type(within(dialog).getByLabelText(/^Email/), 'abena@example.com');
    await user.type(within(dialog).getByLabelText(/^First password/), 'a long first password');
    await user.click(within(dialog).getByRole('button', { name: 'Add member' }));
    expect(await within(table).findByText('Abena Mensah')).toBeInTheDocument();
    expect(members.at(-1)).toMatchObject({ email: 'abena@example.com', role: 'MANAGER' });
  });

  it('an admin may not hand out Owner, nor change or remove an owner', async () => {
    const { user } = setup('/settings/team', 'ADMIN');
    const table = await screen.findByRole('table', { name: /Members of the business/ });
    const ownerRow = within(table).getByText('Efua Owner').closest('tr')!;
    expect(within(ownerRow).queryByRole('combobox')).not.toBeInTheDocument();
    expect(within(ownerRow).queryByRole('button', { name: 'Remove' })).not.toBeInTheDocument();

    await user.click(within(table).getByRole('combobox', { name: 'Role of Kwame Asante' }));
    const options = (await screen.findAllByRole('option')).map((o) => o.textContent);
    expect(options).toEqual(['Admin', 'Manager', 'Agent', 'Viewer']);
  });

  it('changes a role and removes a member after a confirmation', async () => {
    const { user, members, api } = setup('/settings/team');
    const table = await screen.findByRole('table', { name: /Members of the business/ });
    await user.click(within(table).getByRole('combobox', { name: 'Role of Kwame Asante' }));
    await user.click(await screen.findByRole('option', { name: 'Viewer' }));
    await waitFor(() => expect(members.find((m) => m.id === 'm2')?.role).toBe('VIEWER'));

    const row = within(table).getByText('Kwame Asante').closest('tr')!;
    await user.click(within(row).getByRole('button', { name: 'Remove' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove member?' });
    expect(confirm).toHaveTextContent('loses access at once');
    await user.click(within(confirm).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(within(table).queryByText('Kwame Asante')).not.toBeInTheDocument());
    expect(api.callsOf('RemoveMember')[0]?.variables).toEqual({ memberId: 'm2' });
    // Nobody removes themselves from here.
    const myRow = within(table)
      .getByText(/^Ama Owusu/)
      .closest('tr')!;
    expect(within(myRow).queryByRole('button', { name: 'Remove' })).not.toBeInTheDocument();
  });
});

describe('settings: API keys', () => {
  it('lists keys with their last use', async () => {
    setup('/settings/api-keys');
    const table = await screen.findByRole('table', { name: /API keys/ });
    const row = within(table).getByText('Books sync').closest('tr')!;
    expect(row).toHaveTextContent('READ');
    expect(row).toHaveTextContent('19 Nov 2026');
    expect(row).toHaveTextContent('Never');
    expect(row).toHaveTextContent('Active');
  });

  it('creates a key with scopes and an expiry, shows the secret once with a warning and a copy button', async () => {
    const { user, api } = setup('/settings/api-keys');
    await screen.findByRole('table', { name: /API keys/ });
    await user.click(screen.getByRole('button', { name: 'Create API key' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create an API key' });
    await user.type(within(dialog).getByLabelText(/^Name/), 'Till');
    await user.click(within(dialog).getByRole('checkbox', { name: /^Write/ }));
    await user.type(within(dialog).getByLabelText(/Expires after/), '2099-12-31');
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }));

    expect(await within(dialog).findByTestId('api-key-secret')).toHaveTextContent(/^rbo_k_secret/);
    expect(within(dialog).getByRole('alert')).toHaveTextContent(
      'This is the only time it is shown',
    );
    expect(within(dialog).getByRole('button', { name: 'Copy secret' })).toBeInTheDocument();
    const input = api.callsOf('CreateApiKey')[0]?.variables['input'] as Record<string, unknown>;
    // The end of 31 Dec 2099 in Accra (UTC+0) is midnight UTC on 1 Jan 2100.
    expect(input).toEqual({
      name: 'Till',
      scopes: ['READ', 'WRITE'],
      expiresAt: '2100-01-01T00:00:00.000Z',
    });

    await user.click(within(dialog).getByRole('button', { name: 'I have stored it' }));
    await waitFor(() => expect(screen.queryByTestId('api-key-secret')).not.toBeInTheDocument());
    expect(await screen.findByText('Till')).toBeInTheDocument();
  });

  it('refuses an expiry that is not in the future, and no scope at all', async () => {
    const { user, api } = setup('/settings/api-keys');
    await screen.findByRole('table', { name: /API keys/ });
    await user.click(screen.getByRole('button', { name: 'Create API key' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create an API key' });
    await user.type(within(dialog).getByLabelText(/^Name/), 'Old');
    await user.click(within(dialog).getByRole('checkbox', { name: /^Read/ }));
    await user.type(within(dialog).getByLabelText(/Expires after/), '2020-01-01');
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }));
    expect(within(dialog).getByText('Choose at least one scope.')).toBeInTheDocument();
    expect(within(dialog).getByText('Choose a day after today.')).toBeInTheDocument();
    expect(api.callsOf('CreateApiKey')).toHaveLength(0);
  });

  it('revokes after a confirmation', async () => {
    const { user, api } = setup('/settings/api-keys');
    const table = await screen.findByRole('table', { name: /API keys/ });
    await user.click(within(table).getByRole('button', { name: 'Revoke' }));
    const confirm = await screen.findByRole('dialog', { name: 'Revoke API key?' });
    expect(confirm).toHaveTextContent('Calls with Books sync are refused from now on.');
    await user.click(within(confirm).getByRole('button', { name: 'Revoke' }));
    await waitFor(() =>
      expect(within(table).getByText('Books sync').closest('tr')).toHaveTextContent('Revoked'),
    );
    expect(api.callsOf('RevokeApiKey')[0]?.variables).toEqual({ id: 'k1' });
  });
});
