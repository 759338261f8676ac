/**
 * Fault tests run the BFF as real processes on PostgreSQL, with the simulators over HTTP in the test process.
 * Everything listens on 127.0.0.1; every wait is bounded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRIVACY_GUIDE_VERSION, type Role } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import { type DatabaseHandle, openDatabase } from '../../src/db/client';
import { staffOutlets } from '../../src/db/schema';
import { setRoles } from '../../src/features/me/users';
import { type Simulators, startSimulators, TEST_KEYS, testDatabase } from '../helpers';
import { bookingBody, SERVING_POST_OFFICE } from '../journey';
import { until } from '../until';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A fresh PostgreSQL database (fault tests need TEST_DATABASE_URL; the faults config defaults it). */
export async function faultDatabase() {
  if (!process.env.TEST_DATABASE_URL) throw new Error('fault tests run on PostgreSQL: set TEST_DATABASE_URL');
  const database = await testDatabase();
  const url = database.env.DATABASE_URL!;
  const handle = await openDatabase({ databaseUrl: url, dataDir: 'memory://' });
  return {
    url,
    handle,
    close: async () => {
      await handle.close();
      await database.drop();
    },
  };
}

export interface BffProcess {
  url: string;
  child: ChildProcess;
  /** Every line the process wrote (JSON log lines). */
  output: () => string;
  exited: () => boolean;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  /** Waits for the process to end by itself; its exit code. */
  exit: () => Promise<number | null>;
}

/** Starts `bffProcess.ts` and waits until it listens. */
export async function startBff(env: Record<string, string>): Promise<BffProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'bffProcess.ts')], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: 'memory://',
      ...TEST_KEYS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const chunks: string[] = [];
  child.stdout!.on('data', (c: Buffer) => chunks.push(c.toString()));
  child.stderr!.on('data', (c: Buffer) => chunks.push(c.toString()));
  let exitCode: number | null | undefined;
  const exit = once(child, 'exit').then(([code]) => {
    exitCode = code as number | null;
    return exitCode;
  });
  const started = await Promise.race([
    once(child, 'message').then(([m]) => m as { url: string }),
    exit.then(() => undefined),
  ]);
  if (!started) throw new Error(`BFF process exited on start:\n${chunks.join('')}`);
  return {
    url: started.url,
    child,
    output: () => chunks.join(''),
    exited: () => exitCode !== undefined,
    exit: () => exit,
    async stop(signal = 'SIGTERM') {
      if (exitCode === undefined) child.kill(signal);
      return exit;
    },
  };
}

export interface HttpAnswer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  headers: Headers;
}

/** One JSON call; a refused or dropped connection answers status 0 (the caller decides whether to retry). */
export async function call(
  base: string,
  method: string,
  url: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  try {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...opts.headers,
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return {
      status: 0,
      body: { failure: cause?.code ?? cause?.message ?? (err as Error).message },
      headers: new Headers(),
    };
  }
}

/** Signs in through the WeChat simulator; a real-named resident who consented. */
async function signInResident(base: string, wechat: Simulators['wechat'], openid: string) {
  const signIn = await call(base, 'POST', '/api/v1/auth/wechat', {
    body: { code: await wechat.codeFor(openid) },
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(signIn.body)}`);
  const { accessToken, refreshToken, user } = signIn.body as {
    accessToken: string;
    refreshToken: string;
    user: { id: string };
  };
  await call(base, 'POST', '/api/v1/me/consent', {
    token: accessToken,
    body: { version: PRIVACY_GUIDE_VERSION },
  });
  const identity = await call(base, 'POST', '/api/v1/me/identity', {
    token: accessToken,
    body: { name: '张三', idNumber: '11010519491231002X' },
  });
  if (identity.status !== 200) throw new Error(`identity failed: ${JSON.stringify(identity.body)}`);
  return { id: user.id, token: accessToken, refreshToken };
}

/** A signed-in user given a staff role (set in the database, then a refreshed token carries it). */
async function signInStaff(
  base: string,
  db: DatabaseHandle,
  wechat: Simulators['wechat'],
  openid: string,
  role: Role,
) {
  const s = await signInResident(base, wechat, openid);
  await setRoles(db.db, { userId: s.id, roles: ['resident', role] });
  // Agents take the visits of the post office that serves 黄埔区.
  if (role === 'postal_agent')
    await db.db.insert(staffOutlets).values({ userId: s.id, outletId: SERVING_POST_OFFICE });
  const fresh = await call(base, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } });
  return { id: s.id, token: (fresh.body as { accessToken: string }).accessToken };
}

/** Waits until the BFF's catalogue sync job has filled the catalogue (the test's timeout is the limit). */
async function catalogueReady(db: DatabaseHandle) {
  await until(async () => {
    const [row] = await db.rows<{ n: number }>(sql`select count(*)::int as n from matters`);
    return (row?.n ?? 0) > 0;
  }, 200);
}

/**
 * What a fault test file runs against: the simulators, a fresh PostgreSQL database, and the BFF processes it
 * starts on them. `close` kills the processes (SIGKILL), runs what was deferred (latest first), then closes
 * the database and the simulators.
 */
export async function startFaultStack() {
  const sims = await startSimulators();
  let database: Awaited<ReturnType<typeof faultDatabase>>;
  try {
    database = await faultDatabase();
  } catch (err) {
    await sims.close();
    throw err;
  }
  const processes: BffProcess[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  return {
    sims,
    database,
    /** A BFF process on the simulators and the database; `env` adds to or overrides that configuration. */
    async startBff(env: Record<string, string> = {}): Promise<BffProcess> {
      const bff = await startBff({ ...sims.env, DATABASE_URL: database.url, ...env });
      processes.push(bff);
      return bff;
    },
    /** A real-named resident signed in through `url` (openid as given). */
    resident: (url: string, openid: string) => signInResident(url, sims.wechat, openid),
    /** `count` residents at once, openids `${prefix}-0` …, for load from a few users. */
    residents: (url: string, prefix: string, count: number) =>
      Promise.all(
        Array.from({ length: count }, (_, i) => signInResident(url, sims.wechat, `${prefix}-${i}`)),
      ),
    /** A signed-in user with a staff role. */
    staff: (url: string, openid: string, role: Role) =>
      signInStaff(url, database.handle, sims.wechat, openid, role),
    /** Waits until the BFFs' catalogue sync has filled the catalogue. */
    catalogueReady: () => catalogueReady(database.handle),
    defer(close: () => Promise<unknown>) {
      closers.push(close);
    },
    async close() {
      for (const bff of processes) await bff.stop('SIGKILL');
      for (const close of closers.reverse()) await close();
      await database.close();
      await sims.close();
    },
  };
}
export type FaultStack = Awaited<ReturnType<typeof startFaultStack>>;

export { bookingBody };

/** expect.poll's limit in fault tests: longer than any test's timeout, so vitest's timeout is the only limit. */
export const FAULT_WAIT = 900_000;
