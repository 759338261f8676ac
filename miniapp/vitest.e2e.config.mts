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
    // A step that fails once is tried again before the journey stops. window.e2e showed a step that, in 2 of 4
    // full runs, found the signed-in resident or clerk on a blank or 请先登录 page (undiagnosed, see the notes of
    // 2026-12-02); every test's steps are written to be run again (each signs in and opens its page).
    retry: 1,
  },
});
