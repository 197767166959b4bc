/**
 * The `web` test project: Solid components in happy-dom. Referenced from the root vitest.config.ts.
 * The project's root is web/ (vitest roots a referenced project at its config file's folder), so the
 * include patterns below mean web/src/**\/*.test.tsx and web/src/**\/*.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import solid from 'vite-plugin-solid';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [solid()],
  test: {
    name: 'web',
    environment: 'happy-dom',
    include: ['src/**/*.test.tsx', 'src/**/*.test.ts'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
