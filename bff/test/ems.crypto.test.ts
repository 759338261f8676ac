import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_EMS_SIGN_KEY } from '../src/config';
import { EmsCryptoError, openLogitcs, sealLogitcs } from '../src/integrations/ems/crypto';
import { formatEmsTime, parseEmsTime } from '../src/integrations/ems/time';

const KEY = DEMO_EMS_SIGN_KEY;
const OTHER_KEY = Buffer.from('0123456789abcdef').toString('base64');
const JSON_TEXT = '{"waybillNo":"1100000000012"}';
// Computed once and checked against `openssl enc -sm4-ecb -K <hex key> -a` over json + signKey.
const SEALED = '|$4|L8fSQFey1zw28KX5TAagUlqv6ZIyQkma04ak3hpt343e+pYbjzI7JK4IAZCeHP96jQfye3Y+J6MJKOOKVXMwow==';

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(EmsCryptoError);
    return (err as EmsCryptoError).code;
  }
  throw new Error('expected an EmsCryptoError');
}

/** Flips one bit of the ciphertext byte at `index` (negative counts from the end). */
function tamper(sealed: string, index: number): string {
  const bytes = Buffer.from(sealed.slice(4), 'base64');
  const i = index < 0 ? bytes.length + index : index;
  bytes[i] = bytes[i]! ^ 0x01;
  return `|$4|${bytes.toString('base64')}`;
}

describe('logitcsInterface envelope (SM4-ECB)', () => {
  it("uses Node's SM4 as specified by GB/T 32907 (standard test vector)", () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    const cipher = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    const out = Buffer.concat([cipher.update(key), cipher.final()]);
    expect(out.toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('seals json + signKey to the known vector and opens it again', () => {
    expect(sealLogitcs(JSON_TEXT, KEY)).toBe(SEALED);
    expect(openLogitcs(SEALED, KEY)).toBe(JSON_TEXT);
  });

  it('round-trips Chinese text and block-sized plaintexts', () => {
    for (const text of ['[{"name":"张三","address":"南京市玄武区北京东路41号"}]', 'x'.repeat(8), '']) {
      expect(openLogitcs(sealLogitcs(text, KEY), KEY)).toBe(text);
    }
  });

  it('refuses a wrong key, a missing prefix, bad base64 and a bad signKey', () => {
    expect(['DECRYPT_FAILED', 'SIGN_KEY_MISMATCH']).toContain(failure(() => openLogitcs(SEALED, OTHER_KEY)));
    expect(failure(() => openLogitcs(SEALED.slice(4), KEY))).toBe('NO_PREFIX');
    expect(failure(() => openLogitcs('|$4|not*base64', KEY))).toBe('BAD_BASE64');
    expect(failure(() => openLogitcs('|$4|AAAA', KEY))).toBe('BAD_BASE64');
    expect(failure(() => sealLogitcs(JSON_TEXT, 'c2hvcnQ='))).toBe('BAD_KEY');
  });

  it('refuses a tampered ciphertext: in the last block, the signKey block and the JSON', () => {
    expect(['DECRYPT_FAILED', 'SIGN_KEY_MISMATCH']).toContain(
      failure(() => openLogitcs(tamper(SEALED, -1), KEY)),
    );
    expect(failure(() => openLogitcs(tamper(SEALED, -20), KEY))).toBe('SIGN_KEY_MISMATCH');
    // ECB garbles only the block touched; strict UTF-8 catches the JSON block turning to noise.
    expect(failure(() => openLogitcs(tamper(SEALED, 3), KEY))).toBe('BAD_UTF8');
  });

  it('refuses plaintext that does not end with the signKey', () => {
    const cipher = createCipheriv('sm4-ecb', Buffer.from(KEY, 'base64'), null);
    const sealed = `|$4|${Buffer.concat([cipher.update(JSON_TEXT), cipher.final()]).toString('base64')}`;
    expect(failure(() => openLogitcs(sealed, KEY))).toBe('SIGN_KEY_MISMATCH');
  });
});

describe('EMS times (Beijing, yyyy-MM-dd HH:mm:ss)', () => {
  it('formats and parses in UTC+8 whatever the process time zone', () => {
    const instant = new Date('2025-12-31T16:30:05Z');
    expect(formatEmsTime(instant)).toBe('2026-01-01 00:30:05');
    expect(parseEmsTime('2026-01-01 00:30:05').toISOString()).toBe('2025-12-31T16:30:05.000Z');
  });

  it.each(['2025-02-30 10:00:00', '2025-1-01 10:00:00', '2025-01-01T10:00:00', '2025-01-01 24:00:00', ''])(
    'refuses %j',
    (text) => {
      expect(() => parseEmsTime(text)).toThrow(RangeError);
    },
  );
});
