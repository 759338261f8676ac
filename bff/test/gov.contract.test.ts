import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { creditCodeCheckChar } from '@zyt/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { matterNamed, matters } from '../simulators/gov/catalogue';
import { createNonceCache } from '../simulators/gov/nonces';
import { createGovSimulator, type GovSimulator } from '../simulators/gov/server';
import { createGovClient, fetchWholeCatalogue } from '../src/integrations/gov/client';
import { signRequest, type VerifyResult, verifySignature } from '../src/integrations/gov/signing';
import {
  type GovCaseCallback,
  type GovCaseSubmission,
  GovError,
  type GovMatter,
  type GovPlatformApi,
  parseCaseCallback,
} from '../src/integrations/gov/types';
import { until } from './until';

const GOV = { appId: 'zyt-test', appSecret: 'gov-test-secret-0123456789abcdef' };
const HOOK_PATH = '/api/v1/hooks/gov/cases';

interface Received {
  callback: GovCaseCallback;
  verdict: VerifyResult;
}

/** Stands in for the BFF's callback route: verifies each request exactly as the BFF must, and can refuse a few. */
async function startReceiver() {
  const received: Received[] = [];
  const nonces = createNonceCache();
  /** ourIds whose first callback is answered 503, as a BFF that is briefly down would. */
  const refuseOnce = new Set<string>();
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const parsed = parseCaseCallback(JSON.parse(rawBody.toString('utf8')));
    if (!parsed.ok) throw new Error(`malformed callback: ${parsed.errors.join('; ')}`);
    if (refuseOnce.delete(parsed.value.ourId)) {
      res.writeHead(503).end();
      return;
    }
    const verdict = verifySignature({
      headers: req.headers,
      method: req.method ?? '',
      path: req.url ?? '',
      rawBody,
      appSecret: GOV.appSecret,
      expectedAppId: GOV.appId,
      now: Date.now(),
      seenNonce: nonces.seen,
    });
    received.push({ callback: parsed.value, verdict });
    res.writeHead(verdict.ok ? 204 : 401).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${HOOK_PATH}`,
    received,
    for: (projId: string) => received.filter((r) => r.callback.projId === projId),
    refuseFirstCallbackOf: (ourId: string) => refuseOnce.add(ourId),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let sim: GovSimulator;
let simUrl: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let gov: GovPlatformApi;

const admin = async (path: string, body?: unknown) => {
  const res = await fetch(`${simUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

async function eventually<T>(probe: () => T | Promise<T>, done: (v: T) => boolean): Promise<T> {
  return until(async () => {
    const v = await probe();
    return done(v) && { v };
  }, 20).then((r) => r.v);
}

async function govError(p: Promise<unknown>): Promise<GovError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GovError);
  return err as GovError;
}

const ENTERPRISE_CREDIT_CODE = `91440112MA59ABCD1${creditCodeCheckChar('91440112MA59ABCD1')}`;

let serial = 0;
/** A complete, valid submission for a matter: every material provided. */
function submission(matter: GovMatter, over: Partial<GovCaseSubmission> = {}): GovCaseSubmission {
  serial++;
  const person = matter.applicantType === 'person';
  return {
    ourId: `bk-${Date.now().toString(36)}-${serial}`,
    serviceCode: matter.serviceCode,
    serviceVersion: matter.serviceVersion,
    projectName: `${person ? '张三' : '广州市黄埔区示例科技有限公司'}申请${matter.name}`,
    applyType: person ? 0 : 1,
    applicant: person
      ? {
          name: '张三',
          cardType: '111',
          cardNumber: '440112199003070017',
          mobile: '13800138000',
          address: '广州市黄埔区大沙地东路1号',
        }
      : {
          name: '广州市黄埔区示例科技有限公司',
          cardType: '001',
          cardNumber: ENTERPRISE_CREDIT_CODE,
          mobile: '02082200000',
          address: '广州市黄埔区开创大道1号',
        },
    // An enterprise applies through its operator (经办人).
    ...(person
      ? {}
      : {
          operator: {
            name: '李四',
            cardType: '111' as const,
            cardNumber: '440112199003070017',
            mobile: '13800138000',
          },
        }),
    acceptList: matter.materials.map((mt) => ({
      materialId: mt.id,
      name: mt.name,
      form: mt.form,
      count: mt.count,
      provided: true,
    })),
    // Materials handed in at a window (BUS_MODE 00); 快递送达 cases have their own test.
    busMode: '00',
    infoType: matter.infoType,
    ...over,
  };
}

