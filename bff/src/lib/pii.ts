import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Personal data at rest: AES-256-GCM with a random 96-bit IV. The associated data binds a ciphertext to its
 * row and column, so a value copied into another user's row does not decrypt.
 * Format: `v1.` + base64(iv | tag | ciphertext).
 */
export interface PiiCipher {
  encrypt(plain: string, context: string): string;
  decrypt(sealed: string, context: string): string;
}

export function createPiiCipher(key: Buffer): PiiCipher {
  if (key.length !== 32) throw new Error('PII key must be 32 bytes');
  return {
    encrypt(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64')}`;
    },
    decrypt(sealed, context) {
      if (!sealed.startsWith('v1.')) throw new Error('Unknown PII ciphertext version');
      const raw = Buffer.from(sealed.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
