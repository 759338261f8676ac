import { AppError } from './errors';

const IDEMPOTENCY_KEY = /^[\w-]{8,64}$/;

/** The client's Idempotency-Key for a create, so a retry never makes two (400 without a usable one). */
export function idempotencyKeyOf(headers: Record<string, unknown>): string {
  const key = headers['idempotency-key'];
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key))
    throw new AppError(400, 'IDEMPOTENCY_KEY_REQUIRED');
  return key;
}
