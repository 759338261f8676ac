import { defineConfig } from 'vitest/config';

// TEST_DATABASE_URL set → every test file gets a fresh PostgreSQL database; unset → an in-memory PGlite.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fault tests need PostgreSQL and their own processes: `pnpm test:faults` (vitest.faults.config.ts).
    exclude: ['test/faults/**', '**/node_modules/**'],
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