beforeAll(async () => {
  receiver = await startReceiver();
  sim = createGovSimulator({ ...GOV });
  simUrl = await sim.listen();
  // The BFF starts after the platform: the callback URL arrives later.
  sim.setCallbackUrl(receiver.url);
  gov = createGovClient({ apiBase: simUrl, ...GOV, timeoutMs: 2000 });
});
afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});
afterEach(async () => {
  await admin('/sim/admin/faults', {});
  sim.setSpeed(1);
});

describe('catalogue', () => {
  it('pages through ≥ 60 matters of both applicant types and the main themes, with ≥ 10 outlets open at weekends', async () => {
    const first = await gov.fetchCatalogue({ limit: 25 });
    expect(first.matters).toHaveLength(25);
    expect(first.nextCursor).toBeTruthy();
    const second = await gov.fetchCatalogue({ cursor: first.nextCursor, limit: 25 });
    expect(second.outlets).toEqual([]);
    expect(second.matters[0]?.serviceCode).not.toBe(first.matters[0]?.serviceCode);

    const all = await fetchWholeCatalogue(gov, 25);
    const codes = new Set(all.matters.map((mt) => mt.serviceCode));
    expect(codes.size).toBe(all.matters.length);
    expect(all.matters.length).toBeGreaterThanOrEqual(60);
    expect(all.version).toBe(first.version);

    const persons = all.matters.filter((mt) => mt.applicantType === 'person');
    const enterprises = all.matters.filter((mt) => mt.applicantType === 'enterprise');
    expect(persons.length).toBeGreaterThanOrEqual(20);
    expect(enterprises.length).toBeGreaterThanOrEqual(20);
    const themes = new Set(all.matters.map((mt) => mt.theme));
    for (const theme of [
      '社会保险',
      '劳动就业',
      '户籍',
      '不动产',
      '企业开办',
      '医保',
      '税务',
      '民政',
      '公积金',
    ])
      expect(themes).toContain(theme);
    for (const name of [
      '稳岗补贴',
      '不动产权证书补发',
      '居民身份证换领',
      '失业保险金申领',
      '社会保障卡补换',
    ]) {
      expect(
        all.matters.some((mt) => mt.name.includes(name)),
        name,
      ).toBe(true);
    }
    // A mix of channels, every guide complete enough to act on.
    expect(all.matters.some((mt) => mt.channels.doorPickup && mt.channels.mail === 'two_way')).toBe(true);
    expect(all.matters.some((mt) => !mt.channels.doorPickup && mt.channels.mail === 'none')).toBe(true);
    for (const mt of all.matters) {
      expect(mt.materials.length, mt.name).toBeGreaterThan(0);
      expect(mt.department).toMatch(/黄埔/);
      expect(mt.outletIds.length, mt.name).toBeGreaterThan(0);
    }
    const stable = matterNamed('失业保险稳岗返还（稳岗补贴）申领');
    expect(stable.applicantType).toBe('enterprise');
    expect(stable.channels.doorPickup).toBe(true);

    expect(all.outlets.length).toBeGreaterThanOrEqual(10);
    const postOffices = all.outlets.filter((o) => o.kind === 'post_office');
    expect(postOffices.length).toBeGreaterThanOrEqual(10);
    expect(all.outlets.some((o) => o.kind === 'service_centre')).toBe(true);
    // Each outlet says where it is: province, city and county (EMS parties are placed by them).
    expect(
      all.outlets.every((o) => o.province === '广东省' && o.city === '广州市' && o.district === '黄埔区'),
    ).toBe(true);
    for (const o of postOffices) {
      expect(
        o.hours.some((h) => h.day === 6),
        o.name,
      ).toBe(true);
      expect(
        o.hours.some((h) => h.day === 7),
        o.name,
      ).toBe(true);
    }
    for (const o of all.outlets) {
      expect(o.lng).toBeGreaterThan(113.3);
      expect(o.lng).toBeLessThan(113.7);
      expect(o.lat).toBeGreaterThan(23.0);
      expect(o.lat).toBeLessThan(23.45);
      // Both sides of the matter ↔ outlet relation agree.
      for (const code of o.serviceCodes)
        expect(all.matters.find((mt) => mt.serviceCode === code)?.outletIds).toContain(o.id);
    }
  });

  it('refuses a cursor from another catalogue version', async () => {
    const stale = Buffer.from(JSON.stringify({ v: 'hp-old', o: 25 })).toString('base64url');
    const err = await govError(gov.fetchCatalogue({ cursor: stale }));
    expect(err).toMatchObject({ code: 'CURSOR_EXPIRED', status: 409, retryable: false });
  });
});

