/**
 * Build-only Vite plugins that keep code out of the SPA's first load (issue 15: /quotes at most
 * 180 kB of gzipped JavaScript, checked by scripts/first-load.test.ts). Each one fails the build
 * when the code it rewrites no longer looks as expected, rather than silently doing nothing.
 */
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Points one dependency's import of another package at a local module, at build time only. The
 * build fails if no importer matched, so a library update that changes its imports is noticed.
 */
function redirectImport(options: {
  name: string;
  source: string;
  importer: RegExp;
  to: string;
}): Plugin {
  const to = fileURLToPath(new URL(options.to, import.meta.url));
  let redirected = false;
  return {
    name: `refunds:${options.name}`,
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      redirected = false;
    },
    resolveId(source, importer) {
      if (source !== options.source || !importer || !options.importer.test(importer)) return null;
      redirected = true;
      return to;
    },
    buildEnd(error) {
      if (!error && !redirected) {
        this.error(
          `No module matching ${options.importer} imports '${options.source}' any more: review ${options.name} (vite.plugins.ts).`,
        );
      }
    },
  };
}

/** A module of @mantine/core's components, `path` without its .mjs, with / for any separator. */
const mantineComponent = (path: string) =>
  new RegExp(
    String.raw`[\\/]@mantine[\\/]core[\\/]esm[\\/]components[\\/]` +
      path.replaceAll('/', String.raw`[\\/]`) +
      String.raw`\.mjs$`,
  );

/**
 * Mantine's ScrollArea (which every Table brings, for Table.ScrollContainer) imports one hook,
 * `useMergeRefs`, from '@floating-ui/react'. That package is a single module, and the popovers and
 * selects of lazily loaded dialogs use the rest of it, so the first load of any page with a table
 * carried all of Floating UI (~11 kB gzip). This points that one import at a copy of the hook
 * (src/vendor/useMergeRefs.ts); everything else still imports Floating UI itself.
 */
export const scrollAreaMergeRefs = () =>
  redirectImport({
    name: 'scroll-area-merge-refs',
    source: '@floating-ui/react',
    importer: mantineComponent('ScrollArea/ScrollArea'),
    to: './src/vendor/useMergeRefs.ts',
  });

/**
 * Mantine's AppShell header, footer and aside import react-remove-scroll for two class names; the
 * component itself is for modals and drawers, which load on demand (src/vendor/removeScrollClassNames.ts).
 */
export const appShellRemoveScrollClassNames = () =>
  redirectImport({
    name: 'app-shell-remove-scroll-class-names',
    source: 'react-remove-scroll',
    importer: mantineComponent(
      'AppShell/AppShell(Header|Footer|Aside)/AppShell(Header|Footer|Aside)',
    ),
    to: './src/vendor/removeScrollClassNames.ts',
  });

/**
 * The generated src/gql/graphql.ts holds every GraphQL document of the app as one module, so
 * every document (~130 kB, 4.5 kB gzip) went wherever any one was needed: into the first load.
 * At build time each document becomes a module of its own that graphql.ts re-exports, so a page's
 * documents travel with the page. Imports, types and the generated file stay as they are.
 */
export function documentPerModule(): Plugin {
  const generated = /[\\/]src[\\/]gql[\\/]graphql\.ts$/;
  const prefix = 'virtual:refunds-document/';
  const documents = new Map<string, string>();
  const line =
    /^export const (\w+(?:Document|FragmentDoc)) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm;
  return {
    name: 'refunds:document-per-module',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!generated.test(id)) return null;
      documents.clear();
      const split = code.replace(line, (_match, name: string, literal: string) => {
        documents.set(name, literal);
        return `export { ${name} } from '${prefix}${name}';`;
      });
      if (documents.size === 0) {
        this.error(
          'src/gql/graphql.ts has no documents in the expected form: review documentPerModule (vite.plugins.ts).',
        );
      }
      return { code: split, map: null };
    },
    resolveId(source) {
      return source.startsWith(prefix) ? `\0${source}` : null;
    },
    load(id) {
      if (!id.startsWith(`\0${prefix}`)) return null;
      const name = id.slice(prefix.length + 1);
      const literal = documents.get(name);
      if (literal === undefined) this.error(`No GraphQL document named ${name}.`);
      // A document is a plain object: nothing runs when its module loads.
      return { code: `export const ${name} = ${literal};`, moduleSideEffects: false };
    },
  };
}
