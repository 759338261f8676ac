import proxy from '@fastify/http-proxy';
import { beijingDate, PRIVACY_GUIDE_VERSION, type Role, receiptUrl, residentIdCheckChar } from '@zyt/shared';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { bagBatches, settlementContracts, staffOutlets, subsidyRounds, users } from '../src/db/schema';
import { createBatch } from '../src/features/bags/bags';
import { formatBagCode } from '../src/features/bags/codes';
import { storeIdentity, storeStaffContact } from '../src/features/me/users';
import { matters as simMatters } from './gov/catalogue';
import { registryEnterprises } from './gov/enterprises';

/**
 * The demo stack only (`pnpm start`, browser tests): the simulators on the BFF's origin under /sim/* (the H5
 * app's demo sign-in and its stand-in for WeChat's subscribe dialog use /sim/wechat) and the demo users. Not
 * part of the BFF bundle (src/ never imports simulators/), and refused when NODE_ENV=production.
 */
export async function registerDemo(
  server: FastifyInstance,
  simulators: { wechatUrl: string; emsUrl: string; govUrl: string },
): Promise<boolean> {
  if (server.config.env === 'production') {
    server.log.warn('NODE_ENV=production: the demo sign-in, simulators and demo users are not served');
    return false;
  }
  for (const [prefix, upstream] of [
    ['/sim/wechat', simulators.wechatUrl],
    ['/sim/ems', simulators.emsUrl],
    ['/sim/gov', simulators.govUrl],
  ] as const) {
    await server.register(proxy, { upstream, prefix, rewritePrefix: prefix === '/sim/wechat' ? '/sim' : '' });
  }
  server.addHook('onReady', () => seedDemo(server, simulators.govUrl));
  return true;
}

/** Demo staff and clerks, by the openids the WeChat simulator's demo users sign in with. */
const demoRoles: Record<string, Role[]> = {
  'demo-resident': ['resident'],
  'demo-resident-2': ['resident'],
  'demo-clerk': ['resident', 'enterprise_clerk'],
  'demo-enterprise-admin': ['resident', 'enterprise_clerk'],
  'demo-agent': ['resident', 'postal_agent'],
  'demo-supervisor': ['resident', 'supervisor'],
  'demo-agent-2': ['resident', 'postal_agent'],
  'demo-centre': ['resident', 'centre_clerk'],
  'demo-resident-bag': ['resident'],
  'demo-resident-3': ['resident'],
  'demo-resident-mail': ['resident'],
  'demo-resident-4': ['resident'],
  'demo-resident-5': ['resident'],
  'demo-window': ['resident', 'outlet_clerk'],
  'demo-resident-window': ['resident'],
  'demo-resident-birth': ['resident'],
};

/**
 * The demo agent is real-named (an entrusted case, 委托全程代办, names the agent who acts for the resident) and
 * has the 工号 and work phone a resident sees once the visit is accepted.
 */
const agentIdentity = {
  name: '赵敏',
  idNumber: `44011219850315123${residentIdCheckChar('44011219850315123')}`,
};
const agentContact = { staffNo: 'HP0012', phone: '13922200012' };

/** The resident who applied at a window and has the result mailed (单程寄递). */
export const mailResidentIdentity = {
  name: '郑七',
  idNumber: `44011219880606352${residentIdCheckChar('44011219880606352')}`,
};

/** The enterprise clerk (企业经办人) of the demo. */
const clerkIdentity = {
  name: '王五',
  idNumber: `11010519491231003${residentIdCheckChar('11010519491231003')}`,
};

/** The outlet clerk at the post office's government window (网点政务专窗), and a resident who books a window slot. */
const windowClerkIdentity = {
  name: '卫兰',
  idNumber: `44011219870412262${residentIdCheckChar('44011219870412262')}`,
};
export const windowResidentIdentity = {
  name: '韩九',
  idNumber: `44011219920815331${residentIdCheckChar('44011219920815331')}`,
};

/** The second agent of the same post office (AB岗: one takes over when the other can't go). */
const agent2Identity = {
  name: '孙立',
  idNumber: `44011219900721241${residentIdCheckChar('44011219900721241')}`,
};
const agent2Contact = { staffNo: 'HP0013', phone: '13922200013' };

/**
 * Where the demo staff work: both agents at the post office that serves door visits in 黄埔区 (the first post
 * office of the catalogue), the centre clerk at the district service centre their materials go to.
 */
const demoOutlets: Record<string, string> = {
  'demo-agent': 'HP-PO-01',
  'demo-agent-2': 'HP-PO-01',
  'demo-centre': 'HP-SC-01',
  'demo-window': 'HP-PO-01',
};
const demoStaff: Record<string, { identity: typeof agentIdentity; contact?: typeof agentContact }> = {
  'demo-agent': { identity: agentIdentity, contact: agentContact },
  'demo-agent-2': { identity: agent2Identity, contact: agent2Contact },
  // Real-named already: the window case seeded for them (单程寄递) names this applicant.
  'demo-resident-mail': { identity: mailResidentIdentity },
  // 企业服务: the legal representative of the first seeded enterprise (binds as its admin) and a clerk.
  'demo-enterprise-admin': { identity: registryEnterprises[0]!.legalRepresentative },
  'demo-clerk': { identity: clerkIdentity },
  'demo-window': { identity: windowClerkIdentity },
  // Real-named already: the window checks the ID card presented against it.
  'demo-resident-window': { identity: windowResidentIdentity },
};

