import { beijingDate, residentIdCheckChar } from '@zyt/shared';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundles as simBundles } from '../simulators/gov/catalogue';
import {
  bookings,
  bundleMaterials,
  bundleMatters,
  bundleSituations,
  bundles,
  cases,
  settlementItems,
  shipments,
} from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { bookingBody, journey, until } from './journey';

/**
 * 一件事一次办 (出生一件事): the platform publishes the bundle, the resident books one door visit for it, the
 * platform gets a case per matter that applies, results come in at different times (some waiting for others)
 * and travel by EMS, several to a parcel.
 */
let t: TestApp;
const { resident, staff, book, collectAll } = journey(() => t);
const BIRTH = simBundles[0]!;
const id18 = (first17: string) => first17 + residentIdCheckChar(first17);
const MOTHER_ID = id18('44011219930512002');
const FATHER_ID = id18('44011219910203001');
const today = () => beijingDate(new Date());
const daysAgo = (n: number) => {
  const d = new Date(`${today()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
};
const fullForm = (over: Record<string, string> = {}) => ({
  babyName: '李小满',
  babySex: '女',
  birthDate: daysAgo(5),
  birthPlace: '广州市黄埔区妇幼保健院',
  motherName: '王芳',
  motherIdNumber: MOTHER_ID,
  fatherName: '李强',
  fatherIdNumber: FATHER_ID,
  householdHead: '李强',
  hukouAddress: '广州市黄埔区大沙地东路1号3栋502',
  ...over,
});
const bundleBooking = (situation: string, form: Record<string, string> = fullForm()) =>
  bookingBody({ matterCode: BIRTH.code, bundle: { situation, form } });
const count = async (table: typeof bookings | typeof cases) =>
  Number((await t.app.database.db.select({ n: sql<number>`count(*)` }).from(table))[0]!.n);

beforeAll(async () => {
  t = await buildTestApp({ BUNDLE_PARCEL_WINDOW_SECONDS: '1' });
  await syncCatalogue(t.app.database.db, t.app.gov);
  const base = await t.listen();
  t.gov.sim.setCallbackUrl(`${base}/api/v1/hooks/gov/cases`);
  t.ems.sim.setPushUrl(`${base}/api/v1/hooks/ems/track`);
  t.gov.sim.setSpeed(2000);
  await t.ems.admin('/sim/admin/clock', { speed: 40_000 });
  await t.ems.admin('/sim/admin/script', { defaultOutcome: 'delivered' });
});
afterAll(() => t?.close());

describe('catalogue sync of bundles', () => {
  it('stores 出生一件事 with its 7 matters, situations, one set of form fields and one merged materials list', async () => {
    const { db } = t.app.database;
    expect(await db.select().from(bundles)).toMatchObject([{ code: BIRTH.code, name: '出生一件事' }]);
    expect(
      await db.select().from(bundleMatters).where(eq(bundleMatters.bundleCode, BIRTH.code)),
    ).toHaveLength(7);
    expect(await db.select().from(bundleSituations)).toHaveLength(3);
    const merged = await db.select().from(bundleMaterials).where(eq(bundleMaterials.bundleCode, BIRTH.code));
    const names = merged.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    // 父母双方居民身份证 is asked by three matters and listed once, standing for each matter's own line.
    const ids = merged.find((m) => m.name === '父母双方居民身份证')!;
    expect(ids.sources.length).toBe(3);
    // 出生医学证明 is issued inside the bundle: it names its issuer.
    expect(merged.find((m) => m.name === '出生医学证明')?.issuedBy).toBe(BIRTH.matters[0]!.serviceCode);

    const res = await t.app.inject({ url: `/api/v1/bundles/${BIRTH.code}` });
    expect(res.statusCode, res.body).toBe(200);
    const guide = res.json();
    expect(guide).toMatchObject({ name: '出生一件事', matterCount: 7, physicalResults: 5, doorPickup: true });
    const fieldIds = guide.fields.map((f: { id: string }) => f.id);
    expect(new Set(fieldIds).size).toBe(fieldIds.length);
    expect(guide.fields.find((f: { id: string }) => f.id === 'babyName').matterCodes).toHaveLength(7);
    expect((await t.app.inject({ url: '/api/v1/bundles' })).json().items).toHaveLength(1);
    expect(errorOf(await t.app.inject({ url: '/api/v1/bundles/NO-SUCH' })).code).toBe('BUNDLE_NOT_FOUND');
  });

  it('a bundle naming a matter the catalogue lacks is left out whole', async () => {
    const { prepareBundles } = await import('../src/features/bundles/merge');
    const broken = {
      ...BIRTH,
      matters: [...BIRTH.matters, { serviceCode: 'NOPE', fieldIds: [], dependsOn: [] }],
    };
    const { rows, skipped } = prepareBundles([broken], new Map());
    expect(skipped).toEqual([BIRTH.code]);
    expect(rows.bundles).toEqual([]);
  });
});

describe('booking a bundle: refusals', () => {
  it('refuses a situation the bundle does not have, or one that does not fit, and writes nothing', async () => {
    const r = await resident();
    const before = await count(bookings);
    const unknown = await book(r.h, bundleBooking('adopted'));
    expect(unknown.statusCode).toBe(422);
    expect(errorOf(unknown)).toMatchObject({
      code: 'BUNDLE_SITUATION_NOT_APPLICABLE',
      message: expect.stringMatching(/情形/),
    });
    const tooOld = await book(r.h, bundleBooking('settle_here', fullForm({ birthDate: daysAgo(200) })));
    expect(tooOld.statusCode).toBe(422);
    expect(errorOf(tooOld).code).toBe('BUNDLE_SITUATION_NOT_APPLICABLE');
    expect(errorOf(tooOld).details?.[0]).toMatchObject({
      field: 'bundle.form.birthDate',
      message: expect.stringContaining('90天'),
    });
    const noSituation = await book(r.h, bookingBody({ matterCode: BIRTH.code }));
    expect(errorOf(noSituation).code).toBe('BUNDLE_SITUATION_REQUIRED');
    const badForm = await book(
      r.h,
      bundleBooking('settle_here', fullForm({ motherIdNumber: '440112199305120000', babySex: '未知' })),
    );
    expect(badForm.statusCode).toBe(422);
    expect(errorOf(badForm).code).toBe('BUNDLE_FORM_INVALID');
    expect(
      errorOf(badForm)
        .details?.map((d) => d.field)
        .sort(),
    ).toEqual(['bundle.form.babySex', 'bundle.form.motherIdNumber']);
    // The form of a situation asks only its own fields: 落户 fields are refused where the child settles elsewhere.
    const extra = await book(r.h, bundleBooking('settle_elsewhere'));
    expect(errorOf(extra).code).toBe('BUNDLE_FORM_INVALID');
    const notBundle = await book(
      r.h,
      bookingBody({ bundle: { situation: 'settle_here', form: fullForm() } }),
    );
    expect(notBundle.statusCode).toBe(404);
    expect(errorOf(notBundle).code).toBe('BUNDLE_NOT_FOUND');
    expect(await count(bookings)).toBe(before);
  });
});

describe('出生一件事 from one door visit to five certificates at the door', () => {
  it('one visit → 7 platform cases → results over time, dependencies kept → 5 certificates in fewer parcels', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const res = await book(r.h, bundleBooking('settle_here'));
    expect(res.statusCode, res.body).toBe(201);
    const booking = res.json();
    expect(booking.bundle).toMatchObject({
      code: BIRTH.code,
      name: '出生一件事',
      situation: { id: 'settle_here' },
    });
    // The form is personal data: sealed at rest.
    const [row] = await t.app.database.db.select().from(bookings).where(eq(bookings.id, booking.id));
    expect(row!.bundleFormSealed).not.toContain('李小满');

    const visit = (
      await t.app.inject({ url: `/api/v1/staff/visits/${booking.id}`, headers: agent.h })
    ).json();
    const lines = visit.checklist.map((m: { name: string }) => m.name);
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines).not.toContain('出生医学证明'); // issued inside the bundle, shared by the departments
    await collectAll(agent.h, booking.id);

    const { db } = t.app.database;
    const mine = await db.select().from(cases).where(eq(cases.bundleBookingId, booking.id));
    expect(mine).toHaveLength(7);
    expect(new Set(mine.map((c) => c.channel))).toEqual(new Set(['bundle']));

    // Each matter reaches the platform once, all under one application.
    const sim = await until(async () => {
      const all = await t.gov.admin<{
        cases: {
          ourId: string;
          serviceCode: string;
          submissions: number;
          bundle: { applicationId: string } | null;
          completedAt: string | null;
        }[];
      }>('/sim/cases');
      const ours = all.cases.filter((c) => mine.some((m) => m.id === c.ourId));
      return ours.length === 7 && ours.every((c) => c.completedAt) ? ours : undefined;
    });
    expect(sim.every((c) => c.submissions === 1 && c.bundle?.applicationId === booking.id)).toBe(true);
    const doneAt = (name: string) => {
      const code = mine.find((m) => m.matterName === name)!.matterCode;
      return sim.find((c) => c.serviceCode === code)!.completedAt!;
    };
    // Results depend on each other: 户口 after the 出生医学证明, the 社会保障卡 after the 户口.
    expect(doneAt('出生登记') >= doneAt('出生医学证明首次签发')).toBe(true);
    expect(doneAt('社会保障卡申领（首次）') >= doneAt('出生登记')).toBe(true);
    expect(doneAt('城乡居民基本医疗保险参保登记') >= doneAt('出生登记')).toBe(true);

    const physical = mine.filter((c) => BIRTH_PHYSICAL.includes(c.matterName));
    expect(physical).toHaveLength(5);
    const delivered = await until(async () => {
      const now = await db.select().from(cases).where(eq(cases.bundleBookingId, booking.id));
      return now.filter((c) => c.status === 'delivered').length === 5 ? now : undefined;
    });
    // The two electronic results are done without a parcel.
    expect(delivered.filter((c) => c.status === 'completed').map((c) => c.result?.kind)).toEqual([
      'electronic',
      'electronic',
    ]);
    const parcelIds = [
      ...new Set(delivered.flatMap((c) => (c.resultShipmentId ? [c.resultShipmentId] : []))),
    ];
    expect(parcelIds.length).toBeGreaterThanOrEqual(1);
    expect(parcelIds.length).toBeLessThan(5);
    const parcels = await db.select().from(shipments).where(inArray(shipments.id, parcelIds));
    expect(parcels.every((p) => p.leg === 'result_to_applicant' && p.status === 'delivered')).toBe(true);
    // Postage is paid per parcel, once each.
    expect(
      await db.select().from(settlementItems).where(inArray(settlementItems.shipmentId, parcelIds)),
    ).toHaveLength(parcelIds.length);

    // One timeline for the bundle: the visit, each matter by name, each certificate's parcel.
    const tl = await t.app.inject({ url: `/api/v1/bookings/${booking.id}/bundle`, headers: r.h });
    expect(tl.statusCode, tl.body).toBe(200);
    const view = tl.json();
    expect(view.items).toHaveLength(7);
    expect(view.items.filter((i: { waybillNo: string | null }) => i.waybillNo)).toHaveLength(5);
    expect(view.parcels.flatMap((p: { documents: string[] }) => p.documents).sort()).toEqual(
      ['出生医学证明', '居民户口簿（已登记婴儿户口页）', '预防接种证', '婴幼儿保健册', '社会保障卡'].sort(),
    );
    const titles = view.events.map((e: { title: string }) => e.title).join('\n');
    expect(titles).toContain('出生登记：');
    expect(titles).toMatch(/证照寄递（.*社会保障卡.*）/);
    expect(JSON.stringify(view)).not.toContain(MOTHER_ID);

    // Someone else's booking is "not found".
    const other = await resident();
    const foreign = await t.app.inject({ url: `/api/v1/bookings/${booking.id}/bundle`, headers: other.h });
    expect(foreign.statusCode).toBe(404);
  }, 60_000);

  it('a situation with 3 matters gives 3 cases', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const { hukouAddress, householdHead, ...elsewhere } = fullForm();
    const res = await book(r.h, bundleBooking('settle_elsewhere', elsewhere));
    expect(res.statusCode, res.body).toBe(201);
    await collectAll(agent.h, res.json().id);
    const mine = await t.app.database.db.select().from(cases).where(eq(cases.bundleBookingId, res.json().id));
    expect(mine.map((c) => c.matterName).sort()).toEqual(
      ['出生医学证明首次签发', '婴幼儿保健册发放', '预防接种证办理'].sort(),
    );
    await until(async () => {
      const now = await t.app.database.db
        .select()
        .from(cases)
        .where(eq(cases.bundleBookingId, res.json().id));
      return now.every((c) => c.status === 'delivered');
    });
  }, 60_000);
});

const BIRTH_PHYSICAL = [
  '出生医学证明首次签发',
  '出生登记',
  '预防接种证办理',
  '婴幼儿保健册发放',
  '社会保障卡申领（首次）',
];
