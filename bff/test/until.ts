import { onTestFinished } from 'vitest';

/**
 * Polls `probe` until it returns a truthy value, and returns that value. It has no deadline of its own: the
 * test's vitest timeout is the only limit, so a busy machine makes a test slower, never red. When the test ends
 * (passed, failed or timed out) the loop stops instead of polling a database that afterAll has closed.
 */
type Truthy<T> = Exclude<T, false | null | undefined | '' | 0>;

export async function until<T>(probe: () => T | Promise<T>, intervalMs = 100): Promise<Truthy<T>> {
  let finished = false;
  try {
    onTestFinished(() => {
      finished = true;
    });
  } catch {
    // Called from a hook rather than a test: the hook's timeout still bounds it.
  }
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (finished) throw new Error('test ended while waiting');
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
