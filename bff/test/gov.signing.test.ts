import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createNonceCache } from '../simulators/gov/nonces';
import {
  GOV_HEADERS,
  REPLAY_WINDOW_MS,
  signRequest,
  type VerifyParams,
  verifySignature,
  verifySignatureAsync,
} from '../src/integrations/gov/signing';

const APP = { appId: 'zyt-test', appSecret: 'gov-test-secret-0123456789abcdef' };
const NOW = Date.parse('2026-03-05T02:00:00Z');
const PATH = '/gov/v1/cases?trace=1';
const BODY = JSON.stringify({ ourId: 'bk-1', projectName: '张三申请失业保险金申领' });

function signed(overrides: { now?: number; body?: string; nonce?: string } = {}) {
  return signRequest({
    ...APP,
    method: 'POST',
    path: PATH,
    body: overrides.body ?? BODY,
    now: overrides.now ?? NOW,
    nonce: overrides.nonce,
  });
}

function verify(
  headers: Record<string, string | undefined> | Headers,
  over: Partial<VerifyParams<boolean>> = {},
) {
  return verifySignature({
    headers,
    method: 'POST',
    path: PATH,
    rawBody: BODY,
    appSecret: APP.appSecret,
    expectedAppId: APP.appId,
    now: NOW,
    seenNonce: () => false,
    ...over,
  });
}