describe('signed requests', () => {
  it('surfaces the platform code when our secret is wrong', async () => {
    const wrong = createGovClient({
      apiBase: simUrl,
      appId: GOV.appId,
      appSecret: 'not-the-secret',
      timeoutMs: 2000,
    });
    const err = await govError(wrong.fetchCatalogue());
    expect(err).toMatchObject({ code: 'BAD_SIGNATURE', status: 401, retryable: false });
    const stranger = createGovClient({
      apiBase: simUrl,
      appId: 'unknown-app',
      appSecret: GOV.appSecret,
      timeoutMs: 2000,
    });
    expect(await govError(stranger.fetchCatalogue())).toMatchObject({ code: 'WRONG_APP', status: 401 });
  });

  it('refuses a captured request replayed verbatim', async () => {
    const headers = signRequest({ ...GOV, method: 'GET', path: '/gov/v1/catalogue?limit=1' });
    const first = await fetch(`${simUrl}/gov/v1/catalogue?limit=1`, { headers });
    expect(first.status).toBe(200);
    const replay = await fetch(`${simUrl}/gov/v1/catalogue?limit=1`, { headers });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('REPLAYED');
  });
});

describe('identity check', () => {
  it('matches a plausible name and ID, and can be scripted to mismatch', async () => {
    expect(await gov.checkIdentity({ name: '张三', idNumber: '440112199003070017' })).toEqual({
      match: true,
    });
    expect(await gov.checkIdentity({ name: '张三', idNumber: '440112199003070018' })).toEqual({
      match: false,
    });
    await admin('/sim/admin/identity', { idNumber: '440112199003070017', match: false });
    expect(await gov.checkIdentity({ name: '张三', idNumber: '440112199003070017' })).toEqual({
      match: false,
    });
  });
});

