import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const api = 'http://localhost:4000';

export default defineConfig({
  plugins: [react()],
  resolve: {
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
  },
});
