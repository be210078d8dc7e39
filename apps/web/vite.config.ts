import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import {
  appShellRemoveScrollClassNames,
  documentPerModule,
  scrollAreaMergeRefs,
} from './vite.plugins.ts';

const api = 'http://localhost:4000';

/**
 * What every screen runs before its own code: React, Apollo Client and what it brings, Mantine's
 * core and the components of the signed-in shell (header, navigation, loaders, alerts, tabs).
 * Left to itself Rolldown splits these into half a dozen chunks shared with the lazy pages; as one
 * chunk they are one request and one gzip stream (about 4 kB less on the first load of /quotes,
 * scripts/first-load.test.ts). A component listed here that the shell stops using only costs its
 * own bytes; one missing here only costs a separate chunk.
 */
const FIRST_LOAD_PACKAGES = [
  'react',
  'react-dom',
  'scheduler',
  '@apollo/client',
  'rxjs',
  'graphql',
  'optimism',
  '@wry',
  'tslib',
  '@mantine/store',
];
const SHELL_COMPONENTS = [
  'AppShell',
  'Burger',
  'NavLink',
  'Collapse',
  'Accordion/AccordionChevron',
  'Badge',
  'Button',
  'UnstyledButton',
  'CloseButton',
  'Loader',
  'Transition',
  'Group',
  'Stack',
  'Text',
  'Title',
  'Center',
  'Alert',
  'Tabs',
];
/** Either path separator, in a regular expression. */
const SEP = String.raw`[\\/]`;
const alternatives = (paths: string[]) => paths.map((path) => path.replaceAll('/', SEP)).join('|');
const firstLoadModule = new RegExp(
  `node_modules${SEP}(${alternatives(FIRST_LOAD_PACKAGES)})${SEP}` +
    `|@mantine${SEP}core${SEP}esm${SEP}core${SEP}` +
    `|@mantine${SEP}core${SEP}esm${SEP}components${SEP}(${alternatives(SHELL_COMPONENTS)})${SEP}`,
);

export default defineConfig({
  plugins: [react(), scrollAreaMergeRefs(), appShellRemoveScrollClassNames(), documentPerModule()],
  resolve: {
    // rxjs (under Apollo Client) ships ES2015 classes under `es2015`; its default is ES5 with tslib.
    conditions: ['es2015', ...defaultClientConditions],
    // The domain package's source, so the browser bundle needs no CommonJS build of it.
    alias: {
      '@refunds/domain': fileURLToPath(
        new URL('../../packages/domain/src/index.ts', import.meta.url),
      ),
      // wouter imports useSyncExternalStore through this shim for React 17; React 19 has its own.
      'use-sync-external-store/shim/index.js': 'react',
    },
  },
  server: {
    proxy: {
      '/graphql': api,
      '/export': api,
      '/healthz': api,
      '/readyz': api,
      '/metrics': api,
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // dist/.vite/manifest.json: which chunks each entry and each lazy page pulls in, read by the
    // first-load budget test (scripts/first-load.test.ts).
    manifest: true,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              // One chunk for what every first load needs (see FIRST_LOAD_PACKAGES).
              name: 'framework',
              test: firstLoadModule,
            },
          ],
        },
      },
      treeshake: {
        // The domain package is pure by design (packages/domain: "no I/O"): what the SPA does not
        // use of it is dropped even where a module computes a table at load time (a Set of the
        // time zones, Object.values of an enum), which the bundler must otherwise keep.
        // Every other module keeps the bundler's own judgement (undefined).
        moduleSideEffects: (id) =>
          /[\\/]packages[\\/]domain[\\/]src[\\/]/.test(id) ? false : undefined,
      },
    },
  },
});
