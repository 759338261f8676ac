import { defineConfig } from 'vitest/config';

// Fault tests (`pnpm test:faults`): BFF processes on real PostgreSQL, cut from their database or killed
// mid-load. TEST_DATABASE_URL names the server (each test file gets a fresh database); the local one otherwise.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    env: {
      TZ: 'UTC',
      TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    },
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One file at a time: each runs several processes under load.
    fileParallelism: false,
  },
});
