import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import autocannon from 'autocannon';
import { and, eq } from 'drizzle-orm';
import { createGovSimulator } from '../simulators/gov/server';
import { DEMO_CREDENTIALS } from '../src/config';
import { openDatabase } from '../src/db/client';
import { bookings, matters, users } from '../src/db/schema';
import { issueRefreshToken } from '../src/features/auth/tokens';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { storeIdentity, upsertUserByOpenid } from '../src/features/me/users';
import { createGovClient } from '../src/integrations/gov/client';
import { createPiiCipher } from '../src/lib/pii';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONNECTIONS = 50;
const SECONDS = 10;

/** An HS256 access token, as the BFF signs them (sid: the sign-in session it belongs to). */
function accessToken(secret: string, sub: string, sid: string) {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub, roles: ['resident'], sid, iat: now, exp: now + 3600 })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
}

/**
 * booking.create (POST /api/v1/bookings, JWT + validation + slotless booking with sealed PII + event, one
 * transaction) and booking.detail (GET /api/v1/bookings/:id), 50 connections each, against a BFF in its own
 * process on PostgreSQL; bare /healthz of the same process is the read reference.
 */
export async function benchBookings(databaseUrl: string) {
  const keys = { PII_KEY: randomBytes(32).toString('base64'), JWT_SECRET: randomBytes(32).toString('hex') };
  // Catalogue and real-named residents, prepared directly in the database.
  const gov = createGovSimulator({ ...DEMO_CREDENTIALS.gov });
  const govUrl = await gov.listen({ host: '127.0.0.1', port: 0 });
  const handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
  await syncCatalogue(
    handle.db,
    createGovClient({ apiBase: govUrl, ...DEMO_CREDENTIALS.gov, timeoutMs: 10_000 }),
  );
  await gov.close();
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

  // BENCH_CPU_PROFILE=dir writes a V8 CPU profile of the BFF process there (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const bff = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(here, 'bffProcess.ts')], {
    env: { ...process.env, ...keys, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(bff.stdout, 'data')) as [Buffer];
  const url = line.toString().trim();
  try {
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
  } finally {
    bff.kill('SIGTERM');
    await once(bff, 'exit');
  }
}
