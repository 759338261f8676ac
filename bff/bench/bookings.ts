import { randomBytes } from 'node:crypto';
import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import { and, eq } from 'drizzle-orm';
import { openDatabase } from '../src/db/client';
import { bookings, matters, users } from '../src/db/schema';
import { issueRefreshToken } from '../src/features/auth/tokens';
import { storeIdentity, upsertUserByOpenid } from '../src/features/me/users';
import { createPiiCipher } from '../src/lib/pii';
import { accessToken, CONNECTIONS, openWithCatalogue, run, withBff } from './residentBench';

/**
 * booking.create (POST /api/v1/bookings, JWT + validation + slotless booking with sealed PII + event, one
 * transaction) and booking.detail (GET /api/v1/bookings/:id), 50 connections each, against a BFF in its own
 * process on PostgreSQL; bare /healthz of the same process is the read reference.
 */
export async function benchBookings(databaseUrl: string) {
  const keys = { PII_KEY: randomBytes(32).toString('base64'), JWT_SECRET: randomBytes(32).toString('hex') };
  // Catalogue and real-named residents, prepared directly in the database.
  const handle = await openWithCatalogue(databaseUrl);
  // A person's matter: residents cannot book enterprise (法人) matters.
  const [matter] = await handle.db
    .select()
    .from(matters)
    .where(and(eq(matters.doorPickup, true), eq(matters.applicantType, 'person')))
    .orderBy(matters.position)
    .limit(1);
  const pii = createPiiCipher(Buffer.from(keys.PII_KEY, 'base64'));
  const tokens: string[] = [];
  const tokenOf = new Map<string, string>();
  for (let i = 0; i < CONNECTIONS; i++) {
    const user = await upsertUserByOpenid(handle.db, { openid: `bench-${i}` });
    await handle.db
      .update(users)
      .set({ consentVersion: PRIVACY_GUIDE_VERSION, consentAt: new Date() })
      .where(eq(users.id, user.id));
    await storeIdentity(handle.db, pii, { userId: user.id, name: '张三', idNumber: '11010519491231002X' });
    const session = await issueRefreshToken(handle.db, { userId: user.id, ttlDays: 1 });
    tokens.push(accessToken(keys.JWT_SECRET, user.id, session.familyId));
    tokenOf.set(user.id, tokens[i]!);
  }
  await handle.close();

  return withBff(
    { ...keys, DATABASE_URL: databaseUrl },
    async (url) => {
      const health = await run({ url: `${url}/healthz` });
      const body = JSON.stringify({
        matterCode: matter!.code,
        address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
        contact: { name: '张三', phone: '13800138000' },
        window: { kind: 'asap' },
      });
      let n = 0;
      const create = await run({
        url: `${url}/api/v1/bookings`,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const i = n++;
              return {
                ...req,
                headers: {
                  'content-type': 'application/json',
                  authorization: `Bearer ${tokens[i % tokens.length]}`,
                  'idempotency-key': `bench-${i}-${Date.now()}`,
                },
                body,
              };
            },
          },
        ],
      });
      // Each booking is read by its owner.
      const reader = await openDatabase({ databaseUrl, dataDir: 'memory://' });
      const sample = await reader.db
        .select({ id: bookings.id, userId: bookings.userId })
        .from(bookings)
        .limit(500);
      await reader.close();
      const ids = sample.map((b) => b.id);
      const owners = new Map(sample.map((b) => [b.id, tokenOf.get(b.userId)]));
      let m = 0;
      const detail = await run({
        url,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => {
              const id = ids[m++ % ids.length]!;
              return {
                ...req,
                path: `/api/v1/bookings/${id}`,
                headers: { authorization: `Bearer ${owners.get(id)}` },
              };
            },
          },
        ],
      });
      return { health, create, detail };
    },
    { profile: true },
  );
}
