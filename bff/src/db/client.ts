import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockDataDir } from './dataDirLock';
import * as schema from './schema';

export { DataDirLockedError } from './dataDirLock';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema>;
/** Queries take either, so they can run inside a caller's transaction. */
export type DatabaseOrTransaction = Database | Transaction;

export interface DatabaseHandle {
  kind: 'postgres' | 'pglite';
  db: Database;
  /** How to reach the same database outside drizzle (pg-boss keeps its own connections). */
  raw: { kind: 'postgres'; url: string } | { kind: 'pglite'; client: PGlite };
  /** Raw rows of a statement (see `rowsOf`). */
  rows<T>(query: SQL): Promise<T[]>;
  /** Runs `fn` while holding a session advisory lock, so instances starting at once take turns. */
  exclusively<T>(key: number, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The committed drizzle-kit migrations (bff/drizzle), found from both src/ (tsx) and dist/ (bundle). */
export function migrationsFolder(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'drizzle');
    if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
  }
  throw new Error('drizzle migrations folder not found');
}

export function migrationsAtHead(): number {
  const journal = JSON.parse(
    readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

const MIGRATION_LOCK = 7_301_001; // advisory lock key: one instance migrates at a time

/**
 * Statement names by text; past this many distinct statements, further ones go unnamed (not prepared). Each
 * connection keeps a plan per prepared statement, so the cache is bounded, and statements with many parameters
 * (a list's `in (…)` of any length, a multi-row insert) are not prepared: their text seldom repeats.
 */
const PREPARED_MAX = 1_000;
const PREPARED_MAX_PARAMS = 64;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < PREPARED_MAX) {
    name = `zyt_${createHash('sha1').update(text).digest('base64url')}`;
    statementNames.set(text, name);
  }
  return name;
}

type QueryConfigLike = { text?: unknown; name?: unknown; values?: unknown; submit?: unknown };

/**
 * A node-postgres client that prepares every parameterised statement once per connection, as postgres.js does:
 * a named statement (named after its text) is parsed and planned on first use, then only bound and executed.
 * Unnamed, the server parses and plans the hot statements (the EMS push's, an order job's) on every call.
 * Statements without parameters (BEGIN, COMMIT, multi-statement scripts) keep the simple protocol.
 */
export class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() is a set of overloads; this passes them all through.
  override query(config: any, values?: any, callback?: any): any {
    const c = config as QueryConfigLike | string | null;
    const params = Array.isArray(values) ? values : typeof c === 'object' && c ? c.values : undefined;
    if (Array.isArray(params) && params.length > 0 && params.length <= PREPARED_MAX_PARAMS) {
      if (typeof c === 'string') {
        const name = statementName(c);
        if (name) config = { text: c, name };
      } else if (c && typeof c.submit !== 'function' && c.name === undefined && typeof c.text === 'string') {
        const name = statementName(c.text);
        if (name) config = { ...c, name };
      }
    }
    return super.query(config, values, callback);
  }
}

/**
 * Pool settings for PostgreSQL. node-postgres, not postgres.js: postgres.js 3.4.9 crashes the process when
 * connections drop with queries in flight (porsager/postgres #1154); a pg pool fails those queries, drops the
 * broken clients and connects again on the next checkout.
 */
export const POOL_OPTIONS = {
  Client: PreparingClient,
  max: 20,
  // While the database is unreachable a request fails within this instead of queueing for a connection.
  connectionTimeoutMillis: 5_000,
  idleTimeoutMillis: 30_000,
  keepAlive: true,
} satisfies pg.PoolConfig;

async function openPostgres(url: string, onError: (err: Error) => void = () => {}): Promise<DatabaseHandle> {
  // Migrate on one dedicated connection holding a session advisory lock: N instances starting at once
  // apply each migration once.
  const migrator = new pg.Client({ connectionString: url });
  migrator.on('error', onError);
  await migrator.connect();
  try {
    await migrator.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migratePostgres(drizzlePostgres({ client: migrator, schema }), {
      migrationsFolder: migrationsFolder(),
    });
  } finally {
    await migrator.end();
  }
  const pool = new pg.Pool({ connectionString: url, ...POOL_OPTIONS });
  // A client whose connection dies emits 'error': while idle on the pool, while checked out (a transaction
  // between statements) on itself. Unheard, either kills the process; the pool drops such clients on release.
  pool.on('error', onError);
  pool.on('connect', (client) => client.on('error', onError));
  const db = drizzlePostgres({ client: pool, schema }) as unknown as Database;
  return {
    kind: 'postgres',
    db,
    raw: { kind: 'postgres', url },
    rows: async <T>(query: SQL) => rowsOf<T>(await db.execute(query)),
    async exclusively<T>(key: number, fn: () => Promise<T>) {
      const session = new pg.Client({ connectionString: url });
      session.on('error', onError);
      await session.connect();
      try {
        await session.query('select pg_advisory_lock($1)', [key]);
        return await fn();
      } finally {
        await session.end(); // ends the session, and with it the lock
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir === 'memory://';
  let release: (() => void) | undefined;
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir);
  }
  try {
    const client = new PGlite(inMemory ? undefined : path.join(dataDir, 'pglite'));
    const db = drizzlePglite(client, { schema }) as unknown as Database;
    await migratePglite(db as never, { migrationsFolder: migrationsFolder() });
    return {
      kind: 'pglite',
      db,
      raw: { kind: 'pglite', client },
      rows: async <T>(query: SQL) => rowsOf<T>(await db.execute(query)),
      // One process per data directory: nobody to take turns with.
      exclusively: (_key, fn) => fn(),
      close: async () => {
        await client.close();
        release?.();
      },
    };
  } catch (err) {
    release?.();
    throw err;
  }
}

export function openDatabase(
  opts: { databaseUrl?: string; dataDir: string },
  onError?: (err: Error) => void,
): Promise<DatabaseHandle> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, onError) : openPglite(opts.dataDir);
}

/** Rows of a drizzle `execute` result on either driver (node-postgres and PGlite both answer `{ rows }`). */
/**
 * A statement drizzle builds once per database and then runs with its `sql.placeholder` values: for the reads on
 * every request, where drizzle's builder costs more CPU than PostgreSQL takes to answer (0.2–0.6 ms a statement
 * here). Named statements are also planned once per connection.
 */
export function preparedStatement<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}

export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** Number of applied migrations, for readiness. */
export async function appliedMigrations(handle: DatabaseHandle): Promise<number> {
  const [row] = await handle.rows<{ n: number }>(
    sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
  );
  return row?.n ?? 0;
}
