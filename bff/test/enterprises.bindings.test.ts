import { PRIVACY_GUIDE_VERSION } from '@zyt/shared';
import { count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryEnterprises } from '../simulators/gov/enterprises';
import { enterpriseMembers, enterprises, notifications } from '../src/db/schema';
import { fitThing } from '../src/integrations/wechat/subscribe';
import { bearer, buildTestApp, errorOf, type TestApp } from './helpers';

/**
 * 企业绑定: a real-named person binds to an enterprise by its credit code; the registry confirms it; the legal
 * representative binds at once as admin, anyone else asks and the admin decides; one person acts for several.
 */
let t: TestApp;

const [precision, logistics, restaurant, pilot, dissolved] = registryEnterprises as [
  (typeof registryEnterprises)[number],
  (typeof registryEnterprises)[number],
  (typeof registryEnterprises)[number],
  (typeof registryEnterprises)[number],
  (typeof registryEnterprises)[number],
];
const CLERK = { name: '王五', idNumber: '110105194912310038' };

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

/** A signed-in person who agreed to the privacy guide and (unless told otherwise) is real-named as `who`. */
async function person(who?: { name: string; idNumber: string }) {
  const s = await t.signIn();
  const h = bearer(s.accessToken);
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/me/consent',
    headers: h,
    payload: { version: PRIVACY_GUIDE_VERSION },
  });
  if (who) {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/me/identity', headers: h, payload: who });
    if (res.statusCode !== 200) throw new Error(`real name failed: ${res.body}`);
  }
  return { id: s.user.id, h };
}
const rep = (e: (typeof registryEnterprises)[number]) => person(e.legalRepresentative);

const bind = (h: Record<string, string>, creditCode: string) =>
  t.app.inject({ method: 'POST', url: '/api/v1/enterprises/bindings', headers: h, payload: { creditCode } });
const get = (h: Record<string, string>, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: h });
const post = (h: Record<string, string>, url: string) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...h, 'content-type': 'application/json' },
    payload: '',
  });
/** The subscribe messages telling a clerk how the admin decided their request. */
const decisionMessages = (memberId: string) =>
  t.app.database.db
    .select()
    .from(notifications)
    .where(like(notifications.dedupeKey, `enterprise-member:${memberId}:%`));
const memberRows = async () => (await t.app.database.db.select({ n: count() }).from(enterpriseMembers))[0]!.n;

describe('binding as the legal representative', () => {
  it('binds at once as admin; the registry gave the name; nothing personal in the answer', async () => {
    const admin = await rep(precision);
    const res = await bind(admin.h, precision.creditCode.toLowerCase());
    expect(res.statusCode, res.body).toBe(201);
    const { binding, warning } = res.json();
    expect(warning).toBeUndefined();
    expect(binding).toMatchObject({
      creditCode: precision.creditCode,
      enterpriseName: precision.name,
      role: 'admin',
      status: 'active',
      legalRepresentative: '林*',
    });
    expect(res.body).not.toContain(precision.legalRepresentative.idNumber);
    expect((await get(admin.h, `/enterprises/${precision.creditCode}`)).json().role).toBe('admin');
  });

  it('a pilot-era code that fails the GB 32100 check binds with a warning; one person acts for several', async () => {
    const admin = await rep(pilot); // 林海 is the legal representative of two enterprises
    const res = await bind(admin.h, pilot.creditCode);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().warning).toContain('校验位');
    expect((await bind(admin.h, precision.creditCode)).statusCode).toBe(201);
    const mine = (await get(admin.h, '/enterprises/bindings')).json().items;
    expect(mine.map((b: { creditCode: string }) => b.creditCode).sort()).toEqual(
      [pilot.creditCode, precision.creditCode].sort(),
    );
    const [row] = await t.app.database.db
      .select()
      .from(enterprises)
      .where(eq(enterprises.creditCode, pilot.creditCode));
    expect(row!.pilotCode).toBe(true);
  });
});

