import { randomBytes, randomUUID } from 'node:crypto';
import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setRoles } from '../src/features/me/users';
import { bearer, buildTestApp, errorOf, type TestApp } from './helpers';
import { bookingBody } from './journey';

/** Rate limits: 429 RATE_LIMITED with Retry-After, per user and per IP, in memory or shared through Redis. */

const LIMITS = {
  RATE_LIMIT_SIGN_IN_PER_MINUTE: '3',
  RATE_LIMIT_REAL_NAME_PER_HOUR: '2',
  RATE_LIMIT_BOOKING_PER_HOUR: '2',
  RATE_LIMIT_UPLOAD_PER_MINUTE: '2',
};

function expectLimited(res: LightMyRequestResponse) {
  expect(res.statusCode).toBe(429);
  expect(errorOf(res).code).toBe('RATE_LIMITED');
  expect(errorOf(res).message).toMatch(/^操作过于频繁，请\d+秒后再试$/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}

const signIn = async (t: TestApp, remoteAddress: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/wechat',
    remoteAddress,
    headers,
    payload: { code: await t.wechat.codeFor(`rl-${randomBytes(4).toString('hex')}`) },
  });

describe('rate limits (memory store)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(LIMITS);
  });
  afterAll(() => t?.close());

  it('limits sign-ins per IP, with Retry-After and a Chinese message', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn(t, '198.51.100.1')).statusCode).toBe(200);
    expectLimited(await signIn(t, '198.51.100.1'));
    // Another address has its own allowance.
    expect((await signIn(t, '198.51.100.2')).statusCode).toBe(200);
  });

  it('counts a caller by its address, whatever X-Forwarded-For it makes up', async () => {
    for (let i = 0; i < 3; i++) await signIn(t, '203.0.113.7', { 'x-forwarded-for': `192.0.2.${i}` });
    expectLimited(await signIn(t, '203.0.113.7', { 'x-forwarded-for': '192.0.2.99' }));
  });

  it('limits booking creation per user, and per IP across users', async () => {
    const person = async (ip: string) => {
      const s = (await signIn(t, ip)).json();
      const h = bearer(s.accessToken);
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/me/consent',
        headers: h,
        remoteAddress: ip,
        payload: { version: PRIVACY_GUIDE_VERSION },
      });
      return h;
    };
    const book = (h: Record<string, string>, ip: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        remoteAddress: ip,
        headers: { ...h, 'idempotency-key': randomUUID() },
        payload: bookingBody(),
      });
    const a = await person('198.51.100.10');
    // Whatever the booking's own answer (no real name here), the first two are not rate limited.
    for (let i = 0; i < 2; i++) expect((await book(a, '198.51.100.10')).statusCode).not.toBe(429);
    expectLimited(await book(a, '198.51.100.10'));

    // Per IP: five times a user's allowance (10), whoever sends them.
    const ip = '198.51.100.20';
    const users = [];
    for (let i = 0; i < 6; i++) users.push(await person(i < 3 ? ip : `198.51.100.${30 + i}`));
    let sent = 0;
    for (const u of users.slice(0, 3)) {
      for (let i = 0; i < 2; i++, sent++) expect((await book(u, ip)).statusCode).not.toBe(429);
    }
    for (const u of users.slice(3)) {
      for (let i = 0; i < 2 && sent < 10; i++, sent++) expect((await book(u, ip)).statusCode).not.toBe(429);
    }
    expect(sent).toBe(10);
    expectLimited(await book(users[5]!, ip));
  });

  it('limits real-name checks and photo uploads per user', async () => {
    const s = (await signIn(t, '198.51.100.40')).json();
    const h = bearer(s.accessToken);
    const identity = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/me/identity',
        remoteAddress: '198.51.100.40',
        headers: h,
        payload: { name: '张三', idNumber: '11010519491231002X' },
      });
    for (let i = 0; i < 2; i++) expect((await identity()).statusCode).not.toBe(429);
    expectLimited(await identity());

    // Counted before the upload is read: the visit does not even need to exist. (Staff routes read the roles
    // from the database on every request, so the grant applies to the token at hand.)
    await setRoles(t.app.database.db, { userId: s.user.id, roles: ['resident', 'postal_agent'] });
    const upload = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/staff/visits/${randomUUID()}/photos`,
        remoteAddress: '198.51.100.41',
        headers: { ...h, 'content-type': 'multipart/form-data; boundary=x' },
        payload: '--x--\r\n',
      });
    for (let i = 0; i < 2; i++) expect((await upload()).statusCode).not.toBe(429);
    expectLimited(await upload());
  });
});

const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;

describe.skipIf(!redisUrl)('rate limits (Redis store, shared by instances)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Keys of this run only, so parallel runs and earlier runs don't count.
    const env = { ...LIMITS, REDIS_URL: redisUrl!, RATE_LIMIT_PREFIX: `zyt-test:${randomUUID()}:` };
    a = await buildTestApp(env);
    b = await buildTestApp(env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts sign-ins from one IP across two instances', async () => {
    expect((await signIn(a, '198.51.100.50')).statusCode).toBe(200);
    expect((await signIn(b, '198.51.100.50')).statusCode).toBe(200);
    expect((await signIn(a, '198.51.100.50')).statusCode).toBe(200);
    expectLimited(await signIn(b, '198.51.100.50'));
    expectLimited(await signIn(a, '198.51.100.50'));
    expect((await signIn(b, '198.51.100.51')).statusCode).toBe(200);
  });
});

describe('rate limits when Redis is down', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 9: every counter update fails.
    t = await buildTestApp({ ...LIMITS, REDIS_URL: 'redis://127.0.0.1:9' });
  });
  afterAll(() => t?.close());

  it('lets requests through rather than failing them', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn(t, '198.51.100.60')).statusCode).toBe(200);
    expect(t.logs.text()).toContain('rate-limit store (Redis)');
  });
});
