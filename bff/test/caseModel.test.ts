import { randomUUID } from 'node:crypto';
import { CASE_PROBLEM_SENTENCE, creditCodeCheckChar, errorMessages } from '@zyt/shared';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matters as simMatters } from '../simulators/gov/catalogue';
import { ConfigError, DEMO_PUBLIC_FACTS, loadConfig } from '../src/config';
import type { DatabaseOrTransaction } from '../src/db/client';
import { bookings, cases, matterOutlets, outlets, shipments } from '../src/db/schema';
import { SUBMIT_CASE } from '../src/features/bookings/jobs';
import { type CaseApplicant, openCase } from '../src/features/cases/cases';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { PermanentJobError } from '../src/jobs/queue';
import { supervisorToken } from './catalogueHelpers';
import { testCase } from './emsLegs';
import { bearer, buildTestApp, errorOf, TEST_KEYS, type TestApp } from './helpers';
import { bookingBody, doorMatter, journey, until } from './journey';

/**
 * One case model for every way in: a case has its own id and an applicant (a person, or an enterprise through
 * its operator), its EMS legs name it by checked foreign keys, and a job that gives up on it is never silent.
 */
let t: TestApp;
const { resident, staff, book, collectAll, caseIdOf } = journey(() => t);
const GIVES_UP = 'test.gives-up';

beforeAll(async () => {
  t = await buildTestApp({}, (app) =>
    // Stands for any job that works for a case and is refused for good (e.g. EMS rejecting an order).
    app.jobs.define<{ shipmentId: string }>({
      name: GIVES_UP,
      retrySchedule: [],
      async handle() {
        throw new PermanentJobError('refused for good');
      },
    }),
  );
  await syncCatalogue(t.app.database.db, t.app.gov);
});
afterAll(() => t?.close());

const db = () => t.app.database.db;
type SimCase = {
  ourId: string;
  applicant: {
    applyType: number;
    name: string;
    cardType: string;
    cardNumber: string;
    operatorCardType?: string;
  };
};
const simCase = async (ourId: string) =>
  (await t.gov.admin<{ cases: SimCase[] }>(`/sim/cases?ourId=${ourId}`)).cases[0];
