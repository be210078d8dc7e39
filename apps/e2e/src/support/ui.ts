import type { Locator, Page } from 'playwright-core';

export interface Owner {
  readonly businessName: string;
  readonly country: string;
  /** The option's label in the Country list, e.g. "Ghana (GH)". */
  readonly countryLabel: string;
  readonly currency: string;
  readonly timezone: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/**
 * Picks `option` in a select (Mantine Combobox) labelled `label`; types `search` first when the
 * select is searchable (pass '' for one that is not).
 */
export async function choose(
  scope: Page | Locator,
  label: string,
  search: string,
  option: string,
): Promise<void> {
  const page = 'page' in scope ? scope.page() : scope;
  const input = scope.getByRole('combobox', { name: label });
  // Already chosen (e.g. the only credit, preselected): clicking it again would deselect it.
  if ((await input.inputValue()) === option) return;
  await input.click();
  if (search) await input.fill(search);
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The sign-up screen: a new business and its owner, then the signed-in shell. */
export async function signUp(page: Page, owner: Owner): Promise<void> {
  await page.goto('/signup');
  await page.getByRole('heading', { name: 'Create your business' }).waitFor();
  await page.getByLabel('Business name').fill(owner.businessName);
  await choose(page, 'Country', owner.countryLabel.replace(/ \(..\)$/, ''), owner.countryLabel);
  await choose(page, 'Currency', owner.currency, owner.currency);
  await choose(page, 'Time zone', owner.timezone, owner.timezone);
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(owner.password);
  await page.getByRole('button', { name: 'Create business' }).click();
  await page.getByTestId('business-name').filter({ hasText: owner.businessName }).waitFor();
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
}

/** Follows a link of the main navigation, as a person would. */
export async function navigate(page: Page, item: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main navigation' })
    .getByRole('link', { name: item })
    .click();
}

/** Today's calendar date (YYYY-MM-DD) in `timeZone`, `daysAgo` days back. */
export function dayIn(timeZone: string, daysAgo = 0): string {
  const instant = new Date(Date.now() - daysAgo * 86400000);
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** A table row (role row) that contains all of `texts`. */
export function rowWith(scope: Page | Locator, ...texts: string[]): Locator {
  let rows = scope.getByRole('row');
  for (const text of texts) rows = rows.filter({ hasText: text });
  return rows;
}
