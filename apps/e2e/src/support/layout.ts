import type { Page } from 'playwright-core';

/** Status badges are a word or two: at any width they show whole, never "REF…". */
export async function expectBadgesWhole(page: Page): Promise<void> {
  const cut = await page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.mantine-Badge-root'))
      .filter((badge) => badge.offsetParent !== null)
      .filter((badge) => {
        const label = badge.querySelector<HTMLElement>('.mantine-Badge-label') ?? badge;
        return (
          label.scrollWidth > label.clientWidth + 1 || badge.scrollWidth > badge.clientWidth + 1
        );
      })
      .map((badge) => badge.textContent),
  );
  expect(cut).toEqual([]);
}
