import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';
import { DataDirLockedError, migrationsAtHead, openDatabase } from '../src/db/client';
import access from '../src/plugins/access';
import { buildTestApp, errorOf, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({}, (app) => {
    app.get('/api/v1/test/boom', { config: { access: 'public' } }, async () => {
      throw new Error('connection string postgres://secret@db');
    });
  });
});
afterAll(() => t?.close());

describe('health and docs', () => {
  it('is alive and ready with migrations at head', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    // Public: ready or not, nothing about the database.
    expect(ready.json()).toEqual({ status: 'ready' });
    expect(migrationsAtHead()).toBeGreaterThanOrEqual(2);
  });

  it('publishes OpenAPI 3 with every API route and a browsable UI', async () => {
    const spec = (await t.app.inject('/docs/json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/auth/wechat', '/api/v1/me', '/api/v1/me/identity']),
    );
    const ui = await t.app.inject('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });
});

describe('one error shape', () => {
  it('gives every response a request id, keeping a well-formed one from the caller', async () => {
    expect((await t.app.inject('/healthz')).headers['x-request-id']).toMatch(/^[\w-]{8,}$/);
    const echoed = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'req-from-gateway-1' } });
    expect(echoed.headers['x-request-id']).toBe('req-from-gateway-1');
    const hostile = await t.app.inject({
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\nforged log line' },
    });
    expect(hostile.headers['x-request-id']).not.toContain('forged');
  });

  it('hides internals of a 500', async () => {
    const res = await t.app.inject('/api/v1/test/boom');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: '系统繁忙，请稍后再试' } });
    expect(res.body).not.toContain('secret');
  });

  it('treats an empty JSON body as no body: refused by field where a body is required', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('maps unknown routes, bad JSON and wrong media types to stable codes', async () => {
    expect(errorOf(await t.app.inject('/api/v1/nope')).code).toBe('ROUTE_NOT_FOUND');
    const badJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat',
      headers: { 'content-type': 'application/json' },
      payload: '{"code":',
    });
    expect(badJson.statusCode).toBe(400);
    expect(errorOf(badJson).code).toBe('INVALID_JSON');
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/wechat',
      headers: { 'content-type': 'application/xml' },
      payload: '<code>1</code>',
    });
    expect(text.statusCode).toBe(415);
    expect(errorOf(text).code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('access rules', () => {
  it('refuses to start when an API route does not say who may call it', async () => {
    const app = Fastify();
    await app.register(access, { secret: 'x'.repeat(32), accessTokenTtlSeconds: 60 });
    expect(() => app.get('/api/v1/unguarded', async () => 'oops')).toThrow(/must declare config.access/);
    await app.close();
  });

  it('lets only a supervisor grant staff roles, and never enterprise roles', async () => {
    const resident = await t.signIn();
    const supervisor = await t.signIn();
    const grant = (token: string, userId: string, roles: string[]) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/admin/users/${userId}/roles`,
        headers: { authorization: `Bearer ${token}` },
        payload: { roles },
      });

    const selfGrant = await grant(resident.accessToken, resident.user.id, ['supervisor']);
    expect(selfGrant.statusCode).toBe(403);
    expect(errorOf(selfGrant).code).toBe('FORBIDDEN');

    // The first supervisor is seeded (demo seed or operator), not granted through the API.
    const { setRoles } = await import('../src/features/me/users');
    await setRoles(t.app.database.db, { userId: supervisor.user.id, roles: ['resident', 'supervisor'] });
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: supervisor.refreshToken },
    });
    const supervisorToken = fresh.json().accessToken;

    const ok = await grant(supervisorToken, resident.user.id, ['postal_agent']);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().roles).toEqual(['resident', 'postal_agent']);
    const refused = await grant(supervisorToken, resident.user.id, ['enterprise_clerk']);
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused).code).toBe('ROLE_NOT_GRANTABLE');
    expect(
      errorOf(await grant(supervisorToken, '00000000-0000-4000-8000-000000000000', ['postal_agent'])).code,
    ).toBe('NOT_FOUND');
    expect(errorOf(await grant(supervisorToken, 'not-a-uuid', ['postal_agent'])).code).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe('embedded database', () => {
  it('lets only one process open a data directory', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zyt-lock-'));
    const first = await openDatabase({ dataDir: dir });
    try {
      await expect(openDatabase({ dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir: dir });
    await again.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a directory a running process holds, and takes over the lock of one that died', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zyt-lock-'));
    mkdirSync(dir, { recursive: true });
    // Another process holds the lock (as a BFF would): refused, whatever time passes.
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    writeFileSync(path.join(dir, '.lock'), String(other.pid));
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(`PID ${other.pid}`);
    // It is killed without releasing (kill -9): the next start takes the directory.
    const exited = new Promise((resolve) => other.once('exit', resolve));
    other.kill('SIGKILL');
    await exited;
    const db = await openDatabase({ dataDir: dir });
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('configuration', () => {
  it('refuses a wrong key or port with a message naming the variable', () => {
    expect(() =>
      loadConfig({ DATA_DIR: 'memory://', PII_KEY: 'c2hvcnQ=', JWT_SECRET: 'x'.repeat(32) }),
    ).toThrow(/PII_KEY/);
    expect(() => loadConfig({ DATA_DIR: 'memory://', PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: 'memory://' })).toThrow(
      /must be set in production/,
    );
  });
});