describe('binding as a clerk', () => {
  it('asks; the admin approves; the clerk acts for the enterprise', async () => {
    const admin = await rep(logistics);
    await bind(admin.h, logistics.creditCode);
    const clerk = await person(CLERK);
    const asked = await bind(clerk.h, logistics.creditCode);
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json().binding).toMatchObject({
      role: 'clerk',
      status: 'pending',
      statusLabel: '待管理员审批',
    });
    // Not yet acting for it.
    expect((await get(clerk.h, `/enterprises/${logistics.creditCode}`)).statusCode).toBe(404);

    const members = (await get(admin.h, `/enterprises/${logistics.creditCode}/members`)).json().items;
    expect(members).toHaveLength(2);
    const request = members.find((m: { status: string }) => m.status === 'pending');
    expect(request).toMatchObject({ name: '王*', role: 'clerk', self: false });
    const approved = await post(
      admin.h,
      `/enterprises/${logistics.creditCode}/members/${request.id}/approve`,
    );
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'active', statusLabel: '已绑定' });
    expect((await get(clerk.h, `/enterprises/${logistics.creditCode}`)).json()).toMatchObject({
      role: 'clerk',
      status: 'active',
    });
    // The clerk is told, once, in the approval's transaction: which enterprise, the result, where to go.
    const [told, ...more] = await decisionMessages(request.id);
    expect(more).toHaveLength(0);
    expect(told).toMatchObject({
      userId: clerk.id,
      templateId: t.app.config.wechat.templates.enterprise_member_decided,
      page: `enterprise/pages/index/index?code=${logistics.creditCode}`,
    });
    expect(told!.data).toMatchObject({
      thing1: { value: fitThing(logistics.name) },
      phrase2: { value: '已通过' },
      time3: { value: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d$/) },
    });
    // A clerk does not manage people.
    const asClerk = await get(clerk.h, `/enterprises/${logistics.creditCode}/members`);
    expect(asClerk.statusCode).toBe(403);
    expect(errorOf(asClerk).code).toBe('ENTERPRISE_ADMIN_ONLY');

    // Revoked: acting for it ends; approving a revoked clerk is a conflict.
    const revoked = await post(admin.h, `/enterprises/${logistics.creditCode}/members/${request.id}/revoke`);
    expect(revoked.json().status).toBe('revoked');
    expect((await get(clerk.h, `/enterprises/${logistics.creditCode}`)).statusCode).toBe(404);
    const again = await post(admin.h, `/enterprises/${logistics.creditCode}/members/${request.id}/approve`);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('ENTERPRISE_MEMBER_STATE_CONFLICT');
    // Revoking is not a decision on a request; a refused approval tells nobody twice.
    expect(await decisionMessages(request.id)).toHaveLength(1);
    // A revoked clerk may ask again.
    expect((await bind(clerk.h, logistics.creditCode)).statusCode).toBe(201);
  });

  it('a refused clerk never acts for the enterprise', async () => {
    const admin = await rep(restaurant);
    await bind(admin.h, restaurant.creditCode);
    const clerk = await person(CLERK);
    const { binding } = (await bind(clerk.h, restaurant.creditCode)).json();
    const refused = await post(admin.h, `/enterprises/${restaurant.creditCode}/members/${binding.id}/refuse`);
    expect(refused.json()).toMatchObject({ status: 'refused', statusLabel: '管理员未同意' });
    const told = await decisionMessages(binding.id);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ userId: clerk.id, dedupeKey: `enterprise-member:${binding.id}:refuse` });
    expect(told[0]!.data).toMatchObject({ phrase2: { value: '未通过' } });
    expect((await get(clerk.h, `/enterprises/${restaurant.creditCode}`)).statusCode).toBe(404);
    const mine = (await get(clerk.h, '/enterprises/bindings')).json().items;
    expect(mine[0]).toMatchObject({ creditCode: restaurant.creditCode, status: 'refused' });
  });
});

describe('refusals leave nothing written', () => {
  it('a wrong code, an unknown or dissolved enterprise, binding twice, no real name', async () => {
    const p = await person(CLERK);
    const before = await memberRows();
    const wrong = await bind(p.h, '91440112MA5CKP3RI0');
    expect(wrong.statusCode).toBe(422);
    expect(errorOf(wrong).code).toBe('CREDIT_CODE_INVALID');
    expect(errorOf(wrong).details![0]!.message).toContain('I');
    const short = await bind(p.h, '9144011');
    expect(errorOf(short)).toMatchObject({ code: 'CREDIT_CODE_INVALID' });
    const unknown = await bind(p.h, '91440112MA5XXXXX1Y'.replace('XXXXX', '00000'));
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).code).toBe('ENTERPRISE_NOT_FOUND');
    const gone = await bind(p.h, dissolved.creditCode);
    expect(errorOf(gone).code).toBe('ENTERPRISE_NOT_FOUND');
    expect(await memberRows()).toBe(before);

    expect((await bind(p.h, precision.creditCode)).statusCode).toBe(201);
    const twice = await bind(p.h, precision.creditCode);
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('ENTERPRISE_ALREADY_BOUND');
    expect(await memberRows()).toBe(before + 1);

    const anonymous = await person();
    const noName = await bind(anonymous.h, precision.creditCode);
    expect(noName.statusCode).toBe(403);
    expect(errorOf(noName).code).toBe('REAL_NAME_REQUIRED');
    expect(await memberRows()).toBe(before + 1);
  });

  it("another enterprise's people and records are 404, like missing ones", async () => {
    const outsider = await rep(restaurant);
    await bind(outsider.h, restaurant.creditCode).catch(() => {});
    for (const url of [
      `/enterprises/${precision.creditCode}`,
      `/enterprises/${precision.creditCode}/members`,
    ]) {
      const res = await get(outsider.h, url);
      expect(res.statusCode, url).toBe(404);
      expect(errorOf(res).code).toBe('ENTERPRISE_NOT_FOUND');
    }
    const [someone] = await t.app.database.db
      .select()
      .from(enterpriseMembers)
      .where(eq(enterpriseMembers.creditCode, precision.creditCode));
    const res = await post(outsider.h, `/enterprises/${precision.creditCode}/members/${someone!.id}/revoke`);
    expect(res.statusCode).toBe(404);
    // Nor can an admin decide about another enterprise's member through their own enterprise.
    const cross = await post(
      outsider.h,
      `/enterprises/${restaurant.creditCode}/members/${someone!.id}/revoke`,
    );
    expect(cross.statusCode).toBe(404);
  });
});
