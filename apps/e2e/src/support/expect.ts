import type { Locator } from 'playwright-core';

/**
 * Retries `check` (which throws, e.g. a jest `expect`) until it passes or `timeout` ms pass, then
 * throws its last error. The screens refresh after mutations; this waits for what a person would
 * see after a moment instead of sleeping a fixed time.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeout = 15000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The visible text of `locator`, whitespace collapsed, once it is visible. */
export async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible' });
  return (await locator.innerText()).replace(/\s+/g, ' ').trim();
}

/** Waits until the locator's collapsed text equals `expected`. */
export async function expectText(locator: Locator, expected: string | RegExp): Promise<void> {
  let last = '';
  try {
    await eventually(async () => {
      last = await textOf(locator);
      if (typeof expected === 'string' ? last !== expected : !expected.test(last)) {
        throw new Error('mismatch');
      }
    });
  } catch {
    throw new Error(`Expected text ${String(expected)} but the screen shows "${last}"`);
  }
}

/** Waits until the locator's collapsed text contains every one of `parts`. */
export async function expectTextContaining(locator: Locator, ...parts: string[]): Promise<void> {
  let last = '';
  try {
    await eventually(async () => {
      last = await textOf(locator);
      if (!parts.every((part) => last.includes(part))) throw new Error('mismatch');
    });
  } catch {
    const missing = parts.filter((part) => !last.includes(part));
    throw new Error(
      `Expected the text to contain ${JSON.stringify(missing)} but it shows "${last}"`,
    );
  }
}

/** Waits until an input's value equals `expected`. */
export async function expectValue(locator: Locator, expected: string): Promise<void> {
  let last = '';
  try {
    await eventually(async () => {
      last = await locator.inputValue();
      if (last !== expected) throw new Error('mismatch');
    });
  } catch {
    throw new Error(`Expected the field to hold "${expected}" but it holds "${last}"`);
  }
}

/** Waits until the locator matches nothing visible. */
export async function expectGone(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'hidden' });
}

/** Waits until exactly `n` elements match. */
export async function expectCount(locator: Locator, n: number): Promise<void> {
  let last = -1;
  try {
    await eventually(async () => {
      last = await locator.count();
      if (last !== n) throw new Error('mismatch');
    });
  } catch {
    throw new Error(`Expected ${n} matching elements but found ${last}`);
  }
}

/**
 * The status badges inside `scope` read as their text (Mantine shows them in capitals with CSS;
 * screen readers and the DOM say "Paid").
 */
export async function expectBadge(scope: Locator, status: string): Promise<void> {
  let last: string[] = [];
  try {
    await eventually(async () => {
      last = (await scope.locator('.mantine-Badge-root').allTextContents()).map((b) => b.trim());
      if (!last.includes(status)) throw new Error('mismatch');
    });
  } catch {
    throw new Error(`Expected a "${status}" badge but the badges read ${JSON.stringify(last)}`);
  }
}