describe('cases', () => {
  it('is idempotent on ourId: the same PROJID, one case at the platform', async () => {
    const sub = submission(matterNamed('社会保障卡补换'));
    const [a, b] = await Promise.all([gov.submitCase(sub), gov.submitCase(sub)]);
    const c = await gov.submitCase(sub);
    expect(a.projId).toMatch(/^440112\d{14}$/);
    expect(b.projId).toBe(a.projId);
    expect(c).toEqual(a);
    const state = await admin(`/sim/cases?ourId=${sub.ourId}`);
    expect(state.body.cases).toHaveLength(1);
    expect((state.body.submissions as Record<string, number>)[sub.ourId]).toBe(3);

    const view = await gov.getCase(a.projId);
    expect(view).toMatchObject({
      projId: a.projId,
      ourId: sub.ourId,
      stage: '1',
      status: 'in_progress',
      busMode: '00',
      receiveTime: a.receivedAt,
    });
    expect(view.history.map((h) => h.stage)).toEqual(['1']);
  });

  it('accepts a 快递送达 case only once its materials have arrived at the centre', async () => {
    sim.setSpeed(2000);
    const sub = submission(matterNamed('不动产权证书补发'), { busMode: '01' });
    const { projId } = await gov.submitCase(sub);
    const waiting = async () =>
      ((await admin(`/sim/cases?ourId=${sub.ourId}`)).body.cases as Record<string, unknown>[])[0];
    // At 收件 and held there however fast the clock runs: nobody has the materials yet.
    expect(await waiting()).toMatchObject({ stage: '1', waitingForMaterials: true, materialsWaybill: null });
    await admin('/sim/admin/clock', { advanceSeconds: 86_400 });
    expect((await gov.getCase(projId)).stage).toBe('1');

    const arrived = new Date().toISOString();
    await expect(
      gov.materialsArrived(projId, { waybillNo: '1100012345678', deliveredAt: arrived }),
    ).resolves.toEqual({ projId, stage: '1' });
    // A repeat (a re-run job) changes nothing; another waybill for the same materials is refused.
    await expect(
      gov.materialsArrived(projId, { waybillNo: '1100012345678', deliveredAt: arrived }),
    ).resolves.toMatchObject({ projId });
    await expect(
      govError(gov.materialsArrived(projId, { waybillNo: '1100087654321', deliveredAt: arrived })),
    ).resolves.toMatchObject({ code: 'MATERIALS_ALREADY_ARRIVED', status: 409, retryable: false });

    const got = await eventually(
      () => receiver.for(projId),
      (r) => r.some((x) => x.callback.stage === '4'),
    );
    expect(got.map((r) => r.callback.stage)).toEqual(['1', '2', '3', '4']);
    expect(got[1]!.callback.occurredAt >= arrived).toBe(true);
    expect(await waiting()).toMatchObject({ waitingForMaterials: false, materialsWaybill: '1100012345678' });

    // A case whose materials were handed in at a window is not waiting for any.
    const walkIn = await gov.submitCase(submission(matterNamed('社会保障卡补换')));
    await expect(
      govError(gov.materialsArrived(walkIn.projId, { waybillNo: '1100012345678', deliveredAt: arrived })),
    ).resolves.toMatchObject({ code: 'NOT_BY_POST', status: 409 });
  });

  it('refuses an unknown SERVICECODE, missing required materials and an unknown case, none retryable', async () => {
    const matter = matterNamed('不动产权证书补发');
    const unknown = await govError(
      gov.submitCase(submission(matter, { serviceCode: '11440112000000000X4070999' })),
    );
    expect(unknown).toMatchObject({ code: 'SERVICE_NOT_FOUND', status: 404, retryable: false });

    const incomplete = submission(matter);
    incomplete.acceptList = incomplete.acceptList.map((a, i) => (i === 1 ? { ...a, provided: false } : a));
    const missing = await govError(gov.submitCase(incomplete));
    expect(missing).toMatchObject({ code: 'MATERIALS_INCOMPLETE', status: 422, retryable: false });
    expect(missing.details?.map((d) => d.field)).toEqual([matter.materials[1]?.id]);

    const wrongType = await govError(gov.submitCase(submission(matter, { applyType: 1 })));
    expect(wrongType.code).toBe('APPLY_TYPE_MISMATCH');

    // An enterprise applies by its credit code (card type 001) and names its operator.
    const enterprise = matters.find((m) => m.applicantType === 'enterprise' && m.channels.mail !== 'none')!;
    const { operator: _, ...noOperator } = submission(enterprise);
    expect((await govError(gov.submitCase(noOperator))).code).toBe('OPERATOR_REQUIRED');
    const badCode = submission(enterprise);
    badCode.applicant = { ...badCode.applicant, cardNumber: '91440112MA59ABCD1' }; // 17 characters
    expect((await govError(gov.submitCase(badCode))).code).toBe('CARD_NUMBER_INVALID');
    expect((await gov.submitCase(submission(enterprise))).projId).toMatch(/^\d{20}$/);

    const noCase = await govError(gov.getCase('44011220260101999999'));
    expect(noCase).toMatchObject({ code: 'CASE_NOT_FOUND', retryable: false });
  });

  it('moves a case to 办结 on a fast clock and pushes signed callbacks in stage order, retrying refusals', async () => {
    const sub = submission(matterNamed('不动产权证书补发'));
    receiver.refuseFirstCallbackOf(sub.ourId);
    const { projId } = await gov.submitCase(sub);
    sim.setSpeed(2000);
    const got = await eventually(
      () => receiver.for(projId),
      (r) => r.some((x) => x.callback.stage === '4'),
    );
    expect(got.map((r) => r.callback.stage)).toEqual(['1', '2', '3', '4']);
    expect(got.every((r) => r.verdict.ok)).toBe(true);
    expect(new Set(got.map((r) => r.callback.eventId)).size).toBe(4);
    expect(got[1]?.callback.promiseTime).toBeTruthy();
    expect(got[3]?.callback).toMatchObject({
      status: 'completed',
      result: { kind: 'physical', documentName: '不动产权证书' },
    });

    const view = await gov.getCase(projId);
    expect(view).toMatchObject({ stage: '4', status: 'completed', result: { kind: 'physical' } });
    expect(view.acceptTime && view.transactTime && view.promiseTime).toBeTruthy();
    // 10 promised working days from acceptance land well after acceptance.
    expect(Date.parse(view.promiseTime!) - Date.parse(view.acceptTime!)).toBeGreaterThan(10 * 86_400_000);
    expect(view.history.map((h) => h.stage)).toEqual(['1', '2', '3', '4']);
    const stats = await admin(`/sim/cases?ourId=${view.ourId}`);
    expect(
      (stats.body.cases as { callbacks: { delivered: number; attempts: number } }[])[0]?.callbacks,
    ).toMatchObject({
      delivered: 4,
      attempts: 5,
    });
  });

  it('asks a scripted case for supplements (补齐补正) with items and a deadline, then carries on once they arrive', async () => {
    const sub = submission(matterNamed('失业保险稳岗返还（稳岗补贴）申领'));
    const scripted = await admin('/sim/admin/script', { ourId: sub.ourId, outcome: 'supplement' });
    expect(scripted.status).toBe(200);
    const { projId } = await gov.submitCase(sub);
    sim.setSpeed(2000);
    const asked = await eventually(
      () => receiver.for(projId),
      (r) => r.some((x) => x.callback.stage === '11'),
    );
    const supplementCall = asked.find((r) => r.callback.stage === '11')?.callback;
    expect(supplementCall?.status).toBe('supplement_required');
    expect(supplementCall?.supplement?.items.length).toBeGreaterThan(0);
    expect(supplementCall?.supplement?.items[0]).toMatchObject({
      name: expect.any(String),
      reason: expect.any(String),
    });
    expect(Date.parse(supplementCall!.supplement!.deadline)).toBeGreaterThan(Date.now() + 5 * 86_400_000);

    const waiting = await gov.getCase(projId);
    expect(waiting).toMatchObject({ stage: '11', status: 'supplement_required' });
    expect(waiting.supplement?.items).toEqual(supplementCall?.supplement?.items);
    // Nothing moves until the centre has the materials, however far the case clock runs (within the deadline).
    await admin('/sim/admin/clock', { advanceSeconds: 86_400 });
    expect((await gov.getCase(projId)).stage).toBe('11');

    expect((await admin(`/sim/admin/cases/${projId}/supplement-received`, {})).status).toBe(200);
    const done = await eventually(
      () => receiver.for(projId),
      (r) => r.some((x) => x.callback.stage === '4'),
    );
    expect(done.map((r) => r.callback.stage)).toEqual(['1', '11', '2', '3', '4']);
  });

  it('resumes a 补正 case on pushSupplement, idempotent on supplementId; refuses an unknown case', async () => {
    const sub = submission(matterNamed('失业保险稳岗返还（稳岗补贴）申领'));
    await admin('/sim/admin/script', { ourId: sub.ourId, outcome: 'supplement' });
    const { projId } = await gov.submitCase(sub);
    sim.setSpeed(2000);
    const asked = await eventually(
      () => receiver.for(projId),
      (r) => r.some((x) => x.callback.stage === '11'),
    );
    const items = asked.find((r) => r.callback.stage === '11')!.callback.supplement!.items;
    const push = {
      supplementId: 'c0ffee00-0000-4000-8000-000000000001',
      items: items.map((i) => ({ name: i.name, ...(i.materialId ? { materialId: i.materialId } : {}) })),
      receivedAt: new Date().toISOString(),
      waybillNo: '1100012345678',
    };
    await expect(gov.pushSupplement(projId, push)).resolves.toEqual({ projId, stage: '11' });
    await expect(gov.pushSupplement(projId, push)).resolves.toMatchObject({ projId });
    const done = await eventually(
      () => receiver.for(projId),
      (r) => r.some((x) => x.callback.stage === '4'),
    );
    expect(done.map((r) => r.callback.stage)).toEqual(['1', '11', '2', '3', '4']);
    const simCase = (
      (await admin(`/sim/cases?ourId=${sub.ourId}`)).body.cases as Record<string, unknown>[]
    )[0];
    expect(simCase?.supplementsPushed).toEqual([push.supplementId]);
    await expect(govError(gov.pushSupplement('NO-SUCH-CASE', push))).resolves.toMatchObject({
      code: 'CASE_NOT_FOUND',
      status: 404,
      retryable: false,
    });
    await expect(govError(gov.pushSupplement(projId, { ...push, items: [] }))).resolves.toMatchObject({
      code: 'VALIDATION_FAILED',
      retryable: false,
    });
  });

  it('takes a 容缺受理 matter with a required material missing, and concludes it only after pushSupplement', async () => {
    const matter = matterNamed('失业保险金申领');
    expect(matter.tolerantAcceptance).toBe(true);
    const sub = submission(matter);
    sub.acceptList = sub.acceptList.map((a, i) => (i === 0 ? { ...a, provided: false } : a));
    const { projId } = await gov.submitCase(sub);
    sim.setSpeed(2000);
    await eventually(
      () => receiver.for(projId),
      (r) => r.some((x) => x.callback.stage === '3'),
    );
    await admin('/sim/admin/clock', { advanceSeconds: 86_400 });
    expect((await gov.getCase(projId)).stage).toBe('3');
    await gov.pushSupplement(projId, {
      supplementId: 'c0ffee00-0000-4000-8000-000000000002',
      items: [{ name: sub.acceptList[0]!.name, materialId: sub.acceptList[0]!.materialId }],
      receivedAt: new Date().toISOString(),
    });
    await eventually(
      () => receiver.for(projId),
      (r) => r.some((x) => x.callback.stage === '4'),
    );
  });

  it('refuses (不予受理) the next case when scripted so', async () => {
    await admin('/sim/admin/script', {
      next: true,
      outcome: 'refused',
      reason: '申请人不属于本事项服务对象',
    });
    const { projId } = await gov.submitCase(submission(matterNamed('失业保险金申领')));
    sim.setSpeed(2000);
    const got = await eventually(
      () => receiver.for(projId),
      (r) => r.some((x) => x.callback.stage === '99'),
    );
    expect(got.map((r) => r.callback.stage)).toEqual(['1', '99']);
    expect(got[1]?.callback).toMatchObject({
      status: 'refused',
      refusal: { reason: '申请人不属于本事项服务对象' },
    });
  });
});

