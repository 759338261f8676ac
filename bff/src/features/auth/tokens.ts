import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '@zyt/shared';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { type Database, type DatabaseOrTransaction, preparedStatement } from '../../db/client';
import { refreshTokens, users } from '../../db/schema';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueRefreshToken(
  db: DatabaseOrTransaction,
  params: { userId: string; familyId?: string; ttlDays: number },
): Promise<{ token: string; familyId: string }> {
  const token = randomBytes(32).toString('base64url');
  const familyId = params.familyId ?? randomUUID();
  await db.insert(refreshTokens).values({
    userId: params.userId,
    familyId,
    tokenHash: hash(token),
    expiresAt: new Date(Date.now() + params.ttlDays * 86_400_000),
  });
  return { token, familyId };
}

export type RotateResult =
  | { ok: true; userId: string; token: string; familyId: string }
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
    return { userId: claimed.userId, ...(await issueRefreshToken(tx, { ...claimed, ttlDays })) };
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

/**
 * A signed-in session as it stands: active while its family has a token that is neither revoked nor expired;
 * the user's roles now. Undefined when the user is gone. One indexed query (staff routes ask on every request).
 */
const sessionStatement = preparedStatement((db) =>
  db
    .select({
      roles: users.roles,
      // Written out: drizzle leaves columns unqualified inside sql``, and "id" would bind to refresh_tokens.
      active: sql<boolean>`exists (
        select 1 from refresh_tokens rt
        where rt.family_id = ${sql.placeholder('sessionId')} and rt.user_id = "users"."id"
          and rt.revoked_at is null and rt.expires_at > now())`,
    })
    .from(users)
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare('session_state'),
);

export async function sessionState(
  db: Database,
  params: { userId: string; sessionId: string },
): Promise<{ active: boolean; roles: Role[] } | undefined> {
  const [row] = await sessionStatement(db).execute(params);
  return row ? { active: Boolean(row.active), roles: row.roles as Role[] } : undefined;
}
