import type { MeResponse, TokenResponse } from '@zyt/shared';
import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import { request } from './taro-mock';

/** One request as the fake BFF sees it. */
export interface FakeRequest {
  method: string;
  path: string;
  body: unknown;
  token: string | undefined;
}
export type FakeReply = { status: number; data?: unknown } | 'offline';

const BASE = 'https://bff.test';

/**
 * Routes Taro.request to `handler`, which answers like the BFF would (status + JSON body) or 'offline' to
 * simulate a network failure. Returns the log of requests received.
 */
export function fakeBff(handler: (req: FakeRequest) => FakeReply | Promise<FakeReply>): FakeRequest[] {
  const log: FakeRequest[] = [];
  request.mockImplementation(
    async (options: { url: string; method?: string; data?: unknown; header?: Record<string, string> }) => {
      if (!options.url.startsWith(BASE)) throw new Error(`request outside the API base URL: ${options.url}`);
      const req: FakeRequest = {
        method: options.method ?? 'GET',
        path: options.url.slice(BASE.length),
        body: options.data,
        token: options.header?.Authorization?.replace(/^Bearer /, ''),
      };
      log.push(req);
      // Yield first, so parallel requests really overlap.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const reply = await handler(req);
      if (reply === 'offline') throw { errMsg: 'request:fail' };
      return { statusCode: reply.status, data: reply.data ?? null, header: {} };
    },
  );
  return log;
}

export const apiError = (
  status: number,
  code: string,
  message: string,
  details?: { field: string; message: string }[],
) => ({
  status,
  data: { error: { code, message, ...(details ? { details } : {}) } },
});

export function user(overrides: Partial<MeResponse> = {}): MeResponse {
  return {
    id: 'u-1',
    roles: ['resident'],
    consent: { version: PRIVACY_GUIDE_VERSION, agreedAt: '2026-11-02T01:30:00.000Z' },
    privacyGuideVersion: PRIVACY_GUIDE_VERSION,
    identity: null,
    ...overrides,
  };
}

export function tokens(n: number, me: MeResponse = user()): TokenResponse {
  return { accessToken: `access-${n}`, refreshToken: `refresh-token-number-${n}`, expiresIn: 900, user: me };
}
