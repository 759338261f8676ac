import { signRequest } from '../../src/integrations/gov/signing';
import type { GovCaseCallback, GovRoundNotice } from '../../src/integrations/gov/types';

/** What the outbox sends: a case's stage callback, or (to the sibling `rounds` hook) a 免申即享 round notice. */
type Outgoing = { kind: 'case'; body: GovCaseCallback } | { kind: 'round'; body: GovRoundNotice };

/**
 * Signed stage callbacks to the BFF, like the platform sends them: each case's events go out one at a time in
 * the order they happened, and an event is re-sent until the receiver answers 2xx, waiting longer each time
 * (250 ms doubling up to 30 s). Events wait while no callback URL is known (the BFF starts after the simulator).
 */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 5_000;

export interface DeliveryStats {
  queued: number;
  delivered: number;
  attempts: number;
  lastError?: string;
}

interface Queue extends DeliveryStats {
  events: Outgoing[];
  running: boolean;
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createCallbackOutbox(opts: { appId: string; appSecret: string; url?: string }) {
  let url = opts.url;
  let lifecycle = new AbortController();
  const queues = new Map<string, Queue>();

  async function post(event: Outgoing, target: string, signal: AbortSignal): Promise<void> {
    // Round notices go to the hook beside the cases hook (…/hooks/gov/cases → …/hooks/gov/rounds).
    const u = event.kind === 'round' ? new URL('rounds', target) : new URL(target);
    const body = JSON.stringify(event.body);
    const headers = signRequest({
      appId: opts.appId,
      appSecret: opts.appSecret,
      method: 'POST',
      path: `${u.pathname}${u.search}`,
      body,
    });
    const res = await fetch(u, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
    });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  }

  async function pump(queue: Queue, signal: AbortSignal): Promise<void> {
    if (queue.running) return;
    queue.running = true;
    try {
      let failures = 0;
      while (!signal.aborted && url !== undefined) {
        const event = queue.events[0];
        if (!event) break;
        queue.attempts++;
        try {
          await post(event, url, signal);
          queue.events.shift();
          queue.queued--;
          queue.delivered++;
          queue.lastError = undefined;
          failures = 0;
        } catch (err) {
          if (signal.aborted) break;
          queue.lastError = (err as Error).message;
          failures++;
          await sleep(Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS), signal);
        }
      }
    } catch {
      // Aborted while waiting: the simulator is closing or being reset.
    } finally {
      queue.running = false;
    }
  }

  function send(key: string, event: Outgoing): void {
    let queue = queues.get(key);
    if (!queue) {
      queue = { events: [], running: false, queued: 0, delivered: 0, attempts: 0 };
      queues.set(key, queue);
    }
    queue.events.push(event);
    queue.queued++;
    void pump(queue, lifecycle.signal);
  }

  return {
    enqueue(key: string, event: GovCaseCallback): void {
      send(key, { kind: 'case', body: event });
    },
    /** A round notice, queued under its own key. */
    enqueueRound(notice: GovRoundNotice): void {
      send(`round:${notice.roundId}`, { kind: 'round', body: notice });
    },
    setUrl(next: string | undefined): void {
      url = next;
      for (const queue of queues.values()) void pump(queue, lifecycle.signal);
    },
    get url() {
      return url;
    },
    stats(key: string): DeliveryStats {
      const q = queues.get(key);
      return q
        ? {
            queued: q.queued,
            delivered: q.delivered,
            attempts: q.attempts,
            ...(q.lastError ? { lastError: q.lastError } : {}),
          }
        : { queued: 0, delivered: 0, attempts: 0 };
    },
    /** Drops every pending event and stops retrying. */
    clear(): void {
      lifecycle.abort(new Error('outbox cleared'));
      lifecycle = new AbortController();
      queues.clear();
    },
  };
}
export type CallbackOutbox = ReturnType<typeof createCallbackOutbox>;