describe('evaluations (好差评)', () => {
  const report = {
    evaluationId: 'e-contract-1',
    ourId: 'our-contract-1',
    serviceCode: 'sim-matter',
    stage: 'completion' as const,
    level: 2,
    indicators: { overall: 2, efficiency: 1 },
    tags: ['slow'],
    userType: 'person' as const,
    evaluatedAt: new Date().toISOString(),
  };
  it('stores a rating once, idempotent on evaluationId, and refuses a malformed one for good', async () => {
    const first = await gov.reportEvaluation(report);
    const again = await gov.reportEvaluation(report);
    expect(again).toEqual(first);
    const { body } = await admin('/sim/evaluations');
    const stored = (body.evaluations as { report: { evaluationId: string }; calls: number }[]).filter(
      (e) => e.report.evaluationId === report.evaluationId,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.calls).toBe(2);
    const err = await govError(gov.reportEvaluation({ ...report, level: 9 }));
    expect(err).toMatchObject({ code: 'VALIDATION_FAILED', retryable: false });
  });

  it('voids a reported rating once, and refuses an unknown one for good', async () => {
    const voided = await gov.voidEvaluation(report.evaluationId, { voidedAt: '2026-12-01T02:00:00.000Z' });
    const again = await gov.voidEvaluation(report.evaluationId, { voidedAt: '2026-12-02T02:00:00.000Z' });
    expect(again).toEqual(voided);
    expect(voided.voidedAt).toBe('2026-12-01T02:00:00.000Z');
    const err = await govError(gov.voidEvaluation('e-unknown', { voidedAt: '2026-12-01T02:00:00.000Z' }));
    expect(err).toMatchObject({ code: 'EVALUATION_NOT_FOUND', retryable: false });
  });

  it('can be made to fail, retryably', async () => {
    await admin('/sim/admin/evaluations/fail', { before: 1 });
    const err = await govError(gov.reportEvaluation({ ...report, evaluationId: 'e-contract-2' }));
    expect(err).toMatchObject({ status: 503, retryable: true });
    await gov.reportEvaluation({ ...report, evaluationId: 'e-contract-2' });
  });
});

