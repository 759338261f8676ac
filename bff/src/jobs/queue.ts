import { Param, SQL, StringChunk, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import PgBoss from 'pg-boss';
import { type DatabaseHandle, type DatabaseOrTransaction, rowsOf } from '../db/client';
import { errorSummary, isDatabaseUnavailable } from '../db/errors';
import { Sleepers } from '../lib/sleepers';

/**
 * Jobs are the outbox: a state change and the jobs it causes commit in one transaction (pg-boss on the same
 * database), and workers call the outside systems afterwards, retrying on an explicit schedule. A job that
 * exhausts its schedule is `failed` and copied to its queue's dead-letter queue; staff can re-drive it.
 */
export interface JobDefinition<T extends object = object> {
  name: string;
  /**
   * Seconds to wait before each retry, in order; when they are used up the job is dead-lettered. A job whose
   * worker died mid-run (crash, SIGKILL) is retried as soon as it expires, and that counts as an attempt.
   */
  retrySchedule: readonly number[];
  /**
   * The longest one run can take: its outside calls' timeouts plus database work (`jobTimeoutSeconds`). A run
   * past it is failed and retried; a job still active this long after its worker died is retried elsewhere.
   */
  expireInSeconds?: number;
  batchSize?: number;
  /** Parallel pollers of this queue in one process. */
  workers?: number;
  /**
   * Handles one job. Throw to fail it (it is retried); throw `PermanentJobError` to fail it without retries.
   * Must be idempotent: a job can run twice (a crash after the call, before completion).
   */
  handle(data: T, job: { id: string; retryCount: number }): Promise<unknown>;
}

/** A failure retrying cannot fix (e.g. the remote refused the request as invalid). */
export class PermanentJobError extends Error {}

export const deadLetterQueue = (name: string) => `${name}.dead`;

/** A job that landed in its dead-letter queue: out of retries, refused for good, or expired too often. */
export interface DeadLetter {
  /** The queue it failed on, e.g. bookings.submit-case. */
  name: string;
  data: Record<string, unknown>;
  /** pg-boss's failure output ({ message, permanent } from `fail`). */
  output: unknown;
}
type DeadLetterListener = (job: DeadLetter) => Promise<void>;

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/**
 * For calls to an outside system that can be down for a day or more (EMS, the government platform, WeChat):
 * quick retries for a blip, then hourly-ish, then a day and two days (after GOV.UK Pay's callback schedule),
 * so a day-long outage is ridden out and the job is dead-lettered only after about four days.
 */
export const OUTAGE_RETRY_SCHEDULE: readonly number[] = [
  10,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  6 * HOUR,
  6 * HOUR,
  6 * HOUR,
  DAY,
  2 * DAY,
];

/** A run's limit from the timeout of each outside call it makes, plus room for its database work. */
export const jobTimeoutSeconds = (callTimeoutMs: number, calls = 1) =>
  Math.ceil((callTimeoutMs * calls) / 1000) + 20;

const DEFAULT_EXPIRE_SECONDS = 60;
/** How often some instance fails jobs past their expiry (pg-boss defaults to 2 min). */
const MAINTENANCE_INTERVAL_SECONDS = 15;
const POLLING_INTERVAL_MS = 500;
const QUEUE_SETUP_LOCK = 7_301_002; // advisory lock key (7_301_001 guards migrations)

export interface JobQueueOptions {
  /** Tests shorten the schedules; production uses each definition's own. */
  retrySchedule?: (schedule: readonly number[], name: string) => readonly number[];
  /** Tests shorten expiry (a killed worker's jobs are retried sooner). */
  expireInSeconds?: (seconds: number, name: string) => number;
  maintenanceIntervalSeconds?: number;
  /** On stop, how long running jobs get to finish; those still running are retried after they expire. */
  drainTimeoutMs?: number;
}

/** Drizzle drops `undefined` params; jsonb and uuid[] params go as text so every driver sends them alike. */
function param(value: unknown): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return `{${value.map((v) => JSON.stringify(v)).join(',')}}`;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date))
    return JSON.stringify(value);
  return value;
}

/** Runs pg-boss's parameterised SQL on a drizzle database or transaction (so enqueueing joins the caller's transaction). */
function drizzleExecutor(db: DatabaseOrTransaction): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const { texts, positions } = splitAtParameters(text);
      const chunks: (StringChunk | Param)[] = [texts[0]!];
      positions.forEach((n, i) => {
        chunks.push(new Param(param(values[n - 1])), texts[i + 1]!);
      });
      return { rows: rowsOf(await db.execute(new SQL(chunks))) };
    },
  };
}

