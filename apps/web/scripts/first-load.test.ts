import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The SPA's first-load budget, read from the production build (turbo builds the SPA before its
 * tests; by hand: pnpm --filter @refunds/web build). The JavaScript a browser must fetch to show
 * a page is the entry's chunk and everything it imports statically, plus the page's own lazy
 * chunk and its static imports. Measured gzip-compressed, as it is served.
 */
const dist = path.resolve(__dirname, '../dist');
/**
 * Issue 15 asks for at most 180 kB, and this holds it (measured ~176 kB). What the first load of
 * /quotes fetches (gzip, from source maps): React DOM ~64 kB, Apollo Client with rxjs, graphql's
 * printer and optimism ~50 kB, Mantine's core and the shell's components ~34 kB, the app's own
 * code ~14 kB (shell, the quote list, its GraphQL documents), the domain's money rules
 * ~3 kB. What got it there: wouter (~2 kB) instead of React Router (src/app/router.tsx);
 * dialogs, drawers and the notification container fetched when first opened
 * (src/shared/lazyComponent.tsx); and the build (vite.config.ts, vite.plugins.ts): one chunk for
 * the framework, each GraphQL document its own module, Floating UI and the scroll lock kept out of
 * the Table and the AppShell, the pure domain package tree-shaken whole.
 */
const ISSUE_GOAL_BYTES = 180_000;
const BUDGET_BYTES = ISSUE_GOAL_BYTES;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

function manifest(): Record<string, ManifestChunk> {
  const file = path.join(dist, '.vite/manifest.json');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: build the SPA first (pnpm --filter @refunds/web build)`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, ManifestChunk>;
}

/** The chunk files loaded before `keys` can run: themselves and their static imports. */
function staticClosure(chunks: Record<string, ManifestChunk>, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    chunks[key]!.imports?.forEach(visit);
  };
  keys.forEach(visit);
  return new Set([...seen].map((key) => chunks[key]!.file));
}

const gzipBytes = (file: string) => gzipSync(readFileSync(path.join(dist, file))).length;

describe('first load of the SPA', () => {
  const chunks = manifest();
  const entry = Object.keys(chunks).find((key) => chunks[key]!.isEntry)!;
  const page = (name: string) => {
    const key = Object.keys(chunks).find((k) => k.endsWith(`/${name}.tsx`));
    if (!key) throw new Error(`no chunk for ${name}`);
    return key;
  };

  it(`fetches at most ${BUDGET_BYTES / 1000} kB of gzipped JavaScript to show /quotes (goal: ${ISSUE_GOAL_BYTES / 1000} kB)`, () => {
    const files = staticClosure(chunks, [entry, page('QuotesPage')]);
    const total = [...files].reduce((sum, file) => sum + gzipBytes(file), 0);
    expect(total).toBeGreaterThan(50_000); // it measured real chunks
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('leaves the other screens out of the first load of /quotes', () => {
    const files = staticClosure(chunks, [entry, page('QuotesPage')]);
    for (const name of [
      'TransactionsPage',
      'AccountsPage',
      'RefundOutstandingPage',
      'InsightsPage',
    ]) {
      expect(files).not.toContain(chunks[page(name)]!.file);
    }
  });

  it('loads each screen as its own chunk, not with the entry', () => {
    const entryFiles = staticClosure(chunks, [entry]);
    for (const name of ['QuotesPage', 'TransactionsPage', 'CustomerPage', 'LoginPage']) {
      const key = page(name);
      expect(chunks[entry]!.dynamicImports ?? []).toContain(key);
      expect(entryFiles).not.toContain(chunks[key]!.file);
    }
  });

  it('has a favicon and links it from index.html', () => {
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    expect(html).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml" />');
    expect(readFileSync(path.join(dist, 'favicon.svg'), 'utf8')).toMatch(/^<svg /);
    expect(readFileSync(path.join(dist, 'favicon.ico')).subarray(0, 4)).toEqual(
      Buffer.from([0, 0, 1, 0]),
    );
  });
});