describe('other scripted ends', () => {
  it('suspends (挂起) and resumes one case, and returns (退件) every case of a scripted matter', async () => {
    const suspended = submission(matterNamed('社会保障卡补换'));
    await admin('/sim/admin/script', { ourId: suspended.ourId, outcome: 'suspended', reason: '需现场核实' });
    const returnedMatter = matterNamed('户籍证明开具');
    await admin('/sim/admin/script', { serviceCode: returnedMatter.serviceCode, outcome: 'returned' });
    const s = await gov.submitCase(suspended);
    const r = await gov.submitCase(submission(returnedMatter));
    sim.setSpeed(2000);
    const sDone = await eventually(
      () => receiver.for(s.projId),
      (got) => got.some((x) => x.callback.stage === '4'),
    );
    expect(sDone.map((x) => x.callback.stage)).toEqual(['1', '2', '12', '3', '4']);
    expect(sDone[2]?.callback).toMatchObject({ status: 'suspended', suspension: { reason: '需现场核实' } });
    const rDone = await eventually(
      () => receiver.for(r.projId),
      (got) => got.some((x) => x.callback.stage === '99'),
    );
    expect(rDone.map((x) => x.callback.stage)).toEqual(['1', '2', '3', '99']);
    expect(rDone[3]?.callback).toMatchObject({ status: 'returned', refusal: { documentName: '退件通知书' } });
  });
});

