/**
 * Builds the web shell into web/dist (served by the local runtime and by the CDN in AWS).
 * Run from the repository root: `vite build --config web/vite.config.ts`; `vite --config web/vite.config.ts`
 * serves it with the API proxied to the local runtime on :3000.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

const api = process.env.CITYOPS_API ?? 'http://localhost:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [solid()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/v1': api, '/oidc': api, '/healthz': api },
  },
});
