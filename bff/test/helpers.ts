import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { createEmsSimulator } from '../simulators/ems/server';
import { createGovSimulator } from '../simulators/gov/server';
import { createWechatSimulator } from '../simulators/wechat/server';
import { DEMO_EMS_SIGN_KEY, loadConfig } from '../src/config';
import { createServer, type ServerOptions } from '../src/server';

export const WECHAT = { appId: 'wx-test-app', appSecret: 'wx-test-secret' };
export const EMS = { senderNo: '1100000000009', authorization: 'ems-test-auth', signKey: DEMO_EMS_SIGN_KEY };

/** JSON calls to a simulator's admin endpoints. */
export function simClient(url: string) {
  return async <T = Record<string, unknown>>(path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as T;
  };
}

export const GOV = { appId: 'zyt-test', appSecret: 'gov-test-secret-0123456789abcdef' };

export async function startGovSimulator() {
  const sim = createGovSimulator({ ...GOV });
  const url = await sim.listen({ host: '127.0.0.1', port: 0 });
  return { url, sim, admin: simClient(url), close: () => sim.close() };
}

export async function startEmsSimulator() {
  const sim = createEmsSimulator({ ...EMS, pushIntervalMs: 100 });
  const url = await sim.listen({ host: '127.0.0.1', port: 0 });
  return { url, sim, admin: simClient(url), close: () => sim.close() };
}

export async function startWechatSimulator() {
  const sim = createWechatSimulator(WECHAT);
  await sim.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(sim.server.address() as AddressInfo).port}`;
  const post = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  return {
    url,
    /** A one-time wx.login code for this openid. */
    codeFor: async (openid: string) => (await post('/sim/codes', { openid })).code as string,
    /** The next jscode2session calls answer with these WeChat error codes. */
    fail: (...errcodes: number[]) => post('/sim/admin/faults', { errcodes }),
    /** The user accepts `count` messages of this template (wx.requestSubscribeMessage). */
    subscribe: (openid: string, templateId: string, count = 1) =>
      post('/sim/subscriptions', { openid, templateId, count }),
    phoneCode: async (phone: string) => (await post('/sim/phone-codes', { phone })).code as string,
    expireToken: () => post('/sim/admin/expire-token', {}),
    stats: () =>
      fetch(`${url}/sim/stats`).then(
        (r) =>
          r.json() as Promise<{
            stableTokenCalls: number;
            forcedRefreshes: number;
            sent: { touser: string }[];
          }>,
      ),
    close: () => sim.close(),
  };
}

/**
 * The three simulators on free ports, and the configuration that points the BFF at them with the test
 * credentials (generous rate limits: tests sign in and book far more than a person would; the rate-limit
 * tests set their own).
 */
export async function startSimulators() {
  const wechat = await startWechatSimulator();
  const ems = await startEmsSimulator();
  const gov = await startGovSimulator();
  return {
    wechat,
    ems,
    gov,
    env: {
      WECHAT_API_BASE: wechat.url,
      WECHAT_APP_ID: WECHAT.appId,
      WECHAT_APP_SECRET: WECHAT.appSecret,
      EMS_API_BASE: ems.url,
      EMS_SENDER_NO: EMS.senderNo,
      EMS_AUTHORIZATION: EMS.authorization,
      EMS_SIGN_KEY: EMS.signKey,
      GOV_API_BASE: gov.url,
      GOV_APP_ID: GOV.appId,
      GOV_APP_SECRET: GOV.appSecret,
      ...GENEROUS_RATE_LIMITS,
    },
    close: async () => {
      await wechat.close();
      await ems.close();
      await gov.close();
    },
  };
}
export type Simulators = Awaited<ReturnType<typeof startSimulators>>;

/** A database for one test file: a fresh PostgreSQL database when TEST_DATABASE_URL is set, else PGlite in memory. */
export async function testDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return { env: { DATA_DIR: 'memory://' }, drop: async () => {} };
  const name = `zyt_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATA_DIR: 'memory://' },
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export const GENEROUS_RATE_LIMITS = {
  RATE_LIMIT_SIGN_IN_PER_MINUTE: '100000',
  RATE_LIMIT_REAL_NAME_PER_HOUR: '100000',
  RATE_LIMIT_BOOKING_PER_HOUR: '100000',
  RATE_LIMIT_UPLOAD_PER_MINUTE: '100000',
  RATE_LIMIT_BAG_SCAN_PER_MINUTE: '100000',
};

/** Outside-system secrets for a production-mode app in tests (production refuses missing or demo ones). */
export const PRODUCTION_SECRETS = {
  WECHAT_APP_SECRET: randomBytes(16).toString('hex'),
  EMS_AUTHORIZATION: randomBytes(16).toString('hex'),
  EMS_SIGN_KEY: randomBytes(16).toString('base64'),
  GOV_APP_SECRET: randomBytes(16).toString('hex'),
  BAG_CODE_SECRET: randomBytes(24).toString('hex'),
  BAG_URL_BASE: 'https://zyt.example.gov.cn',
};

export const TEST_KEYS = {
  PII_KEY: randomBytes(32).toString('base64'),
  JWT_SECRET: randomBytes(32).toString('hex'),
};

/** Captures every log line the app writes. */
export function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

export interface TestApp {
  app: FastifyInstance;
  wechat: Awaited<ReturnType<typeof startWechatSimulator>>;
  ems: Awaited<ReturnType<typeof startEmsSimulator>>;
  gov: Awaited<ReturnType<typeof startGovSimulator>>;
  /** Listens on a free port (for simulators that call us back) and returns the base URL. */
  listen(): Promise<string>;
  logs: ReturnType<typeof logCapture>;
  signIn(
    openid?: string,
  ): Promise<{ accessToken: string; refreshToken: string; user: { id: string; roles: string[] } }>;
  close(): Promise<void>;
}

/** `setup` runs before the app is ready, e.g. to define test jobs. */
/** Retry delays in tests: each step of a job's schedule, at most this many seconds (same number of attempts). */
export const TEST_RETRY_CAP_SECONDS = 5;

export async function buildTestApp(
  env: Record<string, string> = {},
  setup?: (app: FastifyInstance) => void,
  options: Pick<ServerOptions, 'jobs'> = {},
): Promise<TestApp> {
  const sims = await startSimulators();
  const { wechat, ems, gov } = sims;
  const database = await testDatabase();
  const logs = logCapture();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'trace',
    ...sims.env,
    ...TEST_KEYS,
    ...database.env,
    ...env,
  });
  const app = await createServer({
    config,
    logStream: logs.stream,
    jobs: { retrySchedule: (s) => s.map((d) => Math.min(d, TEST_RETRY_CAP_SECONDS)) },
    ...options,
  });
  setup?.(app);
  await app.ready();
  return {
    app,
    wechat,
    ems,
    gov,
    logs,
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 });
      return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    },
    async signIn(openid = `user-${randomBytes(4).toString('hex')}`) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/wechat',
        payload: { code: await wechat.codeFor(openid) },
      });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.body}`);
      return res.json();
    },
    async close() {
      await app.close();
      await sims.close();
      await database.drop();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function errorOf(res: LightMyRequestResponse): {
  code: string;
  message: string;
  details?: { field: string; message: string }[];
} {
  return res.json().error;
}
