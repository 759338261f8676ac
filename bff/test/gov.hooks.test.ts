import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matterNamed } from '../simulators/gov/catalogue';
import { govCaseEvents } from '../src/db/schema';
import { signRequest } from '../src/integrations/gov/signing';
import { buildTestApp, GOV, type TestApp } from './helpers';

/** Government platform through the BFF: a submitted case's signed stage callbacks reach the real endpoint. */
let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await buildTestApp();
  base = await t.listen();
  t.gov.sim.setCallbackUrl(`${base}/api/v1/hooks/gov/cases`);
});
afterAll(() => t?.close());

const until = async (check: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
};
const stages = async (projId: string) =>
  (
    await t.app.database.db
      .select()
      .from(govCaseEvents)
      .where(eq(govCaseEvents.projId, projId))
      .orderBy(govCaseEvents.occurredAt)
  ).map((e) => e.stage);

describe('government stage callbacks', () => {
  it('stores each stage of a case once, in order, as the platform moves it to 办结', async () => {
    const matter = matterNamed('失业保险金申领');
    const { projId } = await t.app.gov.submitCase({
      ourId: 'bk-hooks-1',
      serviceCode: matter.serviceCode,
      serviceVersion: matter.serviceVersion,
      projectName: '张三申请失业保险金申领',
      applyType: 0,
      applicant: {
        name: '张三',
        cardType: '111',
        cardNumber: '11010519491231002X',
        mobile: '13800138000',
        address: '广州市黄埔区大沙地东路1号',
      },
      acceptList: matter.materials.map((m) => ({
        materialId: m.id,
        name: m.name,
        form: m.form,
        count: m.count,
        provided: true,
      })),
      busMode: '00', // handed in at a window: no materials leg to wait for
      infoType: matter.infoType,
    });
    t.gov.sim.setSpeed(5000);
    await until(async () => (await stages(projId)).includes('4'), 15_000);
    expect(await stages(projId)).toEqual(['1', '2', '3', '4']);
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${base}/api/v1/hooks/gov/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
  const callback = (eventId: string) =>
    JSON.stringify({
      eventId,
      projId: '44011220261122000001',
      ourId: 'bk-x',
      serviceCode: 'x',
      stage: '2',
      status: 'in_progress',
      occurredAt: new Date().toISOString(),
    });
  const count = async () =>
    (await t.app.database.rows<{ n: number }>(sql`select count(*)::int as n from gov_case_events`))[0]!.n;
  const sign = (body: string, over: { appSecret?: string; now?: number; nonce?: string } = {}) =>
    signRequest({
      appId: GOV.appId,
      appSecret: over.appSecret ?? GOV.appSecret,
      method: 'POST',
      path: '/api/v1/hooks/gov/cases',
      body,
      now: over.now,
      nonce: over.nonce,
    });

  it('refuses a bad, stale or replayed signature and stores nothing', async () => {
    const before = await count();
    const body = callback('ev-forged');
    const wrongSecret = await post(body, sign(body, { appSecret: 'not-the-secret-0123456789abcdef' }));
    expect(wrongSecret.status).toBe(401);
    expect(await wrongSecret.json()).toMatchObject({
      error: { code: 'SIGNATURE_INVALID', details: [{ message: 'BAD_SIGNATURE' }] },
    });
    const tampered = await post(callback('ev-other'), sign(body));
    expect(tampered.status).toBe(401);
    const stale = await post(body, sign(body, { now: Date.now() - 6 * 60_000 }));
    expect(
      ((await stale.json()) as { error: { details: { message: string }[] } }).error.details[0]!.message,
    ).toBe('STALE');
    expect(await count()).toBe(before);

    const headers = sign(body, { nonce: 'nonce-replay-test-0001' });
    expect((await post(body, headers)).status).toBe(200);
    const replay = await post(body, headers);
    expect(replay.status).toBe(401);
    expect(
      ((await replay.json()) as { error: { details: { message: string }[] } }).error.details[0]!.message,
    ).toBe('REPLAYED');
    expect(await count()).toBe(before + 1);
  });

  it('refuses a well-signed but malformed callback with the failing field', async () => {
    const body = JSON.stringify({ eventId: 'ev-bad', stage: 2 });
    const res = await post(body, sign(body));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });
});
