import Taro from '@tarojs/taro';
import { errorMessages } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { request } from '@/api/client';
import { ApiError } from '@/api/errors';
import { getSession, saveTokens, startSession } from '@/api/session';
import { apiError, type FakeReply, fakeBff, tokens } from '../fakeBff';
import { setPages, storedValue } from '../taro-mock';

const expired = apiError(401, 'TOKEN_EXPIRED', '登录已过期');

/** A BFF whose access tokens `access-1` are expired, that refreshes `refresh-…-1` into generation 2. */
function bffWithExpiredToken(refreshReply: FakeReply = { status: 200, data: tokens(2) }) {
  return fakeBff((req) => {
    if (req.path === '/api/v1/auth/refresh') return refreshReply;
    if (req.token === 'access-1') return expired;
    return { status: 200, data: { path: req.path, token: req.token } };
  });
}

const caught = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as ApiError,
  );

describe('request', () => {
  beforeEach(() => {
    saveTokens(tokens(1));
    setPages(['me/pages/index/index']);
  });

  it('sends JSON to the API base URL with the access token', async () => {
    const log = fakeBff(() => ({ status: 200, data: { ok: true } }));
    await expect(
      request({ method: 'POST', path: '/api/v1/me/consent', data: { version: 'v1' } }),
    ).resolves.toEqual({
      ok: true,
    });
    expect(log).toEqual([
      { method: 'POST', path: '/api/v1/me/consent', body: { version: 'v1' }, token: 'access-1' },
    ]);
    expect(Taro.request).toHaveBeenCalledWith(
      expect.objectContaining({ url: 'https://bff.test/api/v1/me/consent' }),
    );
  });

  it('leaves the token off when auth is false', async () => {
    const log = fakeBff(() => ({ status: 200, data: [] }));
    await request({ path: '/sim/wechat/demo-users', auth: false });
    expect(log[0]!.token).toBeUndefined();
  });

  it('refreshes an expired access token and retries the request once with the new one', async () => {
    const log = bffWithExpiredToken();
    await expect(request({ path: '/api/v1/me' })).resolves.toEqual({ path: '/api/v1/me', token: 'access-2' });
    expect(log.map((r) => `${r.path} ${r.token ?? '-'}`)).toEqual([
      '/api/v1/me access-1',
      '/api/v1/auth/refresh -',
      '/api/v1/me access-2',
    ]);
    expect(log[1]!.body).toEqual({ refreshToken: 'refresh-token-number-1' });
    // The rotated refresh token is kept, in memory and in storage.
    expect(getSession()?.refreshToken).toBe('refresh-token-number-2');
    expect(storedValue('zyt.session')).toMatchObject({ accessToken: 'access-2' });
  });

  it('keeps the H5 demo user of the session across a refresh', async () => {
    startSession(tokens(1), 'demo-resident');
    bffWithExpiredToken();
    await request({ path: '/api/v1/me' });
    expect(getSession()).toMatchObject({ accessToken: 'access-2', demoOpenid: 'demo-resident' });
  });

  it('shares one refresh between parallel requests that all hit TOKEN_EXPIRED', async () => {
    const log = bffWithExpiredToken();
    const results = await Promise.all([
      request({ path: '/api/v1/me' }),
      request({ path: '/api/v1/cases' }),
      request({ path: '/api/v1/bookings' }),
    ]);
    expect(results).toEqual([
      { path: '/api/v1/me', token: 'access-2' },
      { path: '/api/v1/cases', token: 'access-2' },
      { path: '/api/v1/bookings', token: 'access-2' },
    ]);
    expect(log.filter((r) => r.path === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('retries with a token refreshed while the request was in flight, without refreshing again', async () => {
    let answerSlow: () => void = () => undefined;
    const slowGate = new Promise<void>((resolve) => {
      answerSlow = resolve;
    });
    const log = fakeBff(async (req) => {
      if (req.path === '/api/v1/auth/refresh') return { status: 200, data: tokens(2) };
      if (req.path === '/api/v1/slow' && req.token === 'access-1') await slowGate;
      return req.token === 'access-1' ? expired : { status: 200, data: req.token };
    });
    const slow = request({ path: '/api/v1/slow' });
    await expect(request({ path: '/api/v1/me' })).resolves.toBe('access-2');
    answerSlow();
    await expect(slow).resolves.toBe('access-2');
    expect(log.filter((r) => r.path === '/api/v1/auth/refresh')).toHaveLength(1);
  });

  it('ends the session and opens sign-in when the refresh token is refused', async () => {
    bffWithExpiredToken(
      apiError(
        401,
        'REFRESH_TOKEN_REUSED',
        '检测到登录凭证被重复使用，为保护账号安全已退出所有设备，请重新登录',
      ),
    );
    const error = await caught(request({ path: '/api/v1/me' }));
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('REFRESH_TOKEN_REUSED');
    expect(error.message).toBe(errorMessages.REFRESH_TOKEN_REUSED);
    expect(getSession()).toBeNull();
    expect(storedValue('zyt.session')).toBeUndefined();
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/login/index' });
  });

  it('keeps the session when the refresh fails only for lack of network', async () => {
    fakeBff((req) => (req.path === '/api/v1/auth/refresh' ? 'offline' : expired));
    const error = await caught(request({ path: '/api/v1/me' }));
    expect(error.code).toBe('NETWORK');
    expect(getSession()?.refreshToken).toBe('refresh-token-number-1');
    expect(Taro.navigateTo).not.toHaveBeenCalled();
  });

  it('does not refresh twice for one request: a second 401 ends the session', async () => {
    const log = fakeBff((req) =>
      req.path === '/api/v1/auth/refresh'
        ? { status: 200, data: tokens(2) }
        : apiError(401, 'TOKEN_EXPIRED', '登录已过期'),
    );
    const error = await caught(request({ path: '/api/v1/me' }));
    expect(error.code).toBe('TOKEN_EXPIRED');
    expect(log.filter((r) => r.path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(log.filter((r) => r.path === '/api/v1/me')).toHaveLength(2);
    expect(getSession()).toBeNull();
  });

  it('does not try to refresh on other 401 codes', async () => {
    const log = fakeBff(() => apiError(401, 'TOKEN_INVALID', 'invalid token'));
    const error = await caught(request({ path: '/api/v1/me' }));
    expect(error.code).toBe('TOKEN_INVALID');
    expect(error.message).toBe(errorMessages.TOKEN_INVALID);
    expect(log).toHaveLength(1);
    expect(getSession()).toBeNull();
  });
});

describe('errors', () => {
  it('carries the code, the Chinese server message and the field details', async () => {
    fakeBff(() =>
      apiError(422, 'ID_NUMBER_INVALID', '身份证号码不正确', [
        { field: 'idNumber', message: '身份证号码校验位不正确，请核对每一位' },
      ]),
    );
    const error = await caught(request({ method: 'POST', path: '/api/v1/me/identity', data: {} }));
    expect(error).toMatchObject({ code: 'ID_NUMBER_INVALID', status: 422, message: '身份证号码不正确' });
    expect(error.fieldMessage('idNumber')).toBe('身份证号码校验位不正确，请核对每一位');
    expect(error.fieldMessage('name')).toBeUndefined();
  });

  it('reads field paths like /body/idNumber as the field name', async () => {
    fakeBff(() =>
      apiError(400, 'VALIDATION_FAILED', '填写有误', [
        { field: '/body/idNumber', message: '请填写身份证号码' },
      ]),
    );
    const error = await caught(request({ method: 'POST', path: '/api/v1/me/identity', data: {} }));
    expect(error.fieldMessage('idNumber')).toBe('请填写身份证号码');
  });

  it('replaces a message not written for people with the one for its code', async () => {
    fakeBff(() => apiError(429, 'WECHAT_RATE_LIMITED', 'rate limited by upstream'));
    const error = await caught(
      request({ method: 'POST', path: '/api/v1/auth/wechat', data: { code: 'x' }, auth: false }),
    );
    expect(error.code).toBe('WECHAT_RATE_LIMITED');
    expect(error.message).toBe(errorMessages.WECHAT_RATE_LIMITED);
  });

  it('maps a body that is not an API error by its status', async () => {
    fakeBff(() => ({ status: 502, data: null }));
    const error = await caught(request({ path: '/api/v1/me', auth: false }));
    expect(error).toMatchObject({ code: 'INTERNAL', status: 502, message: errorMessages.INTERNAL });
  });

  it('turns a network failure into NETWORK with its message', async () => {
    fakeBff(() => 'offline');
    const error = await caught(request({ path: '/api/v1/me' }));
    expect(error).toMatchObject({ code: 'NETWORK', status: 0, message: errorMessages.NETWORK });
  });

  it('returns undefined for 204 No Content', async () => {
    fakeBff(() => ({ status: 204 }));
    await expect(
      request({ method: 'POST', path: '/api/v1/auth/logout', data: {}, auth: false }),
    ).resolves.toBeUndefined();
  });
});