describe('applicant check (单程寄递)', () => {
  it('confirms the applicant of a case applied for elsewhere, the same 404 for an unknown case or wrong query code', async () => {
    const matter = matters.find((m) => m.applicantType === 'person' && m.channels.mail !== 'none')!;
    const applicant = { name: '张三', idNumber: '11010519491231002X' };
    const seeded = await admin('/sim/admin/elsewhere-cases', {
      serviceCode: matter.serviceCode,
      applicant,
      applyChannel: 'online',
      queryCode: '246810',
    });
    expect(seeded.status).toBe(201);
    const projId = seeded.body.projId as string;
    const who = { name: applicant.name, cardType: '111' as const, cardNumber: applicant.idNumber };
    const found = await gov.checkApplicant(projId, { queryCode: '246810', applicant: who });
    expect(found).toMatchObject({ match: true, applyChannel: 'online', resultCollected: false });
    if (found.match)
      expect(found.case).toMatchObject({ projId, serviceCode: matter.serviceCode, stage: '1' });
    expect(
      await gov.checkApplicant(projId, { queryCode: '246810', applicant: { ...who, name: '李四' } }),
    ).toEqual({ match: false });
    const wrong = await govError(gov.checkApplicant(projId, { queryCode: '135790', applicant: who }));
    const unknown = await govError(
      gov.checkApplicant('44011299990101999999', { queryCode: '246810', applicant: who }),
    );
    for (const e of [wrong, unknown])
      expect(e).toMatchObject({ code: 'CASE_NOT_FOUND', status: 404, retryable: false });
    // A case we submitted ourselves has no receipt code: not found the same way.
    const ours = await gov.submitCase(submission(matter));
    expect(
      (await govError(gov.checkApplicant(ours.projId, { queryCode: '246810', applicant: who }))).code,
    ).toBe('CASE_NOT_FOUND');
    // Collecting needs a result: refused before 办结.
    expect((await admin(`/sim/admin/cases/${projId}/collect`, {})).status).toBe(409);
  });
});

describe('outlet-window cases (网点就近办)', () => {
  it('numbers a window case with its receipt query code, the same on a repeat, and checks the applicant by it', async () => {
    const matter = matters.find(
      (m) =>
        m.applicantType === 'person' && m.channels.outlet && m.outletIds.some((o) => o.startsWith('HP-PO')),
    )!;
    const outletId = matter.outletIds.find((o) => o.startsWith('HP-PO'))!;
    const sub = submission(matter, { window: { outletId } });
    const first = await gov.submitCase(sub);
    expect(first.queryCode).toMatch(/^\d{6}$/);
    expect(await gov.submitCase(sub)).toEqual(first);
    const who = { name: '张三', cardType: '111' as const, cardNumber: sub.applicant.cardNumber };
    const found = await gov.checkApplicant(first.projId, { queryCode: first.queryCode!, applicant: who });
    expect(found).toMatchObject({ match: true, applyChannel: 'window' });
    // A door case has no query code; an outlet that does not take the matter is refused for good.
    expect((await gov.submitCase(submission(matter))).queryCode).toBeUndefined();
    const elsewhere = matters.find((m) => !m.outletIds.includes(outletId))!;
    expect(await govError(gov.submitCase(submission(elsewhere, { window: { outletId } })))).toMatchObject({
      code: 'OUTLET_NOT_ACCEPTING',
      status: 422,
      retryable: false,
    });
  });
});

