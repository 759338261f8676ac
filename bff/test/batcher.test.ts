import { describe, expect, it } from 'vitest';
import { Batcher } from '../src/lib/batcher';

describe('Batcher (group commit for hot statements)', () => {
  it('answers the calls made together with one flush, each caller its own answer', async () => {
    const flushes: number[][] = [];
    const double = new Batcher<number, number>(async (items) => {
      flushes.push(items);
      return items.map((n) => n * 2);
    });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => double.run(n)));
    expect(answers).toEqual([2, 4, 6, 8]);
    expect(flushes).toEqual([[1, 2, 3, 4]]);
  });

  it('keeps to the largest batch and to the flushes allowed at once', async () => {
    let active = 0;
    let most = 0;
    const sizes: number[] = [];
    const echo = new Batcher<number, number>(
      async (items) => {
        active++;
        most = Math.max(most, active);
        sizes.push(items.length);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        return items;
      },
      { max: 3, concurrency: 2 },
    );
    const all = Array.from({ length: 10 }, (_, i) => i);
    expect(await Promise.all(all.map((n) => echo.run(n)))).toEqual(all);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(most).toBe(2);
  });

  it('one bad item fails only its own caller: a failed flush is retried item by item', async () => {
    const checked = new Batcher<number, number>(async (items) => {
      if (items.includes(13)) throw new Error('unlucky');
      return items;
    });
    const results = await Promise.allSettled([12, 13, 14].map((n) => checked.run(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toHaveProperty('message', 'unlucky');
  });
});
