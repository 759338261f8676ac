import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { createServer } from '../src/server';
import { buildTestApp, TEST_KEYS, type TestApp } from './helpers';

describe('starting', () => {
  it('starts when opening and migrating the database takes longer than the plugin timeout', async () => {
    const config = loadConfig({
      ...TEST_KEYS,
      DATA_DIR: 'memory://',
      JOB_WORKERS: 'off',
      LOG_LEVEL: 'silent',
    });
    const pluginTimeout = 3_000;
    const server = await createServer({
      config,
      pluginTimeout,
      // A busy machine: the database is ready only after Fastify's plugin timeout would have fired.
      openDatabase: async (c) => {
        const handle = await openDatabase(c);
        await new Promise((r) => setTimeout(r, pluginTimeout + 500));
        return handle;
      },
    });
    try {
      await server.ready();
      expect((await server.inject({ url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  }, 180_000); // opens and migrates a database: slow on a busy machine, which is the point
});

describe('logs at info', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ LOG_LEVEL: 'info' }, (app) => {
      app.get('/api/v1/test/boom', { config: { access: 'public' } }, async () => {
        throw new Error('boom');
      });
      app.jobs.define<{ n: number }>({
        name: 'test.logged',
        retrySchedule: [],
        async handle() {
          throw new Error('remote said no');
        },
      });
    });
  });
  afterAll(() => t?.close());

  const lines = () =>
    t.logs
      .text()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { level: number; msg: string; job?: string });

  it('leaves requests out, keeps errors and jobs', async () => {
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/test/boom' })).statusCode).toBe(500);
    await t.app.database.db.transaction((tx) => t.app.jobs.enqueue(tx, 'test.logged', { n: 1 }));
    await vi.waitFor(
      () => expect(lines().some((l) => l.msg === 'job failed' && l.job === 'test.logged')).toBe(true),
      {
        timeout: 20_000,
        interval: 100,
      },
    );
    const all = lines();
    expect(all.filter((l) => /incoming request|request completed/.test(l.msg))).toEqual([]);
    expect(all.some((l) => l.msg === 'request failed' && l.level >= 50)).toBe(true);
  });

  it('logs each request at debug', async () => {
    t.app.log.level = 'debug';
    try {
      await t.app.inject({ url: '/healthz' });
      expect(lines().some((l) => l.msg === 'request completed' && l.level === 20)).toBe(true);
    } finally {
      t.app.log.level = 'info';
    }
  });
});
