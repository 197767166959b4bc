import { defineConfig } from 'vitest/config';

/**
 * Two projects: `node` (contracts, functions, infra, tenants, integration and browser tests against the real
 * local services) and `web` (Solid components in happy-dom, configured in web/vitest.config.ts).
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'node',
          include: ['contracts/**/*.test.ts', 'functions/**/*.test.ts', 'infra/**/*.test.ts', 'tenants/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['infra/local/polyfill.ts'],
          testTimeout: 30_000,
          hookTimeout: 90_000,
          pool: 'forks',
        },
      },
      'web/vitest.config.ts',
    ],
  },
});
