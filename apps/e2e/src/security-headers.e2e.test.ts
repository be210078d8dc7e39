/**
 * Issue 10, browser test: the built SPA and the customer portal run under the API's
 * Content-Security-Policy (Mantine injects <style> elements; scripts only from the app's origin)
 * without a single violation, and the portal page keeps its token out of Referer and search.
 */
import type { Browser, Page } from 'playwright-core';
import { startApp, type RunningApp } from './support/app';
import { launchBrowser, newPage } from './support/browser';
import { Api } from './support/graphql';
import { logIn, navigate } from './support/ui';

const owner = {
  businessName: 'Yaa Tailoring',
  country: 'GH',
  currency: 'GHS',
  timezone: 'Africa/Accra',
  name: 'Yaa Asantewaa',
  email: 'yaa@tailoring.example',
  password: 'needle-and-thread-10',
};

let app: RunningApp;
let browser: Browser;
let portalPath: string;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  const api = new Api(app.url);
  await api.signUp(owner);
  const customerId = await api.createCustomer('Kwame Nkrumah', 'kwame@example.com');
  const data = await api.request<{ customer: { portalPath: string } }>(
    'query ($id: ID!) { customer(id: $id) { portalPath } }',
    { id: customerId },
  );
  portalPath = data.customer.portalPath;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Every CSP violation the page reports, as "directive blocked-uri". */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
        `${event.violatedDirective} ${event.blockedURI}`,
      );
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

it('runs the admin SPA under the CSP without a violation', async () => {
  const { context, page } = await newPage(browser, app.url);
  const violations = await watchViolations(page);
  const response = await page.goto('/login');
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
  await logIn(page, owner.email, owner.password);
  for (const item of ['Customers', 'Quotes', 'Insights']) {
    await navigate(page, item);
    await page.waitForLoadState('networkidle');
  }
  expect(violations).toEqual([]);
  await context.close();
});

it('runs the portal under the CSP, with no Referer and no indexing', async () => {
  const { context, page } = await newPage(browser, app.url);
  const violations = await watchViolations(page);
  const response = await page.goto(portalPath);
  const headers = response?.headers() ?? {};
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-robots-tag']).toMatch(/noindex/);
  expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  await page.getByText(owner.businessName).first().waitFor();
  expect(violations).toEqual([]);
  await context.close();
});
