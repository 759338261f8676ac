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
  /** Extra headers, e.g. Idempotency-Key. */
  headers?: Record<string, string>;
  /** Answer as text (e.g. an SVG document) instead of JSON; errors are still read as JSON. */
  text?: boolean;
}

interface RawResponse {
  status: number;
  data: unknown;
}

const TIMEOUT_MS = 15_000;
const UPLOAD_TIMEOUT_MS = 60_000;

async function send(
  method: Method,
  path: string,
  data: unknown,
  token?: string,
  headers?: Record<string, string>,
  text = false,
): Promise<RawResponse> {
  const header: Record<string, string> = { ...headers, 'Content-Type': 'application/json' };
  if (token) header.Authorization = `Bearer ${token}`;
  try {
    const res = await Taro.request({
      url: `${API_BASE_URL}${path}`,
      method,
      data: data as Taro.request.Option['data'],
      header,
      dataType: text ? 'text' : 'json',
      ...(text ? { responseType: 'text' as const } : {}),
      timeout: TIMEOUT_MS,
    });
    return { status: res.statusCode, data: text && res.statusCode >= 300 ? parsed(res.data) : res.data };
  } catch {
    throw networkError();
  }
}

/** A text answer that may be a JSON error body. */
function parsed(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
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

/** Sends with the access token; an expired one is refreshed and the call retried once with the new one. */
async function withToken(auth: boolean, call: (token?: string) => Promise<RawResponse>): Promise<unknown> {
  const token = auth ? getSession()?.accessToken : undefined;
  let res = await call(token);
  if (token && res.status === 401 && errorCodeOf(res.data) === 'TOKEN_EXPIRED') {
    // Retried once with the new token; a second 401 is reported, not refreshed again.
    res = await call(await renewAccessToken(token));
  }
  if (res.status >= 200 && res.status < 300) return res.status === 204 ? undefined : res.data;
  if (token && res.status === 401) endSession();
  throw toApiError(res.status, res.data);
}

export async function request<T>({
  method = 'GET',
  path,
  data,
  auth = true,
  headers,
  text,
}: RequestOptions): Promise<T> {
  return (await withToken(auth, (token) => send(method, path, data, token, headers, text))) as T;
}

/** Uploads a local file (a chosen photo) as multipart form field `name`; the answer is JSON like request's. */
export async function upload<T>({ path, filePath, name }: { path: string; filePath: string; name: string }) {
  return (await withToken(true, async (token) => {
    try {
      const res = await Taro.uploadFile({
        url: `${API_BASE_URL}${path}`,
        filePath,
        name,
        header: token ? { Authorization: `Bearer ${token}` } : {},
        timeout: UPLOAD_TIMEOUT_MS,
      });
      // uploadFile hands the body over as text.
      let body: unknown = res.data;
      try {
        body = JSON.parse(res.data);
      } catch {
        // not JSON: kept as text, read as an error by status
      }
      return { status: res.statusCode, data: body };
    } catch {
      throw networkError();
    }
  })) as T;
}

/**
 * Downloads a file the BFF streams (an export) to a local temporary path with the access token: a file path in
 * WeChat, a blob: URL in H5. An error answer is reported by its status (its JSON body is in the file).
 */
export async function download({ path }: { path: string }): Promise<string> {
  return (await withToken(true, async (token) => {
    try {
      const res = await Taro.downloadFile({
        url: `${API_BASE_URL}${path}`,
        header: token ? { Authorization: `Bearer ${token}` } : {},
        // H5: a bearer token, no cookies (and no credentialed CORS).
        withCredentials: false,
      } as Taro.downloadFile.Option);
      return { status: res.statusCode, data: res.statusCode === 200 ? res.tempFilePath : undefined };
    } catch {
      throw networkError();
    }
  })) as string;
}