const caseDetail = async (h: Record<string, string>, id: string) => {
  const res = await t.app.inject({ url: `/api/v1/cases/${id}`, headers: h });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

/** A valid 统一社会信用代码 (91 enterprise, 440112 黄埔区). */
const first17 = '91440112MA5D1234X';
const creditCode = first17 + creditCodeCheckChar(first17);

/**
 * A booking whose materials are collected, written directly (the enterprise booking UI comes later, and the
 * API refuses a person booking an enterprise matter): every required material present.
 */
async function collectedBooking(
  tx: DatabaseOrTransaction,
  userId: string,
  matter: (typeof simMatters)[number],
  over: Partial<typeof bookings.$inferInsert> = {},
) {
  const id = randomUUID();
  const seal = (v: object, field: 'address' | 'contact') =>
    t.app.pii.encrypt(JSON.stringify(v), `bookings/${id}/${field}`);
  const [b] = await tx
    .insert(bookings)
    .values({
      id,
      number: `T${Date.now()}${Math.floor(Math.random() * 1000)}`,
      userId,
      idempotencyKey: `direct-${id}`,
      requestHash: 'direct',
      matterCode: matter.serviceCode,
      matterName: matter.name,
      matterVersion: matter.serviceVersion,
      status: 'collected',
      windowKind: 'asap',
      county: '黄埔区',
      outletId: 'HP-PO-01',
      addressSealed: seal(bookingBody().address, 'address'),
      contactSealed: seal(bookingBody().contact, 'contact'),
      review: matter.materials.map((m) => ({ materialId: m.id, present: true, copies: m.count })),
      ...over,
    })
    .returning();
  return b!;
}

/** Opens a case for a collected booking through the query function and queues its submission, in one transaction. */
async function openAndSubmit(
  userId: string,
  matter: (typeof simMatters)[number],
  applicant: CaseApplicant,
  over: Partial<typeof bookings.$inferInsert> = {},
) {
  return db().transaction(async (tx) => {
    const b = await collectedBooking(tx, userId, matter, over);
    const c = await openCase(tx, {
      userId,
      channel: applicant.kind === 'enterprise' ? 'enterprise_claim' : 'door_visit',
      applicant,
      matter: {
        code: matter.serviceCode,
        name: matter.name,
        promisedWorkingDays: matter.promisedWorkingDays,
      },
      bookingId: b.id,
    });
    await t.app.jobs.enqueue(tx, SUBMIT_CASE, { caseId: c.id });
    return c;
  });
}

const enterpriseMatter = simMatters.find(
  (m) => m.applicantType === 'enterprise' && m.channels.doorPickup && m.channels.mail !== 'none',
)!;

describe('applicants', () => {
  it('submits a person’s case as APPLY_TYPE 0 with the resident ID, under the case’s own id', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const bookingId = await collectAll(agent.h, (await book(r.h)).json().id);
    const caseId = await caseIdOf(bookingId);
    expect(caseId).not.toBe(bookingId);
    await until(async () => !!(await simCase(caseId)));
    expect((await simCase(caseId))!.applicant).toEqual({
      applyType: 0,
      name: '张三',
      cardType: '111',
      cardNumber: '11010519491231002X',
    });
    await until(async () => !!(await caseDetail(r.h, caseId)).caseNumber);
    const d = await caseDetail(r.h, caseId);
    expect(d).toMatchObject({ channel: 'door_visit', applicantKind: 'person', bookingId, problem: null });
    // The booking links to its case (查看办件进度), in one and in the list…
    const own = (await t.app.inject({ url: `/api/v1/bookings/${bookingId}`, headers: r.h })).json();
    expect(own.case.id).toBe(caseId);
    const list = (await t.app.inject({ url: '/api/v1/bookings', headers: r.h })).json().items;
    expect(list.find((b: { id: string }) => b.id === bookingId).case.id).toBe(caseId);
    // …and the booking id is not a case id any more.
    expect((await t.app.inject({ url: `/api/v1/cases/${bookingId}`, headers: r.h })).statusCode).toBe(404);
  });

  it('submits an enterprise case as APPLY_TYPE 1 with its credit code and the user as operator (经办人)', async () => {
    const r = await resident();
    const c = await openAndSubmit(r.user.id, enterpriseMatter, {
      kind: 'enterprise',
      name: '广州黄埔示例科技有限公司',
      creditCode,
    });
    expect(c).toMatchObject({ applicantKind: 'enterprise', enterpriseCreditCode: creditCode });
    await until(async () => !!(await simCase(c.id)));
    expect((await simCase(c.id))!.applicant).toEqual({
      applyType: 1,
      name: '广州黄埔示例科技有限公司',
      cardType: '001',
      cardNumber: creditCode,
      operatorCardType: '111',
    });
    await until(async () => !!(await caseDetail(r.h, c.id)).caseNumber);
    expect(await caseDetail(r.h, c.id)).toMatchObject({
      applicantKind: 'enterprise',
      channel: 'enterprise_claim',
    });
  });

  it('refuses an enterprise applicant with a wrong credit code, opening nothing', async () => {
    const r = await resident();
    const before = (await db().select({ n: count() }).from(cases))[0]!.n;
    await expect(
      openAndSubmit(r.user.id, enterpriseMatter, { kind: 'enterprise', name: '某公司', creditCode: '123' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await db().select({ n: count() }).from(cases))[0]!.n).toBe(before);
  });

  it('refuses a resident booking an enterprise (法人) matter with MATTER_FOR_ENTERPRISES, writing nothing', async () => {
    const r = await resident();
    const before = (await db().select({ n: count() }).from(bookings))[0]!.n;
    const res = await book(r.h, bookingBody({ matterCode: enterpriseMatter.serviceCode }));
    expect(res.statusCode).toBe(422);
    expect(errorOf(res)).toMatchObject({
      code: 'MATTER_FOR_ENTERPRISES',
      message: errorMessages.MATTER_FOR_ENTERPRISES,
      details: [{ field: 'matterCode' }],
    });
    expect(errorOf(res).message).toContain('企业');
    expect((await db().select({ n: count() }).from(bookings))[0]!.n).toBe(before);
  });
});

describe('nothing fails silently', () => {
  it('shows a submission the platform refused for good on the case and as a supervisor breach', async () => {
    const r = await resident();
    // Prepared against a matter version the platform no longer has: refused (409), not retried.
    const c = await openAndSubmit(r.user.id, doorMatter, { kind: 'person' }, { matterVersion: 'outdated' });
    await until(async () => (await caseDetail(r.h, c.id)).problem !== null);
    const d = await caseDetail(r.h, c.id);
    expect(d).toMatchObject({ problem: CASE_PROBLEM_SENTENCE, attention: true, caseNumber: null });
    expect(d.nextStep).toContain(CASE_PROBLEM_SENTENCE);
    const listed = (await t.app.inject({ url: '/api/v1/cases', headers: r.h })).json().items;
    expect(listed.find((i: { id: string }) => i.id === c.id)).toMatchObject({ attention: true });

    const supervisor = bearer(await supervisorToken(t));
    const { items, counts } = (
      await t.app.inject({ url: '/api/v1/supervision/breaches', headers: supervisor })
    ).json();
    expect(items).toContainEqual(
      expect.objectContaining({
        kind: 'case_stuck',
        label: '办件提交受阻',
        subjectId: c.id,
        bookingId: c.bookingId,
        outstanding: true,
        detail: expect.stringContaining(SUBMIT_CASE),
      }),
    );
    expect(counts.case_stuck).toBeGreaterThanOrEqual(1);
  });

  it('marks the case of ANY dead-lettered job whose data names one of its legs', async () => {
    const caseId = await testCase(db());
    const [leg] = await db()
      .insert(shipments)
      .values({
        leg: 'result_to_applicant',
        subjectKind: 'case',
        caseId,
        senderSealed: 'sealed',
        receiverSealed: 'sealed',
      })
      .returning();
    await t.app.jobs.enqueue(db(), GIVES_UP, { shipmentId: leg!.id });
    await until(async () => {
      const [c] = await db().select().from(cases).where(eq(cases.id, caseId));
      return c!.problem !== null;
    });
    const [c] = await db().select().from(cases).where(eq(cases.id, caseId));
    expect(c!.problem).toMatchObject({ job: GIVES_UP, detail: 'refused for good' });
  });
});

describe('shipment subjects', () => {
  const leg = (over: Partial<typeof shipments.$inferInsert>) =>
    db()
      .insert(shipments)
      .values({
        leg: 'materials_to_centre',
        subjectKind: 'case',
        senderSealed: 'sealed',
        receiverSealed: 'sealed',
        ...over,
      });
  const sqlState = async (p: Promise<unknown>) => {
    const err = (await p.then(
      () => undefined,
      (e: unknown) => e,
    )) as { code?: string; cause?: { code?: string } } | undefined;
    return err?.cause?.code ?? err?.code;
  };

  it('are checked by the database: a leg for a case or booking that does not exist is refused', async () => {
    expect(await sqlState(leg({ caseId: randomUUID() }))).toBe('23503'); // foreign key
    expect(await sqlState(leg({ subjectKind: 'booking', bookingId: randomUUID() }))).toBe('23503');
    expect(await sqlState(leg({}))).toBe('23514'); // a case leg without its case
    const caseId = await testCase(db());
    expect(await sqlState(leg({ subjectKind: 'booking', caseId }))).toBe('23514'); // the wrong column
    expect(await sqlState(leg({ caseId }))).toBeUndefined();
  });
});

describe('regions', () => {
  it('copies each outlet’s province and city from the catalogue', async () => {
    const [o] = await db().select().from(outlets).where(eq(outlets.id, 'HP-PO-01'));
    expect(o).toMatchObject({ province: '广东省', city: '广州市', district: '黄埔区' });
  });

  it('gives an EMS order from an outlet outside Guangdong that outlet’s own province and city', async () => {
    // As a catalogue sync would write them: a post office and a centre in 甘肃省张掖市甘州区.
    const place = { province: '甘肃省', city: '张掖市', district: '甘州区', street: '东街街道' };
    const common = { ...place, lat: 38.93, lng: 100.45, phone: '0936-8360299', hours: [], position: 900 };
    await db()
      .insert(outlets)
      .values([
        { ...common, id: 'GZ-PO-01', name: '甘州区邮政所', kind: 'post_office', address: '县府街1号' },
        {
          ...common,
          id: 'GZ-SC-01',
          name: '甘州区政务服务中心',
          kind: 'service_centre',
          address: '北环路2号',
        },
      ]);
    await db()
      .insert(matterOutlets)
      .values([
        { matterCode: doorMatter.serviceCode, outletId: 'GZ-PO-01' },
        { matterCode: doorMatter.serviceCode, outletId: 'GZ-SC-01' },
      ]);
    const r = await resident();
    const agent = await staff('postal_agent', 'GZ-PO-01');
    const booked = await book(
      r.h,
      bookingBody({
        address: { province: '甘肃省', city: '张掖市', county: '甘州区', detail: '县府街8号2单元' },
      }),
    );
    expect(booked.statusCode, booked.body).toBe(201);
    const caseId = await caseIdOf(await collectAll(agent.h, booked.json().id));
    const [materials] = await db().select().from(shipments).where(eq(shipments.caseId, caseId));
    const orderNo = materials!.id.replaceAll('-', '');
    type Order = { logisticsOrderNo: string; sender: object; receiver: object };
    const order = async () =>
      (await t.ems.admin<{ orders: Order[] }>('/sim/orders')).orders.find(
        (o) => o.logisticsOrderNo === orderNo,
      );
    await until(async () => !!(await order()));
    expect(await order()).toMatchObject({
      sender: { prov: '甘肃省', city: '张掖市', county: '甘州区' },
      receiver: { prov: '甘肃省', city: '张掖市', county: '甘州区' },
    });
  });
});

describe('booking defaults', () => {
  it('gives the resident their last address in full, and nobody else', async () => {
    const r = await resident();
    const other = await resident();
    const defaults = async (h: Record<string, string>) => {
      const res = await t.app.inject({ url: '/api/v1/bookings/defaults', headers: h });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    expect(await defaults(r.h)).toEqual({ address: null });
    await book(r.h, bookingBody({ address: { ...bookingBody().address, detail: '开创大道100号1栋101' } }));
    expect(await defaults(r.h)).toEqual({
      address: { ...bookingBody().address, detail: '开创大道100号1栋101' },
    });
    expect(await defaults(other.h)).toEqual({ address: null });
    expect((await t.app.inject({ url: '/api/v1/bookings/defaults' })).statusCode).toBe(401);
  });
});

describe('public facts (服务公开)', () => {
  it('serves the region’s services, process, fee schedule and hotlines to anyone', async () => {
    const res = await t.app.inject({ url: '/api/v1/public/facts' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(DEMO_PUBLIC_FACTS);
    expect(res.json().fees).toContainEqual({ item: '上门收件', standard: '免费' });
  });

  it('comes from PUBLIC_FACTS, checked at start', () => {
    const base = { NODE_ENV: 'test', DATA_DIR: 'memory://', ...TEST_KEYS };
    const own = {
      region: '张掖市甘州区',
      services: ['政务+邮政便民服务代办'],
      process: ['受理', '线上流转审批', '邮政快递送达'],
      fees: [{ item: '代办', standard: '免费' }],
      hotlines: [{ name: '监督热线', phone: '0936-8360299' }],
    };
    expect(loadConfig({ ...base, PUBLIC_FACTS: JSON.stringify(own) }).publicFacts).toEqual(own);
    expect(() => loadConfig({ ...base, PUBLIC_FACTS: '{' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, PUBLIC_FACTS: JSON.stringify({ ...own, hotlines: [] }) })).toThrow(
      /PUBLIC_FACTS/,
    );
  });
});
