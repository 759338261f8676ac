import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { eq } from 'drizzle-orm';
import { createGovSimulator } from '../simulators/gov/server';
import { DEMO_CREDENTIALS } from '../src/config';
import { openDatabase } from '../src/db/client';
import { cases, matters } from '../src/db/schema';
import { issueRefreshToken } from '../src/features/auth/tokens';
import { bindAtWindow, createBatch } from '../src/features/bags/bags';
import { formatBagCode } from '../src/features/bags/codes';
import { openCase } from '../src/features/cases/cases';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { upsertUserByOpenid } from '../src/features/me/users';
import { createGovClient } from '../src/integrations/gov/client';

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

const run = (opts: autocannon.Options) =>
  autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });

/**
 * bag.scan: GET /api/v1/bags/:code by the bag's owner (tag check, bag + batch + supplement + case in one query,
 * the drop-off outlets, pickup windows), 50 connections, against a BFF in its own process on PostgreSQL; bare
 * /healthz of the same process is the reference. 50 residents, each with a case in 补齐补正 and a bag the centre
 * window bound to it.
 */
export async function benchBagScan(databaseUrl: string) {
  const keys = {
    PII_KEY: randomBytes(32).toString('base64'),
    JWT_SECRET: randomBytes(32).toString('hex'),
    BAG_CODE_SECRET: randomBytes(24).toString('hex'),
  };
  const gov = createGovSimulator({ ...DEMO_CREDENTIALS.gov });
  const govUrl = await gov.listen({ host: '127.0.0.1', port: 0 });
  const handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
  await syncCatalogue(
    handle.db,
    createGovClient({ apiBase: govUrl, ...DEMO_CREDENTIALS.gov, timeoutMs: 10_000 }),
  );
  await gov.close();
  const [matter] = await handle.db.select().from(matters).where(eq(matters.doorPickup, true)).limit(1);
  const clerk = await upsertUserByOpenid(handle.db, { openid: 'bench-bag-clerk' });
  const { codes } = await createBatch(handle.db, {
    count: CONNECTIONS,
    validUntil: '2099-12-31',
    createdBy: clerk.id,
    secret: keys.BAG_CODE_SECRET,
    now: new Date(),
  });
  const scans: { code: string; token: string }[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const user = await upsertUserByOpenid(handle.db, { openid: `bench-bag-${i}` });
    const c = await openCase(handle.db, {
      userId: user.id,
      channel: 'door_visit',
      applicant: { kind: 'person' },
      matter: { code: matter!.code, name: matter!.name, promisedWorkingDays: matter!.promisedWorkingDays },
    });
    const projId = `BENCH${Date.now()}${String(i).padStart(3, '0')}`;
    await handle.db
      .update(cases)
      .set({
        projId,
        status: 'supplement_required',
        stage: '11',
        supplement: {
          items: [
            { name: '申请人居民身份证复印件', reason: '复印件字迹模糊，请补交清晰的材料' },
            { name: '本人社会保障卡或银行储蓄卡', reason: '未提交该材料，请补交' },
          ],
          requestedAt: new Date().toISOString(),
          deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
      })
      .where(eq(cases.id, c.id));
    await bindAtWindow(handle.db, { code: codes[i]!, caseNumber: projId, now: new Date() });
    const session = await issueRefreshToken(handle.db, { userId: user.id, ttlDays: 1 });
    scans.push({
      code: formatBagCode(codes[i]!),
      token: accessToken(keys.JWT_SECRET, user.id, session.familyId),
    });
  }
  await handle.close();

  const bff = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'bffProcess.ts')], {
    env: { ...process.env, ...keys, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(bff.stdout, 'data')) as [Buffer];
  const url = line.toString().trim();
  try {
    const health = await run({ url: `${url}/healthz` });
    let n = 0;
    const scan = await run({
      url,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            const s = scans[n++ % scans.length]!;
            return {
              ...req,
              path: `/api/v1/bags/${s.code}`,
              headers: { authorization: `Bearer ${s.token}` },
            };
          },
        },
      ],
    });
    return { health, scan };
  } finally {
    bff.kill('SIGTERM');
    await once(bff, 'exit');
  }
}