describe('gov request signing', () => {
  it('signs method, path with query, ms timestamp, nonce and raw body as documented', () => {
    const h = signed({ nonce: 'n0nce-0123456789abcdef' });
    expect(h[GOV_HEADERS.appId]).toBe(APP.appId);
    expect(h[GOV_HEADERS.timestamp]).toBe(String(NOW));
    expect(h[GOV_HEADERS.nonce]).toBe('n0nce-0123456789abcdef');
    const expected = createHmac('sha256', APP.appSecret)
      .update(`POST\n${PATH}\n${NOW}\nn0nce-0123456789abcdef\n${BODY}`)
      .digest('hex');
    expect(h[GOV_HEADERS.signature]).toBe(expected);
    // A fresh nonce per request by default.
    expect(signed()[GOV_HEADERS.nonce]).not.toBe(signed()[GOV_HEADERS.nonce]);
  });

  it('accepts a good request, from a Node header record or a fetch Headers object', () => {
    expect(verify(signed())).toEqual({ ok: true });
    expect(verify(new Headers(signed()))).toEqual({ ok: true });
    // Clock skew inside the window is fine both ways.
    expect(verify(signed({ now: NOW - REPLAY_WINDOW_MS + 1000 }))).toEqual({ ok: true });
    expect(verify(signed({ now: NOW + REPLAY_WINDOW_MS - 1000 }))).toEqual({ ok: true });
  });

  it('refuses a tampered body, path or method', () => {
    const h = signed();
    expect(verify(h, { rawBody: BODY.replace('bk-1', 'bk-2') })).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(verify(h, { path: '/gov/v1/cases?trace=2' })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verify(h, { method: 'PUT' })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses a signature made with another secret, and garbage signatures', () => {
    const other = signRequest({
      ...APP,
      appSecret: 'someone-elses-secret',
      method: 'POST',
      path: PATH,
      body: BODY,
      now: NOW,
    });
    expect(verify(other)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verify({ ...signed(), [GOV_HEADERS.signature]: 'abc' })).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(
      verify({ ...signed(), [GOV_HEADERS.signature]: signed()[GOV_HEADERS.signature].toUpperCase() }),
    ).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });

  it('refuses requests older or newer than 5 minutes', () => {
    expect(verify(signed({ now: NOW - REPLAY_WINDOW_MS - 1 }))).toEqual({ ok: false, reason: 'STALE' });
    expect(verify(signed({ now: NOW - 3_600_000 }))).toEqual({ ok: false, reason: 'STALE' });
    expect(verify(signed({ now: NOW + REPLAY_WINDOW_MS + 1 }))).toEqual({ ok: false, reason: 'STALE' });
    // Seconds instead of milliseconds is a sender bug: it reads as 1970 and is refused, not silently accepted.
    const seconds = signRequest({
      ...APP,
      method: 'POST',
      path: PATH,
      body: BODY,
      now: Math.floor(NOW / 1000),
    });
    expect(verify(seconds)).toEqual({ ok: false, reason: 'STALE' });
  });

  it('refuses a replayed nonce, but only after the signature is proven', () => {
    const nonces = createNonceCache(REPLAY_WINDOW_MS, () => NOW);
    const h = signed();
    expect(verify(h, { seenNonce: nonces.seen })).toEqual({ ok: true });
    expect(verify(h, { seenNonce: nonces.seen })).toEqual({ ok: false, reason: 'REPLAYED' });

    // A forged request carrying a fresh nonce must not use it up for the genuine sender.
    const genuine = signed();
    const forged = { ...genuine, [GOV_HEADERS.signature]: '0'.repeat(64) };
    expect(verify(forged, { seenNonce: nonces.seen })).toEqual({ ok: false, reason: 'BAD_SIGNATURE' });
    expect(verify(genuine, { seenNonce: nonces.seen })).toEqual({ ok: true });
  });

  it('forgets nonces only after a request using them could no longer be fresh', () => {
    let clock = NOW;
    const nonces = createNonceCache(REPLAY_WINDOW_MS, () => clock);
    expect(nonces.seen('nonce-aaaaaaaaaaaaaaaa')).toBe(false);
    clock += 2 * REPLAY_WINDOW_MS - 1;
    expect(nonces.seen('nonce-aaaaaaaaaaaaaaaa')).toBe(true);
    clock += 2 * REPLAY_WINDOW_MS + 1;
    expect(nonces.seen('nonce-bbbbbbbbbbbbbbbb')).toBe(false);
    expect(nonces.size).toBe(1);
  });

  it('refuses missing, repeated or malformed headers and the wrong app', () => {
    for (const name of Object.values(GOV_HEADERS)) {
      const h: Record<string, string | undefined> = { ...signed() };
      delete h[name];
      expect(verify(h), name).toEqual({ ok: false, reason: 'MISSING_HEADERS' });
    }
    const repeated = {
      ...signed(),
      [GOV_HEADERS.nonce]: ['nonce-aaaaaaaaaaaaaaaa', 'nonce-bbbbbbbbbbbbbbbb'],
    };
    expect(
      verifySignature({
        headers: repeated,
        method: 'POST',
        path: PATH,
        rawBody: BODY,
        ...APP,
        expectedAppId: APP.appId,
        now: NOW,
        seenNonce: () => false,
      }),
    ).toEqual({
      ok: false,
      reason: 'MISSING_HEADERS',
    });
    expect(verify({ ...signed(), [GOV_HEADERS.timestamp]: 'yesterday' })).toEqual({
      ok: false,
      reason: 'MISSING_HEADERS',
    });
    expect(verify(signed({ nonce: 'short' }))).toEqual({ ok: false, reason: 'MISSING_HEADERS' });
    expect(verify(signed(), { expectedAppId: 'another-app' })).toEqual({ ok: false, reason: 'WRONG_APP' });
  });

  it('has an async variant for a nonce store in the database', async () => {
    const seen = new Set<string>();
    const seenNonce = async (n: string) => {
      if (seen.has(n)) return true;
      seen.add(n);
      return false;
    };
    const h = signed();
    const params = {
      headers: h,
      method: 'POST',
      path: PATH,
      rawBody: BODY,
      appSecret: APP.appSecret,
      expectedAppId: APP.appId,
      now: NOW,
      seenNonce,
    };
    expect(await verifySignatureAsync(params)).toEqual({ ok: true });
    expect(await verifySignatureAsync(params)).toEqual({ ok: false, reason: 'REPLAYED' });
    expect(await verifySignatureAsync({ ...params, rawBody: `${BODY} ` })).toEqual({
      ok: false,
      reason: 'BAD_SIGNATURE',
    });
  });
});
