import { randomBytes } from 'node:crypto';
import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import { count, eq, like } from 'drizzle-orm';
import { screenedRow, syntheticCreditCode } from '../simulators/gov/enterprises';
import { openDatabase } from '../src/db/client';
import {
  enterpriseMembers,
  enterprises,
  matters,
  subsidyConfirmations,
  subsidyRounds,
  subsidyScreened,
  users,
} from '../src/db/schema';
import { issueRefreshToken } from '../src/features/auth/tokens';
import { importRoundList } from '../src/features/enterprises/subsidies';
import { storeIdentity, upsertUserByOpenid } from '../src/features/me/users';
import { createPiiCipher } from '../src/lib/pii';
import { accessToken, CONNECTIONS, openWithCatalogue, run, withBff } from './residentBench';

/** A 免申即享 list as big as Huangpu's surge (30,000+ enterprises at once). */
export const IMPORT_ROWS = 30_000;
/** Rounds prepared for claims.confirm: one confirmation per enterprise and round, never run out in 10 s. */
const CONFIRM_ROUNDS = 400;

const deadline = () => new Date(Date.now() + 30 * 86_400_000);

async function newRound(
  db: Awaited<ReturnType<typeof openWithCatalogue>>['db'],
  matterCode: string,
  size: number,
  label: string,
) {
  const [round] = await db
    .insert(subsidyRounds)
    .values({
      platformRoundId: `bench-${label}-${randomBytes(4).toString('hex')}`,
      name: '2026年稳岗补贴区配套资助（免申即享）',
      rule: '按企业上年度获得稳岗补贴金额的50%给予配套资助',
      matterCode,
      deadline: deadline(),
      listSize: size,
      publishedAt: new Date(),
    })
    .returning();
  return round!;
}

/** claims.import: a 30,000-row screened list taken in one transaction (multi-row INSERTs), rows/s. */
export async function benchClaimsImport(databaseUrl: string) {
  const handle = await openWithCatalogue(databaseUrl);
  try {
    const [matter] = await handle.db.select().from(matters).where(like(matters.name, '稳岗补贴区配套资助%'));
    const round = await newRound(handle.db, matter!.code, IMPORT_ROWS, 'import');
    const rows = Array.from({ length: IMPORT_ROWS }, (_, i) =>
      screenedRow(
        syntheticCreditCode(7_000_000 + i),
        `黄埔区示例企业${i + 1}号`,
        100_000 + (i % 500) * 1_000,
      ),
    );
    const started = performance.now();
    const imported = await importRoundList(handle.db, round, rows);
    const seconds = (performance.now() - started) / 1000;
    const [stored] = await handle.db
      .select({ n: count() })
      .from(subsidyScreened)
      .where(eq(subsidyScreened.roundId, round.id));
    return { throughput: imported / seconds, seconds, check: { imported, stored: stored!.n } };
  } finally {
    await handle.close();
  }
}

/**
 * claims.confirm: POST /api/v1/enterprises/:code/subsidies/:round/confirm (JWT, binding check, list lookup,
 * validation, case + sealed confirmation + submission job in one transaction), 50 connections, 10 s, each
 * request a different enterprise-and-round pair, against a BFF in its own process on PostgreSQL.
 */
export async function benchClaimsConfirm(databaseUrl: string) {
  const keys = { PII_KEY: randomBytes(32).toString('base64'), JWT_SECRET: randomBytes(32).toString('hex') };
  const handle = await openWithCatalogue(databaseUrl);
  const pii = createPiiCipher(Buffer.from(keys.PII_KEY, 'base64'));
  const [matter] = await handle.db.select().from(matters).where(like(matters.name, '稳岗补贴区配套资助%'));
  const clerks: { token: string; code: string }[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const code = syntheticCreditCode(8_000_000 + i);
    const user = await upsertUserByOpenid(handle.db, { openid: `bench-clerk-${i}` });
    await handle.db
      .update(users)
      .set({ consentVersion: PRIVACY_GUIDE_VERSION, consentAt: new Date() })
      .where(eq(users.id, user.id));
    await storeIdentity(handle.db, pii, { userId: user.id, name: '王五', idNumber: '110105194912310038' });
    await handle.db
      .insert(enterprises)
      .values({
        creditCode: code,
        name: `黄埔区压测企业${i}号`,
        address: '广东省广州市黄埔区',
        legalRepresentativeMasked: '林*',
      })
      .onConflictDoNothing();
    await handle.db
      .insert(enterpriseMembers)
      .values({ creditCode: code, userId: user.id, role: 'admin', status: 'active' });
    const session = await issueRefreshToken(handle.db, { userId: user.id, ttlDays: 1 });
    clerks.push({ token: accessToken(keys.JWT_SECRET, user.id, session.familyId), code });
  }
  const rounds: string[] = [];
  for (let r = 0; r < CONFIRM_ROUNDS; r++) {
    const round = await newRound(handle.db, matter!.code, CONNECTIONS, `confirm${r}`);
    await importRoundList(
      handle.db,
      round,
      clerks.map((c, i) => screenedRow(c.code, `黄埔区压测企业${i}号`, 2_000_000)),
    );
    rounds.push(round.id);
  }
  await handle.close();

  const body = JSON.stringify({
    sizeClass: 'small',
    headcount: 48,
    bankName: '中国工商银行广州开发区支行',
    bankAccount: '3602001209200123456',
    contactPhone: '13800138000',
  });
  const result = await withBff(
    { ...keys, DATABASE_URL: databaseUrl },
    async (url) => {
      let n = 0;
      return run({
        url,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const i = n++;
              const clerk = clerks[i % clerks.length]!;
              const round = rounds[Math.floor(i / clerks.length) % rounds.length]!;
              return {
                ...req,
                path: `/api/v1/enterprises/${clerk.code}/subsidies/${round}/confirm`,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${clerk.token}` },
                body,
              };
            },
          },
        ],
      });
    },
    { profile: true },
  );
  const check = await openDatabase({ databaseUrl, dataDir: 'memory://' });
  const [confirmed] = await check.db.select({ n: count() }).from(subsidyConfirmations);
  await check.close();
  return { result, confirmed: confirmed!.n };
}
