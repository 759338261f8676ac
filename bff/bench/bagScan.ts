import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { cases, matters } from '../src/db/schema';
import { issueRefreshToken } from '../src/features/auth/tokens';
import { bindAtWindow, createBatch } from '../src/features/bags/bags';
import { formatBagCode } from '../src/features/bags/codes';
import { openCase } from '../src/features/cases/cases';
import { upsertUserByOpenid } from '../src/features/me/users';
import { accessToken, CONNECTIONS, openWithCatalogue, run, withBff } from './residentBench';

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
  const handle = await openWithCatalogue(databaseUrl);
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

  return withBff({ ...keys, DATABASE_URL: databaseUrl }, async (url) => {
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
  });
}
