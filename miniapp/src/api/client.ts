import Taro from '@tarojs/taro';
import type { TokenResponse } from '@zyt/shared';
import { goToLogin } from '@/navigation';
import { ApiError, errorCodeOf, messageForCode, networkError, toApiError } from './errors';
import { clearSession, getSession, saveTokens } from './session';

/**
 * The one request wrapper: JSON to and from the BFF, Bearer token, transparent refresh of an expired access
 * token, and typed errors (ApiError) for everything that is not a 2xx.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  path: string;
  data?: unknown;
  /** Send the access token and refresh it when it expired (default true). */
  auth?: boolean;
}

interface RawResponse {
  status: number;
  data: unknown;
}

const TIMEOUT_MS = 15_000;

async function send(method: Method, path: string, data: unknown, token?: string): Promise<RawResponse> {
  const header: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token) header.Authorization = `Bearer ${token}`;
  try {
    const res = await Taro.request({
      url: `${API_BASE_URL}${path}`,
      method,
      data: data as Taro.request.Option['data'],
      header,
      dataType: 'json',
      timeout: TIMEOUT_MS,
    });
    return { status: res.statusCode, data: res.data };
  } catch {
    throw networkError();
  }
}

// One refresh at a time: parallel requests that all hit TOKEN_EXPIRED wait for the same refresh.
let refreshing: Promise<string> | null = null;

/** The session is over (refresh refused, token rejected): forget it and ask the person to sign in again. */
function endSession(): void {
  clearSession();
  goToLogin();
}

async function refresh(refreshToken: string): Promise<string> {
  const res = await send('POST', '/api/v1/auth/refresh', { refreshToken });
  if (res.status === 200) return saveTokens(res.data as TokenResponse).accessToken;
  // A refused refresh token (invalid, reused) ends the session; a server or network failure keeps it.
  if (res.status >= 400 && res.status < 500) endSession();
  throw toApiError(res.status, res.data);
}

/** A fresh access token to replace `expired`. */
function renewAccessToken(expired: string): Promise<string> {
  const session = getSession();
  if (!session) {
    goToLogin();
    return Promise.reject(new ApiError('UNAUTHENTICATED', messageForCode('UNAUTHENTICATED'), 401));
  }
  // Another request already refreshed while this one was in flight.
  if (session.accessToken !== expired) return Promise.resolve(session.accessToken);
  refreshing ??= refresh(session.refreshToken).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

export async function request<T>({ method = 'GET', path, data, auth = true }: RequestOptions): Promise<T> {
  const token = auth ? getSession()?.accessToken : undefined;
  let res = await send(method, path, data, token);
  if (token && res.status === 401 && errorCodeOf(res.data) === 'TOKEN_EXPIRED') {
    // Retried once with the new token; a second 401 is reported, not refreshed again.
    res = await send(method, path, data, await renewAccessToken(token));
  }
  if (res.status >= 200 && res.status < 300) return (res.status === 204 ? undefined : res.data) as T;
  if (token && res.status === 401) endSession();
  throw toApiError(res.status, res.data);
}