describe('faults', () => {
  it('reports a platform that is down, failing or silent as retryable', async () => {
    await admin('/sim/admin/faults', { downForSeconds: 30 });
    expect(await govError(gov.fetchCatalogue({ limit: 1 }))).toMatchObject({
      code: 'UNREACHABLE',
      retryable: true,
    });

    await admin('/sim/admin/faults', { errorRate: 1 });
    expect(await govError(gov.getCase('x'))).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      retryable: true,
    });

    await admin('/sim/admin/faults', { timeoutRate: 1 });
    const impatient = createGovClient({ apiBase: simUrl, ...GOV, timeoutMs: 200 });
    expect(await govError(impatient.fetchCatalogue({ limit: 1 }))).toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });

    await admin('/sim/admin/faults', {});
    expect((await gov.fetchCatalogue({ limit: 1 })).matters).toHaveLength(1);

    const nowhere = createGovClient({ apiBase: 'http://127.0.0.1:9', ...GOV, timeoutMs: 1000 });
    expect(await govError(nowhere.fetchCatalogue())).toMatchObject({ code: 'UNREACHABLE', retryable: true });
  });
});

describe('reset', () => {
  it('forgets every case, script and fault', async () => {
    const { projId } = await gov.submitCase(submission(matterNamed('失业保险金申领')));
    await admin('/sim/admin/faults', { errorRate: 1 });
    expect((await admin('/sim/admin/reset', {})).status).toBe(200);
    expect((await admin('/sim/cases')).body.cases).toEqual([]);
    expect(await govError(gov.getCase(projId))).toMatchObject({ code: 'CASE_NOT_FOUND' });
  });
});

describe('一件事 bundles in the binding', () => {
  it('the first catalogue page carries 出生一件事; a bundle case is checked against its situation and form', async () => {
    const all = await fetchWholeCatalogue(gov, 50);
    const birth = all.bundles.find((b) => b.name === '出生一件事')!;
    expect(birth.matters).toHaveLength(7);
    const codes = new Set(all.matters.map((m) => m.serviceCode));
    expect(birth.matters.every((m) => codes.has(m.serviceCode))).toBe(true);
    const later = await gov.fetchCatalogue({
      cursor: (await gov.fetchCatalogue({ limit: 25 })).nextCursor,
      limit: 25,
    });
    expect(later.bundles).toBeUndefined();

    const hukou = matterNamed('出生登记');
    const form = {
      babyName: '李小满',
      babySex: '女',
      birthDate: '2026-11-28',
      motherName: '王芳',
      motherIdNumber: '440112199003070017',
      fatherName: '李强',
      fatherIdNumber: '440112199003070017',
      householdHead: '李强',
      hukouAddress: '黄埔区',
    };
    const bundle = { code: birth.code, applicationId: `app-${serial}`, situation: 'settle_here', form };
    // 出生登记 is not mailed on its own, but in the bundle it is.
    expect((await gov.submitCase(submission(hukou, { busMode: '01', bundle }))).projId).toMatch(/^\d{20}$/);
    // Not a matter of the situation: refused; a missing field of this matter: refused.
    const elsewhere = await govError(
      gov.submitCase(submission(hukou, { bundle: { ...bundle, situation: 'settle_elsewhere' } })),
    );
    expect(elsewhere.code).toBe('BUNDLE_MISMATCH');
    const { hukouAddress: _gone, ...short } = form;
    const incomplete = await govError(
      gov.submitCase(submission(hukou, { bundle: { ...bundle, form: short } })),
    );
    expect(incomplete.code).toBe('BUNDLE_FORM_INCOMPLETE');
  });
});
