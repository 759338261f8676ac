import { defineConfig } from 'vitest/config';

// Browser tests: Chromium (playwright-core) against the demo stack e2e/stack.ts starts (or E2E_BASE_URL).
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/stack.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // One journey, step by step: after a failed step the next ones can only time out.
    bail: 1,
  },
});