/**
 * pg-boss's statements split at their $n, once per text: every enqueue runs one of a few long statements, and
 * splitting and wrapping them anew cost about 0.15 ms of CPU per job (a flat chunk list is a tenth of that).
 */
const splitStatements = new Map<string, { texts: StringChunk[]; positions: number[] }>();
function splitAtParameters(text: string) {
  let split = splitStatements.get(text);
  if (!split) {
    const parts = text.split(/\$(\d+)/);
    split = {
      texts: parts.filter((_, i) => i % 2 === 0).map((part) => new StringChunk(part)),
      positions: parts.filter((_, i) => i % 2 === 1).map(Number),
    };
    // pg-boss builds a fetch statement per option set: a handful of texts in all, bounded anyway.
    if (splitStatements.size < 100) splitStatements.set(text, split);
  }
  return split;
}

/** pg-boss's own connection: a pool on PostgreSQL; on PGlite the one embedded connection. */
function bossConnection(handle: DatabaseHandle): PgBoss.ConstructorOptions {
  if (handle.raw.kind === 'postgres') {
    // Passed on to pg.Pool (pg-boss's types list fewer of its options).
    const pool = { connectionTimeoutMillis: 5_000, keepAlive: true };
    return { connectionString: handle.raw.url, max: 4, ...pool };
  }
  const client = handle.raw.client;
  return {
    db: {
      async executeSql(text: string, values: unknown[] = []) {
        if (values.length > 0) return client.query(text, values);
        // pg-boss sends multi-statement scripts without parameters (e.g. at start): run them with exec.
        const results = await client.exec(text);
        return results[results.length - 1] ?? { rows: [] };
      },
    },
  };
}

export interface FailedJob {
  id: string;
  name: string;
  data: unknown;
  retryCount: number;
  output: unknown;
  createdOn: Date;
  completedOn: Date | null;
}

export class JobQueue {
  readonly boss: PgBoss;
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly deadLetterListeners: DeadLetterListener[] = [];
  private working = false;
  private readonly idle = new Sleepers();
  private readonly pollers: Promise<void>[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly log: FastifyBaseLogger,
    private readonly options: JobQueueOptions = {},
  ) {
    this.boss = new PgBoss({
      ...bossConnection(handle),
      schema: 'pgboss',
      schedule: false,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? MAINTENANCE_INTERVAL_SECONDS,
    });
    // Logged through `loggableError` (driver errors carry the whole connection object). While the database is
    // unreachable, maintenance fails every interval: a warning, not an error.
    this.boss.on('error', (err: Error) =>
      isDatabaseUnavailable(err)
        ? log.warn({ err }, 'job queue: database unavailable')
        : log.error({ err }, 'job queue error'),
    );
  }

  define<T extends object>(definition: JobDefinition<T>): void {
    this.definitions.set(definition.name, definition as unknown as JobDefinition);
  }

  /** The retry delays in force for a job (a test may shorten them). */
  scheduleOf(d: JobDefinition): readonly number[] {
    return this.options.retrySchedule?.(d.retrySchedule, d.name) ?? d.retrySchedule;
  }

  private expiryOf(d: JobDefinition): number {
    const seconds = d.expireInSeconds ?? DEFAULT_EXPIRE_SECONDS;
    return Math.max(1, Math.round(this.options.expireInSeconds?.(seconds, d.name) ?? seconds));
  }

  /**
   * Features hear of every dead-lettered job (whatever its queue), so nothing fails silently: e.g. a job whose
   * data names a case marks that case. Listeners must be idempotent (a dead letter can be handled twice).
   */
  onDeadLetter(listener: DeadLetterListener): void {
    this.deadLetterListeners.push(listener);
  }

  async start(opts: { work: boolean }): Promise<void> {
    // Instances starting together take turns: creating queues concurrently (each attaches a partition to
    // pgboss.job) can deadlock and fail a start.
    await this.handle.exclusively(QUEUE_SETUP_LOCK, () => this.setUp());
    if (!opts.work) return;
    this.working = true;
    for (const d of this.definitions.values()) {
      for (let i = 0; i < (d.workers ?? 1); i++) this.pollers.push(this.poll(d));
      if (this.deadLetterListeners.length > 0) this.pollers.push(this.pollDeadLetters(d));
    }
  }

