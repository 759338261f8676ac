import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Request signing of the government platform binding (一体化政务服务平台), used in both directions: our calls to
 * the platform and the platform's callbacks to us (`POST /api/v1/hooks/gov/cases`).
 *
 *   x-gov-app-id     our application id at the platform
 *   x-gov-timestamp  Unix time in MILLISECONDS, decimal (13 digits today)
 *   x-gov-nonce      16–64 chars of [A-Za-z0-9_-], fresh per request
 *   x-gov-signature  lowercase hex HMAC-SHA256(appSecret,
 *                      METHOD + "\n" + path-with-query + "\n" + timestamp + "\n" + nonce + "\n" + rawBody)
 *
 * The path is exactly what goes on the request line (`/gov/v1/catalogue?limit=50`), the body is the exact
 * bytes sent (empty for GET). A request is accepted while its timestamp is within 5 minutes either side of
 * the receiver's clock, and a nonce is refused if seen before within that window, so a captured request
 * cannot be replayed.
 *
 * A receiver must verify the bytes as they arrived, before parsing: in Fastify, give the hook route a
 * content-type parser with `parseAs: 'string'` (or 'buffer') and JSON.parse after verifySignature says ok.
 */
export const GOV_HEADERS = {
  appId: 'x-gov-app-id',
  timestamp: 'x-gov-timestamp',
  nonce: 'x-gov-nonce',
  signature: 'x-gov-signature',
} as const;

export const REPLAY_WINDOW_MS = 5 * 60_000;

export type GovSignedHeaders = Record<(typeof GOV_HEADERS)[keyof typeof GOV_HEADERS], string>;

export type VerifyFailure = 'MISSING_HEADERS' | 'WRONG_APP' | 'STALE' | 'BAD_SIGNATURE' | 'REPLAYED';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

const NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;
const TIMESTAMP_RE = /^\d{1,16}$/;
const SIGNATURE_RE = /^[0-9a-f]{64}$/;

function hmac(
  appSecret: string,
  method: string,
  path: string,
  timestamp: string,
  nonce: string,
  body: string | Buffer,
): Buffer {
  return createHmac('sha256', appSecret)
    .update(`${method.toUpperCase()}\n${path}\n${timestamp}\n${nonce}\n`, 'utf8')
    .update(body)
    .digest();
}

export interface SignParams {
  appId: string;
  appSecret: string;
  method: string;
  /** Path with query, as on the request line. */
  path: string;
  /** The exact body that will be sent; '' or omitted for none. */
  body?: string | Buffer;
  /** Unix ms; defaults to now. */
  now?: number;
  nonce?: string;
}

export function signRequest(p: SignParams): GovSignedHeaders {
  const timestamp = String(p.now ?? Date.now());
  const nonce = p.nonce ?? randomBytes(16).toString('hex');
  return {
    [GOV_HEADERS.appId]: p.appId,
    [GOV_HEADERS.timestamp]: timestamp,
    [GOV_HEADERS.nonce]: nonce,
    [GOV_HEADERS.signature]: hmac(p.appSecret, p.method, p.path, timestamp, nonce, p.body ?? '').toString(
      'hex',
    ),
  };
}

/** Node's IncomingHttpHeaders (lower-case keys) or a fetch `Headers`. */
export type HeaderSource = Record<string, string | string[] | undefined> | Headers;

export interface VerifyParams<Seen> {
  headers: HeaderSource;
  method: string;
  path: string;
  rawBody: string | Buffer;
  appSecret: string;
  expectedAppId: string;
  /** Unix ms. */
  now: number;
  /**
   * True when this nonce was already used within the window; it must also remember it. Asked only after the
   * signature is proven, so forged requests cannot burn nonces.
   */
  seenNonce: (nonce: string) => Seen;
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  // A repeated signing header is ambiguous: refuse rather than pick one.
  return typeof value === 'string' ? value : undefined;
}

/** Everything but the nonce check, shared by the sync and async verifiers. */
function checkSigned(
  p: VerifyParams<unknown>,
): { ok: false; reason: VerifyFailure } | { ok: true; nonce: string } {
  const appId = header(p.headers, GOV_HEADERS.appId);
  const timestamp = header(p.headers, GOV_HEADERS.timestamp);
  const nonce = header(p.headers, GOV_HEADERS.nonce);
  const signature = header(p.headers, GOV_HEADERS.signature);
  if (
    !appId ||
    !timestamp ||
    !nonce ||
    !signature ||
    !TIMESTAMP_RE.test(timestamp) ||
    !NONCE_RE.test(nonce)
  ) {
    return { ok: false, reason: 'MISSING_HEADERS' };
  }
  if (appId !== p.expectedAppId) return { ok: false, reason: 'WRONG_APP' };
  // Future-dated requests are as suspect as old ones (a sender with a fast clock could mint replayable requests).
  if (Math.abs(p.now - Number(timestamp)) > REPLAY_WINDOW_MS) return { ok: false, reason: 'STALE' };
  if (!SIGNATURE_RE.test(signature)) return { ok: false, reason: 'BAD_SIGNATURE' };
  const expected = hmac(p.appSecret, p.method, p.path, timestamp, nonce, p.rawBody);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    return { ok: false, reason: 'BAD_SIGNATURE' };
  return { ok: true, nonce };
}

export function verifySignature(p: VerifyParams<boolean>): VerifyResult {
  const checked = checkSigned(p);
  if (!checked.ok) return checked;
  return p.seenNonce(checked.nonce) ? { ok: false, reason: 'REPLAYED' } : { ok: true };
}

/** Same as verifySignature for a nonce store that answers asynchronously (PostgreSQL when the BFF runs on N instances). */
export async function verifySignatureAsync(
  p: VerifyParams<boolean | Promise<boolean>>,
): Promise<VerifyResult> {
  const checked = checkSigned(p);
  if (!checked.ok) return checked;
  return (await p.seenNonce(checked.nonce)) ? { ok: false, reason: 'REPLAYED' } : { ok: true };
}
