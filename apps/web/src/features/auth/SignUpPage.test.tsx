/**
 * Issue 13: picking a country at sign-up sets its currency and time zone from the domain's
 * countryDefaults, instead of leaving USD and UTC.
 */
import { screen, waitFor } from '@testing-library/react';
import { installApi } from '../../test/fakeApi';
import { fakeBusiness } from '../../test/fixtures';
import { renderApp } from '../../test/render';

async function pickCountry(
  user: ReturnType<typeof renderApp>['user'],
  name: string,
  label: string,
) {
  const country = await screen.findByRole('combobox', { name: /Country/ }, { timeout: 10000 });
  await user.click(country);
  await user.clear(country);
  await user.type(country, name);
  await user.click(await screen.findByRole('option', { name: label }));
}

describe('sign-up country defaults', () => {
  it('Ghana sets GHS and Africa/Accra', async () => {
    installApi(fakeBusiness().resolvers);
    const { user } = renderApp('/signup', { token: null });
    expect(
      await screen.findByRole('combobox', { name: /Currency/ }, { timeout: 10000 }),
    ).toHaveValue('USD');
    await pickCountry(user, 'Ghana', 'Ghana (GH)');
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: /Currency/ })).toHaveValue('GHS'),
    );
    expect(screen.getByRole('combobox', { name: /Time zone/ })).toHaveValue('Africa/Accra');
  });

  it('Japan then France: each pick sets that country’s currency and zone', async () => {
    installApi(fakeBusiness().resolvers);
    const { user } = renderApp('/signup', { token: null });
    await pickCountry(user, 'Japan', 'Japan (JP)');
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: /Currency/ })).toHaveValue('JPY'),
    );
    expect(screen.getByRole('combobox', { name: /Time zone/ })).toHaveValue('Asia/Tokyo');
    await pickCountry(user, 'France', 'France (FR)');
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: /Currency/ })).toHaveValue('EUR'),
    );
    expect(screen.getByRole('combobox', { name: /Time zone/ })).toHaveValue('Europe/Paris');
  });

  it('the United States sets USD and asks which of its zones, listing them first', async () => {
    installApi(fakeBusiness().resolvers);
    const { user } = renderApp('/signup', { token: null });
    await pickCountry(user, 'United States', 'United States (US)');
    const zone = screen.getByRole('combobox', { name: /Time zone/ });
    await waitFor(() => expect(zone).toHaveValue(''));
    expect(screen.getByRole('combobox', { name: /Currency/ })).toHaveValue('USD');
    expect(zone).toHaveAccessibleDescription(/United States has \d+ time zones: choose yours\./);
    await user.click(zone);
    const group = await screen.findByRole('group', { name: 'In United States' });
    expect(group).toHaveTextContent('America/New_York');
    expect(group).not.toHaveTextContent('Africa/Accra');
  });
});
