import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';

/**
 * The `logitcsInterface` envelope (sic, EMS's spelling): `"|$4|" + base64(SM4-ECB-PKCS5(json + signKey))`,
 * where signKey is the base64 key string EMS issued and the SM4 key is its 16 decoded bytes. The same
 * envelope carries our requests and EMS's tracking pushes.
 *
 * ECB with a known suffix is not real integrity protection: the signKey check only vouches for the last
 * blocks. Together with strict UTF-8 and JSON parsing it does reject a wrong key and corrupted text.
 */
export const LOGITCS_PREFIX = '|$4|';

export type EmsCryptoFailure =
  | 'BAD_KEY'
  | 'NO_PREFIX'
  | 'BAD_BASE64'
  | 'DECRYPT_FAILED'
  | 'SIGN_KEY_MISMATCH'
  | 'BAD_UTF8';

export class EmsCryptoError extends Error {
  constructor(
    readonly code: EmsCryptoFailure,
    message: string,
  ) {
    super(message);
    this.name = 'EmsCryptoError';
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function sm4Key(signKey: string): Buffer {
  const key = BASE64.test(signKey) ? Buffer.from(signKey, 'base64') : Buffer.alloc(0);
  if (key.length !== 16) {
    throw new EmsCryptoError('BAD_KEY', 'signKey must be the base64 string of a 16-byte SM4 key');
  }
  return key;
}

export function sealLogitcs(json: string, signKey: string): string {
  const cipher = createCipheriv('sm4-ecb', sm4Key(signKey), null);
  const sealed = Buffer.concat([cipher.update(json + signKey, 'utf8'), cipher.final()]);
  return LOGITCS_PREFIX + sealed.toString('base64');
}

export function openLogitcs(sealed: string, signKey: string): string {
  const key = sm4Key(signKey);
  if (!sealed.startsWith(LOGITCS_PREFIX)) {
    throw new EmsCryptoError('NO_PREFIX', `logitcsInterface must start with "${LOGITCS_PREFIX}"`);
  }
  const b64 = sealed.slice(LOGITCS_PREFIX.length);
  const bytes = BASE64.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
  if (bytes.length === 0 || bytes.length % 16 !== 0) {
    throw new EmsCryptoError('BAD_BASE64', 'ciphertext is not base64 of whole SM4 blocks');
  }

  let plain: Buffer;
  try {
    const decipher = createDecipheriv('sm4-ecb', key, null);
    plain = Buffer.concat([decipher.update(bytes), decipher.final()]);
  } catch {
    throw new EmsCryptoError(
      'DECRYPT_FAILED',
      'SM4 decryption failed (bad padding): wrong signKey or corrupted ciphertext',
    );
  }

  const suffix = Buffer.from(signKey, 'utf8');
  if (
    plain.length < suffix.length ||
    !timingSafeEqual(plain.subarray(plain.length - suffix.length), suffix)
  ) {
    throw new EmsCryptoError(
      'SIGN_KEY_MISMATCH',
      'plaintext does not end with the signKey: wrong signKey or corrupted ciphertext',
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain.subarray(0, plain.length - suffix.length));
  } catch {
    throw new EmsCryptoError('BAD_UTF8', 'plaintext is not UTF-8: corrupted ciphertext');
  }
}
