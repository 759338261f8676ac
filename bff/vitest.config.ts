import { defineConfig } from 'vitest/config';

// TEST_DATABASE_URL set → every test file gets a fresh PostgreSQL database; unset → an in-memory PGlite.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fault tests need PostgreSQL and their own processes: `pnpm test:faults` (vitest.faults.config.ts).
    exclude: ['test/faults/**', '**/node_modules/**'],
    env: { TZ: 'UTC' },
    // Limits for runaway tests, not speed checks: on a busy machine opening and migrating a database (each
    // file's beforeAll) can take a minute or more, and that must not fail the suite.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
