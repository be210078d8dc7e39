import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { documentPerModule, scrollAreaMergeRefs } from './vite.plugins';

const api = 'http://localhost:4000';

export default defineConfig({
  plugins: [react(), scrollAreaMergeRefs(), documentPerModule()],
  resolve: {
    // rxjs (under Apollo Client) ships ES2015 classes under `es2015`; its default is ES5 with tslib.
    conditions: ['es2015', ...defaultClientConditions],
    // The domain package's source, so the browser bundle needs no CommonJS build of it.
    alias: {
      '@refunds/domain': fileURLToPath(
        new URL('../../packages/domain/src/index.ts', import.meta.url),
      ),
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
