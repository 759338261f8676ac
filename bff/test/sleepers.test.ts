import { afterEach, beforeEach, expect, it } from 'vitest';
import { Sleepers } from '../src/lib/sleepers';

const warnings: Error[] = [];
const collect = (w: Error) => warnings.push(w);
beforeEach(() => {
  warnings.length = 0;
  process.on('warning', collect);
});
afterEach(() => {
  process.off('warning', collect);
});

it('wakes any number of waits at once, without a listener-leak warning', async () => {
  // As many as the job queue's pollers pause together (a worker and a dead-letter poller per queue).
  const sleepers = new Sleepers();
  const started = Date.now();
  const waits = Array.from({ length: 40 }, () => sleepers.sleep(10 * 60_000));
  sleepers.wakeAll();
  await Promise.all(waits);
  expect(Date.now() - started).toBeLessThan(60_000);
  // Node emits the warning on the next tick after the 11th listener: by now it would have arrived.
  await new Promise((resolve) => setImmediate(resolve));
  expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
  // Once woken (shutting down), a new wait ends at once.
  await sleepers.sleep(10 * 60_000);
});

it('ends a wait after its time when nobody wakes it', async () => {
  const sleepers = new Sleepers();
  const started = Date.now();
  await sleepers.sleep(30);
  expect(Date.now() - started).toBeGreaterThanOrEqual(25);
});
