import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * axe-core's browser build (it ships in apps/e2e's deps). Evaluated through the DevTools protocol
 * rather than added as a <script>: the app's Content-Security-Policy (script-src 'self') rightly
 * refuses inline scripts, and the test must not weaken it.
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
  html: string;
}
interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: AxeNode[];
}

/** The impacts that fail a test: WCAG failures a person hits (contrast, names, landmarks...). */
const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core (every rule it enables by default: WCAG 2.x A/AA and best practices) on what the
 * page shows now, and fails with a readable list when anything critical or serious is found.
 * `screen` names the screen in the message. Moderate and minor findings are returned, not failed.
 */
export async function expectAccessible(page: Page, screen: string): Promise<AxeViolation[]> {
  // Let transitions (modals sliding in, notifications fading) settle: axe reads computed colours.
  await page.waitForTimeout(400);
  const injected = await page.evaluate(() => 'axe' in window);
  if (!injected) await page.evaluate(`${AXE_SOURCE}\n;void 0`);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: unknown[];
    };
    return result.violations;
  });
  const all = violations as AxeViolation[];
  const blocking = all.filter((v) => v.impact !== null && BLOCKING.has(v.impact));
  if (blocking.length > 0) {
    const lines = blocking.map(
      (v) =>
        `- ${v.impact} ${v.id} (${v.help}) on ${v.nodes.length} element(s): ` +
        v.nodes
          .slice(0, 3)
          .map(
            (n) => `${JSON.stringify(n.target)} ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`,
          )
          .join('; '),
    );
    throw new Error(
      `axe found ${blocking.length} serious/critical problem(s) on ${screen}:\n${lines.join('\n')}`,
    );
  }
  return all;
}
