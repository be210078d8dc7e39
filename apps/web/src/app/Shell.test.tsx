/**
 * Issue 13, the signed-in frame: one banner landmark even with a dialog open (a dialog's title bar
 * is no second banner), every dialog's close button has a name, and on a narrow screen the burger
 * menu holds who you are and Log out while the header keeps the role.
 */
import { screen, within } from '@testing-library/react';
import { installApi } from '../test/fakeApi';
import { fakeBusiness, quote } from '../test/fixtures';
import { renderApp } from '../test/render';

describe('the shell', () => {
  it('has one banner, also while a modal and a drawer are open, and names their close buttons', async () => {
    const q = quote('PAID');
    installApi(fakeBusiness({ quotes: [q] }).resolvers);
    const { user } = renderApp(`/quotes?quote=${q.id}`);
    const drawer = await screen.findByRole(
      'dialog',
      { name: `Quote ${q.number}` },
      { timeout: 10000 },
    );
    await user.click(within(drawer).getByRole('button', { name: 'Refund' }));
    const dialog = await screen.findByRole('dialog', { name: `Refund ${q.number}` });

    expect(screen.getAllByRole('banner')).toHaveLength(1);
    expect(within(dialog).getByRole('button', { name: 'Close' })).toBeInTheDocument();
    expect(within(drawer).getByRole('button', { name: 'Close quote' })).toBeInTheDocument();
    // No unnamed button anywhere on the screen.
    for (const button of screen.getAllByRole('button')) {
      expect(button).toHaveAccessibleName();
    }
  });

  it('keeps the role in the header and puts name, role and Log out in the burger menu', async () => {
    installApi(fakeBusiness({ role: 'MANAGER' }).resolvers);
    renderApp('/customers');
    const header = await screen.findByRole('banner', {}, { timeout: 10000 });
    expect(within(header).getByTestId('role-badge-mobile')).toHaveTextContent('Manager');
    const burger = within(header).getByRole('button', { name: 'Menu' });
    expect(burger).toHaveAttribute('aria-controls', 'main-navigation');
    const menu = screen.getByRole('navigation', { name: 'Main navigation' });
    expect(menu).toHaveAttribute('id', 'main-navigation');
    expect(within(menu).getByText('Ama Owusu')).toBeInTheDocument();
    expect(within(menu).getByText('Manager')).toBeInTheDocument();
    expect(within(menu).getByRole('button', { name: 'Log out' })).toBeInTheDocument();
  });
});
