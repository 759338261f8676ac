import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Database, DatabaseOrTransaction } from '../../db/client';
import { refreshTokens } from '../../db/schema';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueRefreshToken(
  db: DatabaseOrTransaction,
  params: { userId: string; familyId?: string; ttlDays: number },
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.insert(refreshTokens).values({
    userId: params.userId,
    familyId: params.familyId ?? randomUUID(),
    tokenHash: hash(token),
    expiresAt: new Date(Date.now() + params.ttlDays * 86_400_000),
  });
  return token;
}

export type RotateResult =
  | { ok: true; userId: string; token: string }
  | { ok: false; reason: 'invalid' | 'reused' };

/**
 * Exchanges a refresh token for a new one in the same family. The claim is one conditional UPDATE, so two
 * concurrent refreshes with the same token cannot both win. A token that was already rotated is a replay:
 * the whole family is revoked (the legitimate holder signs in again).
 */
export async function rotateRefreshToken(
  db: Database,
  token: string,
  ttlDays: number,
): Promise<RotateResult> {
  const tokenHash = hash(token);
  const rotated = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(refreshTokens)
      .set({ rotatedAt: sql`now()` })
      .where(
        and(
          eq(refreshTokens.tokenHash, tokenHash),
          isNull(refreshTokens.rotatedAt),
          isNull(refreshTokens.revokedAt),
          gt(refreshTokens.expiresAt, sql`now()`),
        ),
      )
      .returning({ userId: refreshTokens.userId, familyId: refreshTokens.familyId });
    if (!claimed) return undefined;
    return { userId: claimed.userId, token: await issueRefreshToken(tx, { ...claimed, ttlDays }) };
  });
  if (rotated) return { ok: true, ...rotated };

  const [known] = await db
    .select({
      familyId: refreshTokens.familyId,
      rotatedAt: refreshTokens.rotatedAt,
      revokedAt: refreshTokens.revokedAt,
    })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, tokenHash));
  if (known?.rotatedAt && !known.revokedAt) {
    await revokeFamily(db, known.familyId);
    return { ok: false, reason: 'reused' };
  }
  return { ok: false, reason: 'invalid' };
}

async function revokeFamily(db: DatabaseOrTransaction, familyId: string): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/** Sign-out: the token's whole family stops working. Unknown tokens are ignored (sign-out is idempotent). */
export async function revokeRefreshToken(db: Database, token: string): Promise<void> {
  const [known] = await db
    .select({ familyId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hash(token)));
  if (known) await revokeFamily(db, known.familyId);
}