  private async setUp(): Promise<void> {
    await this.boss.start();
    for (const d of this.definitions.values()) {
      const dead = deadLetterQueue(d.name);
      // pg-boss counts attempts and dead-letters after the last; the delays come from our schedule (`fail`),
      // so its own delay is 0: a job whose worker died is retried as soon as it expires.
      const policy = {
        retryLimit: this.scheduleOf(d).length,
        retryDelay: 0,
        retryBackoff: false,
        expireInSeconds: this.expiryOf(d),
      };
      await this.boss.createQueue(dead, { name: dead, retentionDays: 30 } as PgBoss.Queue).catch(() => {});
      await this.upsertQueue({ name: d.name, ...policy, deadLetter: dead });
    }
  }

  private async upsertQueue(queue: PgBoss.Queue): Promise<void> {
    if (await this.boss.getQueue(queue.name)) await this.boss.updateQueue(queue.name, queue);
    else await this.boss.createQueue(queue.name, queue);
  }

  /**
   * One poller: keeps up to a batch of jobs running, fetching more as soon as half of them are done (a batch
   * waits for no straggler); waits a moment when the queue is empty. Our own loop rather than `boss.work`,
   * which completes jobs without awaiting (a database outage then rejects unhandled and kills the process)
   * and cannot be told to stop fetching while letting running jobs finish.
   */
  private async poll(d: JobDefinition): Promise<void> {
    const batchSize = d.batchSize ?? 20;
    const batches = new Set<Promise<void>>();
    let inFlight = 0;
    let jobDone = () => {};
    while (this.working) {
      if (inFlight > batchSize / 2) {
        await new Promise<void>((resolve) => {
          jobDone = resolve;
        });
        continue;
      }
      const room = batchSize - inFlight;
      // pg-boss's fetch answers [] when the database is unreachable; the loop just waits and asks again.
      const jobs = await this.boss
        .fetch<object>(d.name, { batchSize: room, includeMetadata: true })
        .catch(() => [] as PgBoss.JobWithMetadata<object>[]);
      if (jobs.length > 0) {
        inFlight += jobs.length;
        const batch: Promise<void> = this.run(d, jobs, () => {
          inFlight--;
          jobDone();
        }).finally(() => batches.delete(batch));
        batches.add(batch);
      }
      if (jobs.length < room) await this.pause(POLLING_INTERVAL_MS);
    }
    await Promise.all(batches);
  }

  /**
   * The dead-letter copies of a queue's failed jobs (original data and failure output) go to the listeners;
   * the failed original stays for ops to list and re-drive. A listener that throws leaves the copy for later.
   */
  private async pollDeadLetters(d: JobDefinition): Promise<void> {
    const dead = deadLetterQueue(d.name);
    while (this.working) {
      const jobs = await this.boss
        .fetch<Record<string, unknown>>(dead, { batchSize: 20, includeMetadata: true })
        .catch(() => [] as PgBoss.JobWithMetadata<Record<string, unknown>>[]);
      for (const job of jobs) {
        try {
          for (const listener of this.deadLetterListeners)
            await listener({ name: d.name, data: job.data ?? {}, output: job.output });
          await this.boss.complete(dead, job.id);
        } catch (err) {
          this.log.warn({ job: dead, jobId: job.id, err }, 'dead letter not handled; will retry');
          await this.boss.fail(dead, job.id, { message: errorSummary(err as Error) }).catch(() => {});
        }
      }
      if (jobs.length === 0) await this.pause(POLLING_INTERVAL_MS * 2);
    }
  }

  /** Waits between polls; shutdown ends the wait at once. */
  private pause(ms: number): Promise<void> {
    return this.idle.sleep(ms);
  }

