import { type MeResponse, maskIdNumber, maskName, PRIVACY_GUIDE_VERSION, type Role } from '@zyt/shared';
import { eq, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { type User, users } from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';

export async function upsertUserByOpenid(
  db: DatabaseOrTransaction,
  params: { openid: string; unionid?: string },
): Promise<User> {
  const [user] = await db
    .insert(users)
    .values({ openid: params.openid, unionid: params.unionid })
    .onConflictDoUpdate({
      target: users.openid,
      set: { unionid: sql`coalesce(excluded.unionid, ${users.unionid})`, updatedAt: sql`now()` },
    })
    .returning();
  return user!;
}

export async function getUserById(db: DatabaseOrTransaction, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

export async function recordConsent(
  db: DatabaseOrTransaction,
  params: { userId: string; version: string },
): Promise<User | undefined> {
  const [user] = await db
    .update(users)
    .set({ consentVersion: params.version, consentAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(users.id, params.userId))
    .returning();
  return user;
}

/** AAD for a sealed column: binds the ciphertext to this user and field. */
export const piiContext = (userId: string, field: 'name' | 'id_number' | 'phone') =>
  `users/${userId}/${field}`;

/** A real-named person as the platform knows people: name and 居民身份证 (card type 111), unsealed. */
export function identityCard(pii: PiiCipher, userId: string, nameSealed: string, idNumberSealed: string) {
  return {
    name: pii.decrypt(nameSealed, piiContext(userId, 'name')),
    cardType: '111' as const,
    cardNumber: pii.decrypt(idNumberSealed, piiContext(userId, 'id_number')),
  };
}

/** The user's real-name identity card, or 403 REAL_NAME_REQUIRED. */
export async function realNameIdentity(db: DatabaseOrTransaction, pii: PiiCipher, userId: string) {
  const [u] = await db.select().from(users).where(eq(users.id, userId));
  if (!u?.realNameAt || !u.nameSealed || !u.idNumberSealed) throw new AppError(403, 'REAL_NAME_REQUIRED');
  return identityCard(pii, u.id, u.nameSealed, u.idNumberSealed);
}

/** A staff member's 工号 and work phone (sealed), shown to the residents they visit. */
export async function storeStaffContact(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  params: { userId: string; staffNo: string; phone: string },
): Promise<User | undefined> {
  const [user] = await db
    .update(users)
    .set({
      staffNo: params.staffNo,
      phoneSealed: pii.encrypt(params.phone, piiContext(params.userId, 'phone')),
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, params.userId))
    .returning();
  return user;
}

export async function storeIdentity(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  params: { userId: string; name: string; idNumber: string },
): Promise<User | undefined> {
  const [user] = await db
    .update(users)
    .set({
      nameSealed: pii.encrypt(params.name, piiContext(params.userId, 'name')),
      idNumberSealed: pii.encrypt(params.idNumber, piiContext(params.userId, 'id_number')),
      realNameAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(users.id, params.userId))
    .returning();
  return user;
}

export async function setRoles(
  db: DatabaseOrTransaction,
  params: { userId: string; roles: Role[] },
): Promise<User | undefined> {
  const [user] = await db
    .update(users)
    .set({ roles: params.roles, updatedAt: sql`now()` })
    .where(eq(users.id, params.userId))
    .returning();
  return user;
}

/** What a user sees of themselves: personal data masked, never in the clear. */
export function toMe(user: User, pii: PiiCipher): MeResponse {
  const identity =
    user.nameSealed && user.idNumberSealed && user.realNameAt
      ? {
          name: maskName(pii.decrypt(user.nameSealed, piiContext(user.id, 'name'))),
          idNumber: maskIdNumber(pii.decrypt(user.idNumberSealed, piiContext(user.id, 'id_number'))),
          verifiedAt: user.realNameAt.toISOString(),
        }
      : null;
  return {
    id: user.id,
    roles: user.roles as Role[],
    consent:
      user.consentVersion && user.consentAt
        ? { version: user.consentVersion, agreedAt: user.consentAt.toISOString() }
        : null,
    privacyGuideVersion: PRIVACY_GUIDE_VERSION,
    identity,
  };
}
