/**
 * Timed waits that one call ends at once, however many are waiting. Job pollers pause between polls and
 * shutdown must wake them all; one shared AbortSignal would carry a listener per poller, and past 10 pollers
 * Node warns of a leak (MaxListenersExceededWarning) that is not one. Here each wait is a timer in a set.
 */
export class Sleepers {
  private readonly waiting = new Set<() => void>();
  private woken = false;

  /** Resolves after `ms`, or as soon as `wakeAll` is called (at once if it already was). */
  sleep(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiting.add(wake);
    });
  }

  /** Ends every wait now and every later one at once. */
  wakeAll(): void {
    this.woken = true;
    for (const wake of [...this.waiting]) wake();
  }
}