  /**
   * Runs a batch concurrently; each job succeeds or fails on its own (`settled` hears of each as it ends), and
   * the batch's successes are completed together.
   */
  private async run(
    d: JobDefinition,
    jobs: PgBoss.JobWithMetadata<object>[],
    settled: () => void,
  ): Promise<void> {
    const done: string[] = [];
    const limitMs = this.expiryOf(d) * 1000;
    await Promise.all(
      jobs.map(async (job) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            d.handle(job.data, { id: job.id, retryCount: job.retryCount }),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${limitMs / 1000} s`)), limitMs);
            }),
          ]);
          done.push(job.id);
        } catch (err) {
          await this.fail(d, job, err as Error);
        } finally {
          clearTimeout(timer);
          settled();
        }
      }),
    );
    if (done.length === 0) return;
    // Not completed (database down): the jobs expire and run again, which handlers allow (idempotent).
    await this.boss.complete(d.name, done).catch((err: Error) => {
      this.log.warn({ job: d.name, err }, 'job completion not recorded; the jobs will run again');
    });
  }

  /** Fails a run: retried after the schedule's next delay, or dead-lettered when there is none. */
  private async fail(d: JobDefinition, job: PgBoss.JobWithMetadata<object>, err: Error): Promise<void> {
    const permanent = err instanceof PermanentJobError;
    const delay = permanent ? undefined : this.scheduleOf(d)[job.retryCount];
    this.log.warn(
      { job: d.name, jobId: job.id, err, permanent, retryInSeconds: delay ?? null },
      'job failed',
    );
    try {
      // One transaction: nobody can pick the retry up before its start time is set.
      await this.handle.db.transaction(async (tx) => {
        if (delay === undefined) {
          // Out of retries now: pg-boss moves it to failed and the dead-letter queue.
          await tx.execute(
            sql`update pgboss.job set retry_limit = retry_count where id = ${job.id}::uuid and name = ${d.name}`,
          );
        }
        await this.boss.fail(
          d.name,
          job.id,
          { message: errorSummary(err), permanent },
          { db: drizzleExecutor(tx) },
        );
        if (delay !== undefined && delay > 0) {
          await tx.execute(sql`
            update pgboss.job set start_after = now() + ${delay} * interval '1 second'
            where id = ${job.id}::uuid and name = ${d.name} and state = 'retry'`);
        }
      });
    } catch (failErr) {
      // Database down: the job stays active, expires and is retried.
      this.log.warn({ job: d.name, jobId: job.id, err: failErr }, 'job failure not recorded');
    }
  }

  /** Enqueues inside the caller's transaction: the job exists if and only if the state change commits. */
  async enqueue<T extends object>(
    tx: DatabaseOrTransaction,
    name: string,
    data: T,
    options: PgBoss.SendOptions = {},
  ): Promise<string | null> {
    if (!this.definitions.has(name)) throw new Error(`Unknown job ${name}`);
    return this.boss.send(name, data, { ...options, db: drizzleExecutor(tx) });
  }

  /**
   * Enqueues one job per item in a single statement, inside the caller's transaction (hot paths such as the
   * EMS push enqueue several per transaction; one round trip each would dominate them). Queue policy (retries,
   * expiry, dead letter) applies as for `enqueue`.
   */
  async enqueueMany<T extends object>(
    tx: DatabaseOrTransaction,
    name: string,
    items: readonly T[],
  ): Promise<void> {
    if (!this.definitions.has(name)) throw new Error(`Unknown job ${name}`);
    if (items.length === 0) return;
    await this.boss.insert(
      items.map((data) => ({ name, data })),
      { db: drizzleExecutor(tx) },
    );
  }

  /** Jobs that ran out of retries, newest first. */
  async listFailed(params: { name?: string; limit: number }): Promise<FailedJob[]> {
    const names = params.name ? [params.name] : [...this.definitions.keys()];
    return this.handle.rows<FailedJob>(sql`
      select id, name, data, retry_count as "retryCount", output, created_on as "createdOn", completed_on as "completedOn"
      from pgboss.job
      where state = 'failed' and name in ${sql`(${sql.join(
        names.map((n) => sql`${n}`),
        sql`, `,
      )})`}
      order by completed_on desc nulls last, id
      limit ${params.limit}`);
  }

  /** Puts a failed job back in line for one more attempt. */
  async redrive(name: string, id: string): Promise<boolean> {
    if (!this.definitions.has(name)) return false;
    const [job] = await this.handle.rows<{ id: string }>(
      sql`select id from pgboss.job where name = ${name} and id = ${id}::uuid and state = 'failed'`,
    );
    if (!job) return false;
    await this.boss.retry(name, id);
    return true;
  }

  /**
   * Stops taking jobs and waits for the running ones (at most `drainTimeoutMs`; any still running then are
   * retried once they expire). Called first on shutdown, while the database is still open.
   */
  stopWorking(): Promise<void> {
    this.draining ??= this.drain();
    return this.draining;
  }

  private async drain(): Promise<void> {
    this.working = false;
    this.idle.wakeAll();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.drainTimeoutMs ?? 25_000);
    });
    if ((await Promise.race([Promise.all(this.pollers), timeout])) === 'timeout')
      this.log.warn('jobs still running at shutdown: they are retried after they expire');
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    await this.stopWorking();
    await this.boss.stop({ graceful: false, wait: true, close: true });
  }
}
