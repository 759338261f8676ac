import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Bag codes (袋码): 8 random characters and a 4-character keyed tag (HMAC-SHA256 under BAG_CODE_SECRET, 20
 * bits), in Crockford base32 without I L O U, printed as XXXX-XXXX-XXXX. A mistyped or forged code fails the tag
 * check before any database lookup; guessing a valid one takes about a million tries, which the scan rate
 * limit makes impractical. Written here because it is a few lines over node:crypto.
 */
export const BAG_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 8;
const TAG_LENGTH = 4;
export const BAG_CODE_LENGTH = BODY_LENGTH + TAG_LENGTH;

function base32(bytes: Buffer, length: number): string {
  // Enough bits for `length` characters, read 5 at a time from the front.
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  const total = bytes.length * 8;
  let out = '';
  for (let i = 0; i < length; i++) {
    const shift = BigInt(total - 5 * (i + 1));
    out += BAG_ALPHABET[Number((bits >> shift) & 31n)];
  }
  return out;
}

function tagOf(secret: string, body: string): string {
  return base32(createHmac('sha256', secret).update(`bag:${body}`).digest().subarray(0, 4), TAG_LENGTH);
}

/** A new code (canonical: 12 characters, no dashes). */
export function newBagCode(secret: string): string {
  const body = base32(randomBytes(5), BODY_LENGTH);
  return body + tagOf(secret, body);
}

/** XXXX-XXXX-XXXX */
export const formatBagCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;

export type ParsedBagCode = { ok: true; code: string } | { ok: false };

/**
 * Reads what a person typed or a camera scanned: a code in any case with spaces or dashes, or the whole label
 * URL (`…/b/<code>`, possibly with a query). Crockford's look-alikes are read as meant (O → 0, I and L → 1).
 * The tag must match.
 */
export function parseBagCode(input: string, secret: string): ParsedBagCode {
  let raw = input.trim();
  const at = raw.lastIndexOf('/b/');
  if (at >= 0) raw = raw.slice(at + 3).split(/[?#/]/)[0] ?? '';
  const code = raw.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (code.length !== BAG_CODE_LENGTH || ![...code].every((ch) => BAG_ALPHABET.includes(ch)))
    return { ok: false };
  const expected = Buffer.from(tagOf(secret, code.slice(0, BODY_LENGTH)));
  const given = Buffer.from(code.slice(BODY_LENGTH));
  return timingSafeEqual(expected, given) ? { ok: true, code } : { ok: false };
}

/** The URL a label's QR holds: an ordinary link the WeChat camera opens in the mini-program. */
export const bagUrl = (urlBase: string, code: string) =>
  `${urlBase.replace(/\/+$/, '')}/b/${formatBagCode(code)}`;