/** Idempotent: run on every demo start. Residents do their own consent and real name in the app. */
async function seedDemo(app: FastifyInstance, govUrl: string): Promise<void> {
  const { db } = app.database;
  for (const [openid, roles] of Object.entries(demoRoles)) {
    const [user] = await db
      .insert(users)
      .values({ openid, roles })
      .onConflictDoUpdate({ target: users.openid, set: { roles, updatedAt: sql`now()` } })
      .returning();
    const staff = demoStaff[openid];
    if (staff && !user!.realNameAt) {
      await db
        .update(users)
        .set({ consentVersion: PRIVACY_GUIDE_VERSION, consentAt: sql`now()` })
        .where(eq(users.id, user!.id));
      await storeIdentity(db, app.pii, { userId: user!.id, ...staff.identity });
    }
    if (staff?.contact && !user!.staffNo)
      await storeStaffContact(db, app.pii, { userId: user!.id, ...staff.contact });
    const outletId = demoOutlets[openid];
    if (outletId) await db.insert(staffOutlets).values({ userId: user!.id, outletId }).onConflictDoNothing();
  }
  await seedDemoBags(app);
  await seedDemoContract(app);
  // Not worth failing the demo's start over: the platform simulator may still be starting.
  await seedWindowCase(app, govUrl).catch((err: Error) =>
    app.log.warn({ err: err.message }, 'demo window case not seeded'),
  );
  await seedDemoRound(app, govUrl).catch((err: Error) =>
    app.log.warn({ err: err.message }, 'demo 免申即享 round not published'),
  );
}

/**
 * A 免申即享 round published by the platform while we have none (so once per demo database): the seeded registry
 * enterprises are on its list, so the demo enterprise sees 可获 ¥X once bound, and supervisors see the round's
 * progress. It arrives as every round does: the platform's signed notice, then its list imported by a job.
 */
async function seedDemoRound(app: FastifyInstance, govUrl: string): Promise<void> {
  const [existing] = await app.database.db.select({ id: subsidyRounds.id }).from(subsidyRounds).limit(1);
  if (existing) return;
  const res = await fetch(`${govUrl}/sim/admin/rounds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deadline: new Date(Date.now() + 30 * 86_400_000).toISOString() }),
  });
  if (res.status !== 201) throw new Error(`the government simulator answered ${res.status}`);
}

/**
 * A case 郑七 applied for at a window (the platform has it, we do not yet), once: its acceptance receipt's QR
 * URL is logged, for adding it in the app and having the result mailed (单程寄递).
 */
async function seedWindowCase(app: FastifyInstance, govUrl: string): Promise<void> {
  const listed = (await (await fetch(`${govUrl}/sim/cases`)).json()) as {
    cases: { projId: string; applicant: { cardNumber: string }; receipt: { queryCode: string } | null }[];
  };
  if (!Array.isArray(listed.cases)) throw new Error('the government simulator did not list its cases');
  let seeded = listed.cases.find(
    (c) => c.receipt && c.applicant.cardNumber === mailResidentIdentity.idNumber,
  );
  if (!seeded) {
    const matter = simMatters.find(
      (m) => m.applicantType === 'person' && m.channels.mail !== 'none' && m.result.kind === 'physical',
    )!;
    const res = await fetch(`${govUrl}/sim/admin/elsewhere-cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceCode: matter.serviceCode, applicant: mailResidentIdentity }),
    });
    const made = (await res.json()) as { projId: string; queryCode: string };
    seeded = { projId: made.projId, applicant: { cardNumber: '' }, receipt: { queryCode: made.queryCode } };
  }
  app.log.info(
    { receipt: receiptUrl(app.config.bags.urlBase, seeded.projId, seeded.receipt!.queryCode) },
    'demo window case of 郑七 (受理单二维码, 单程寄递)',
  );
}

/**
 * The demo centre settles per piece at the EMS simulator's tariff for pieces up to 500 g (¥12), from January
 * 2026: a statement and an honest bill agree, and the simulator's bill-discrepancies admin call shows findings.
 */
async function seedDemoContract(app: FastifyInstance): Promise<void> {
  const [supervisor] = await app.database.db.select().from(users).where(eq(users.openid, 'demo-supervisor'));
  await app.database.db
    .insert(settlementContracts)
    .values({
      centreOutletId: demoOutlets['demo-centre']!,
      validFrom: '2026-01',
      mode: 'per_piece',
      pricesFen: { materials_to_centre: 1200, supplement_to_centre: 1200, result_to_applicant: 1200 },
      createdBy: supervisor!.id,
    })
    .onConflictDoNothing();
}

const DEMO_BAG_NOTE = '演示批次';

/** A batch of courier bags (替你跑) for the demo, made once by the demo centre clerk; its codes are logged. */
async function seedDemoBags(app: FastifyInstance): Promise<void> {
  const { db } = app.database;
  const [existing] = await db.select().from(bagBatches).where(eq(bagBatches.note, DEMO_BAG_NOTE));
  if (existing) return;
  const [clerk] = await db.select().from(users).where(eq(users.openid, 'demo-centre'));
  const validUntil = beijingDate(new Date(Date.now() + 365 * 86_400_000));
  const { codes } = await createBatch(db, {
    count: 12,
    validUntil,
    note: DEMO_BAG_NOTE,
    createdBy: clerk!.id,
    secret: app.config.bags.codeSecret,
    now: new Date(),
  });
  app.log.info(
    { codes: codes.map(formatBagCode) },
    'demo courier bags (替你跑), also printable at /staff/bag-batches',
  );
}
