import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokens } from '../src/db/schema';
import { bearer, buildTestApp, errorOf, TEST_KEYS, type TestApp } from './helpers';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

const login = async (code: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: { code } });
const refresh = (refreshToken: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
const me = (token?: string) =>
  t.app.inject({ method: 'GET', url: '/api/v1/me', headers: token ? bearer(token) : {} });

describe('sign-in with WeChat', () => {
  it('creates a new user as a resident and returns tokens that work', async () => {
    const res = await login(await t.wechat.codeFor('openid-new'));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.user.roles).toEqual(['resident']);
    expect(body.user.identity).toBeNull();
    expect(body.expiresIn).toBe(900);
    expect((await me(body.accessToken)).json().id).toBe(body.user.id);
  });

  it('recognises a returning user by openid', async () => {
    const first = (await login(await t.wechat.codeFor('openid-returning'))).json();
    const second = (await login(await t.wechat.codeFor('openid-returning'))).json();
    expect(second.user.id).toBe(first.user.id);
    expect(second.refreshToken).not.toBe(first.refreshToken);
  });

  it.each([
    ['an unknown code (40029)', async () => 'not-a-real-code', 400, 'WECHAT_CODE_INVALID'],
    [
      'a rate-limited call (45011)',
      async () => {
        await t.wechat.fail(45011);
        return t.wechat.codeFor('x1');
      },
      429,
      'WECHAT_RATE_LIMITED',
    ],
    [
      'a blocked user (40226)',
      async () => {
        await t.wechat.fail(40226);
        return t.wechat.codeFor('x2');
      },
      403,
      'WECHAT_USER_BLOCKED',
    ],
    [
      'a WeChat system error (-1)',
      async () => {
        await t.wechat.fail(-1);
        return t.wechat.codeFor('x3');
      },
      502,
      'WECHAT_UNAVAILABLE',
    ],
  ])('maps %s to a clear error', async (_label, code, status, errorCode) => {
    const res = await login(await code());
    expect(res.statusCode).toBe(status);
    expect(errorOf(res).code).toBe(errorCode);
    expect(errorOf(res).message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses a code used twice (40163)', async () => {
    const code = await t.wechat.codeFor('openid-twice');
    expect((await login(code)).statusCode).toBe(200);
    const again = await login(code);
    expect(again.statusCode).toBe(400);
    expect(errorOf(again).code).toBe('WECHAT_CODE_INVALID');
  });

  it('answers 502 when WeChat cannot be reached', async () => {
    const down = await buildTestApp({ WECHAT_API_BASE: 'http://127.0.0.1:9', WECHAT_TIMEOUT_MS: '500' });
    try {
      const res = await down.app.inject({
        method: 'POST',
        url: '/api/v1/auth/wechat',
        payload: { code: 'abc' },
      });
      expect(res.statusCode).toBe(502);
      expect(errorOf(res).code).toBe('WECHAT_UNAVAILABLE');
    } finally {
      await down.close();
    }
  });

  it('names the missing field when the body is wrong', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/wechat', payload: {} });
    expect(res.statusCode).toBe(400);
    expect(errorOf(res)).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ field: 'code', message: '此项必填' }],
    });
  });
});

describe('refresh tokens', () => {
  it('rotates: the new token works, the old one is spent', async () => {
    const { refreshToken } = await t.signIn();
    const rotated = await refresh(refreshToken);
    expect(rotated.statusCode).toBe(200);
    const next = rotated.json().refreshToken;
    expect(next).not.toBe(refreshToken);
    expect((await me(rotated.json().accessToken)).statusCode).toBe(200);
    expect((await refresh(next)).statusCode).toBe(200);
  });

  it('revokes the whole family when a rotated token is presented again', async () => {
    const { refreshToken: first } = await t.signIn();
    const second = (await refresh(first)).json().refreshToken;
    const reuse = await refresh(first);
    expect(reuse.statusCode).toBe(401);
    expect(errorOf(reuse).code).toBe('REFRESH_TOKEN_REUSED');
    // The thief's fresh token dies too.
    const afterRevoke = await refresh(second);
    expect(afterRevoke.statusCode).toBe(401);
    expect(errorOf(afterRevoke).code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('lets exactly one of two concurrent refreshes with the same token win', async () => {
    const { refreshToken } = await t.signIn();
    const results = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('refuses an unknown token and a token after logout', async () => {
    expect(errorOf(await refresh('x'.repeat(43))).code).toBe('REFRESH_TOKEN_INVALID');
    const { refreshToken } = await t.signIn();
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', payload: { refreshToken } });
    expect(out.statusCode).toBe(204);
    expect(errorOf(await refresh(refreshToken)).code).toBe('REFRESH_TOKEN_INVALID');
  });

  it('stores only hashes of refresh tokens', async () => {
    const { refreshToken, user } = await t.signIn();
    const rows = await t.app.database.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).not.toContain(refreshToken);
    expect(rows[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('access tokens', () => {
  const sign = (payload: object, secret: string, alg = 'HS256') => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = `${enc({ alg, typ: 'JWT' })}.${enc(payload)}`;
    return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
  };
  const now = () => Math.floor(Date.now() / 1000);

  it('401 UNAUTHENTICATED without a token', async () => {
    const res = await me();
    expect(res.statusCode).toBe(401);
    expect(errorOf(res).code).toBe('UNAUTHENTICATED');
  });

  it('401 TOKEN_EXPIRED for an expired token', async () => {
    const { user } = await t.signIn();
    const token = sign(
      { sub: user.id, roles: ['resident'], iat: now() - 3600, exp: now() - 60 },
      TEST_KEYS.JWT_SECRET,
    );
    expect(errorOf(await me(token)).code).toBe('TOKEN_EXPIRED');
  });

  it('401 TOKEN_INVALID for a forged or tampered token', async () => {
    const { user, accessToken } = await t.signIn();
    const forged = sign(
      { sub: user.id, roles: ['supervisor'], iat: now(), exp: now() + 600 },
      'another-secret-another-secret-00',
    );
    expect(errorOf(await me(forged)).code).toBe('TOKEN_INVALID');
    const [h, , s] = accessToken.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: user.id, roles: ['supervisor'] })).toString('base64url')}.${s}`;
    expect(errorOf(await me(tampered)).code).toBe('TOKEN_INVALID');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: user.id })).toString('base64url')}.`;
    expect(errorOf(await me(none)).code).toBe('TOKEN_INVALID');
    expect(errorOf(await me('garbage')).code).toBe('TOKEN_INVALID');
  });
});
