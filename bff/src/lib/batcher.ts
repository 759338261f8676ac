/**
 * Group commit for a hot statement run by many concurrent jobs (an EMS order job's load, save and follow-up): the
 * calls made while earlier flushes are running are answered together by one statement instead of one round trip
 * and one plan each. Every caller awaits its own answer, so a job still completes only after its own row is
 * written. When a combined flush fails (a deadlock, one bad row), each of its calls is tried on its own, so one
 * row never fails the others; a database outage fails them all, as single statements would.
 * Written here because DataLoader, the usual per-tick batcher, neither bounds the flushes in flight (each holds
 * a pooled connection) nor retries a failed batch item by item.
 */
export class Batcher<I, O> {
  private pending: { item: I; resolve: (out: O) => void; reject: (err: unknown) => void }[] = [];
  private active = 0;
  private scheduled = false;

  /**
   * @param flush answers the items in order (one answer per item).
   * @param opts.max items per statement; opts.concurrency flushes in flight at once (each holds a connection).
   */
  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly opts: { max: number; concurrency: number } = { max: 200, concurrency: 2 },
  ) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.kick();
    });
  }

  /** Flushes on the next turn of the event loop, so the calls made in this one go together. */
  private kick(): void {
    if (this.scheduled || this.active >= this.opts.concurrency || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushSome();
    });
  }

  private flushSome(): void {
    if (this.active >= this.opts.concurrency || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.opts.max);
    this.active++;
    void this.answer(batch).finally(() => {
      this.active--;
      this.kick();
    });
    this.kick();
  }

  private async answer(batch: typeof this.pending): Promise<void> {
    try {
      const out = await this.flush(batch.map((b) => b.item));
      for (const [i, b] of batch.entries()) b.resolve(out[i]!);
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      await Promise.all(batch.map((b) => this.answer([b])));
    }
  }
}
