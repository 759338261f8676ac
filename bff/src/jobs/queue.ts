import { type SQL, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import PgBoss from 'pg-boss';
import { type DatabaseHandle, type DatabaseOrTransaction, rowsOf } from '../db/client';

/**
 * Jobs are the outbox: a state change and the jobs it causes commit in one transaction (pg-boss on the same
 * database), and workers call the outside systems afterwards, retrying with exponential backoff. A job that
 * exhausts its retries is `failed` and copied to its queue's dead-letter queue; staff can re-drive it.
 */
export interface JobDefinition<T extends object = object> {
  name: string;
  /** Attempts after the first; with exponential backoff from `retryDelaySeconds`. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** A job running longer than this is failed (and retried). */
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
  /** pg-boss's failure output ({ message, permanent } from `run`). */
  output: unknown;
}
type DeadLetterListener = (job: DeadLetter) => Promise<void>;

/** Drizzle drops `undefined` params, and postgres.js won't serialise a plain object for a jsonb param (pg does). */
function param(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date))
    return JSON.stringify(value);
  return value;
}

/** Runs pg-boss's parameterised SQL on a drizzle database or transaction (so enqueueing joins the caller's transaction). */
function drizzleExecutor(db: DatabaseOrTransaction): PgBoss.Db {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const parts = text.split(/\$(\d+)/);
      const chunks: SQL[] = parts.map((part, i) =>
        i % 2 === 0 ? sql.raw(part) : sql`${param(values[Number(part) - 1])}`,
      );
      return { rows: rowsOf(await db.execute(sql.join(chunks))) };
    },
  };
}

/** pg-boss's own connection: a pool on PostgreSQL; on PGlite the one embedded connection. */
function bossConnection(handle: DatabaseHandle): PgBoss.ConstructorOptions {
  if (handle.raw.kind === 'postgres') return { connectionString: handle.raw.url, max: 4 };
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

  constructor(
    private readonly handle: DatabaseHandle,
    private readonly log: FastifyBaseLogger,
  ) {
    this.boss = new PgBoss({ ...bossConnection(handle), schema: 'pgboss', schedule: false });
    // Driver errors carry the whole connection object: log what a person needs.
    this.boss.on('error', (err: Error & { code?: string }) =>
      log.error({ err: { message: err.message, code: err.code } }, 'job queue error'),
    );
  }

  define<T extends object>(definition: JobDefinition<T>): void {
    this.definitions.set(definition.name, definition as unknown as JobDefinition);
  }

  /**
   * Features hear of every dead-lettered job (whatever its queue), so nothing fails silently: e.g. a job whose
   * data names a case marks that case. Listeners must be idempotent (a dead letter can be handled twice).
   */
  onDeadLetter(listener: DeadLetterListener): void {
    this.deadLetterListeners.push(listener);
  }

  async start(opts: { work: boolean }): Promise<void> {
    await this.boss.start();
    for (const d of this.definitions.values()) {
      const dead = deadLetterQueue(d.name);
      const policy = {
        retryLimit: d.retryLimit,
        retryDelay: d.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: d.expireInSeconds ?? 300,
      };
      await this.boss.createQueue(dead, { name: dead, retentionDays: 30 } as PgBoss.Queue).catch(() => {});
      await this.upsertQueue({ name: d.name, ...policy, deadLetter: dead });
    }
    if (!opts.work) return;
    for (const d of this.definitions.values()) {
      for (let i = 0; i < (d.workers ?? 1); i++) {
        await this.boss.work<object>(
          d.name,
          { batchSize: d.batchSize ?? 20, pollingIntervalSeconds: 0.5 },
          (jobs) => this.run(d, jobs),
        );
      }
      // The dead-letter copy carries the original data and failure output; handling it leaves the failed
      // original in place for ops to list and re-drive.
      if (this.deadLetterListeners.length > 0)
        await this.boss.work<Record<string, unknown>>(
          deadLetterQueue(d.name),
          { batchSize: 20, pollingIntervalSeconds: 1, includeMetadata: true },
          async (jobs) => {
            for (const job of jobs)
              for (const listener of this.deadLetterListeners)
                await listener({
                  name: d.name,
                  data: job.data ?? {},
                  output: (job as unknown as { output?: unknown }).output,
                });
          },
        );
    }
  }

  private async upsertQueue(queue: PgBoss.Queue): Promise<void> {
    if (await this.boss.getQueue(queue.name)) await this.boss.updateQueue(queue.name, queue);
    else await this.boss.createQueue(queue.name, queue);
  }

  /** Runs a batch concurrently; each job succeeds or fails on its own. */
  private async run(definition: JobDefinition, jobs: PgBoss.Job<object>[]): Promise<void> {
    await Promise.all(
      jobs.map(async (job) => {
        const retryCount = (job as unknown as { retryCount?: number }).retryCount ?? 0;
        try {
          await definition.handle(job.data, { id: job.id, retryCount });
        } catch (err) {
          const permanent = err instanceof PermanentJobError;
          this.log.warn(
            { job: definition.name, jobId: job.id, err: { message: (err as Error).message }, permanent },
            'job failed',
          );
          if (permanent) {
            // Out of retries now: pg-boss moves it to failed and the dead-letter queue.
            await this.handle.rows(
              sql`update pgboss.job set retry_limit = retry_count where id = ${job.id}::uuid and name = ${definition.name}`,
            );
          }
          await this.boss.fail(definition.name, job.id, { message: (err as Error).message, permanent });
        }
      }),
    );
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

  stop(): Promise<void> {
    return this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
  }
}
