import { REPLAY_WINDOW_MS } from '../../src/integrations/gov/signing';

/**
 * In-process nonce memory for one receiver, the simulator (the BFF keeps its nonces in PostgreSQL). A nonce is kept for two
 * windows: a request stamped up to 5 minutes in the future stays acceptable for 10 minutes after we first see it.
 */
export function createNonceCache(windowMs = REPLAY_WINDOW_MS, clock: () => number = Date.now) {
  const expiries = new Map<string, number>();
  let lastSweep = clock();
  return {
    /** True if seen before (a replay); otherwise remembers it. */
    seen(nonce: string): boolean {
      const now = clock();
      if (now - lastSweep > windowMs / 10) {
        for (const [n, until] of expiries) if (until <= now) expiries.delete(n);
        lastSweep = now;
      }
      const until = expiries.get(nonce);
      if (until !== undefined && until > now) return true;
      expiries.set(nonce, now + 2 * windowMs);
      return false;
    },
    clear: () => expiries.clear(),
    get size() {
      return expiries.size;
    },
  };
}
export type NonceCache = ReturnType<typeof createNonceCache>;
