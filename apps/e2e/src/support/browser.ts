import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '../../artifacts');
export const VIEWPORT = { width: 1280, height: 800 };

/** Debian's Chromium, headless; no network of its own beyond the app under test. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function newPage(
  browser: Browser,
  baseURL: string,
  options: { locale?: string; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    viewport: VIEWPORT,
    locale: options.locale ?? 'en-US',
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.setDefaultNavigationTimeout(30000);
  return { context, page };
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * A test's journey through the app: every step runs, then saves a screenshot as
 * artifacts/<test>/<nn>-<step>.png. A failing step saves <nn>-<step>-FAILED.png and names itself
 * in the error, so a red run shows where and what the screen looked like.
 */
export class Journey {
  private count = 0;
  readonly dir: string;

  constructor(
    private page: Page,
    testName: string,
  ) {
    this.dir = path.join(ARTIFACTS, slug(testName));
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }

  /** Screenshots go to another page from now on (e.g. the customer's own browser). */
  use(page: Page): void {
    this.page = page;
  }

  async step<T>(name: string, action: () => Promise<T>): Promise<T> {
    this.count += 1;
    const file = `${String(this.count).padStart(2, '0')}-${slug(name)}`;
    try {
      const result = await action();
      await this.shoot(`${file}.png`);
      return result;
    } catch (error) {
      await this.shoot(`${file}-FAILED.png`).catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      const wrapped = new Error(
        `Step ${file} ("${name}") failed: ${message}\n(screenshot: ${path.join(this.dir, `${file}-FAILED.png`)})`,
      );
      if (error instanceof Error && error.stack)
        wrapped.stack = `${wrapped.message}\n${error.stack}`;
      throw wrapped;
    }
  }

  private async shoot(file: string): Promise<void> {
    // Let transitions (drawers, modals, notifications) settle so the picture shows the result.
    await this.page.waitForTimeout(350);
    await this.page.screenshot({ path: path.join(this.dir, file), animations: 'disabled' });
  }
}
