import { randomUUID } from 'node:crypto';
import { beijingDate, residentIdCheckChar } from '@zyt/shared';
import { and, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matterNamed, bundles as simBundles } from '../simulators/gov/catalogue';
import { bags, bookings, cases, supplements } from '../src/db/schema';
import { parseBagCode } from '../src/features/bags/codes';
import { waitingSupplements } from '../src/features/bags/jobs';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { bookingBody, journey, until } from './journey';

/**
 * 一件事一次办 when the door review finds materials missing (issue 15): the resident books the same bundle again,
 * or sends what is missing in one 替你跑 bag whose lists belong to the matters that need them, or the agent
 * takes the matters that allow 容缺受理 at once and leaves the bag for the rest.
 */
let t: TestApp;
const { resident, staff, book, visit } = journey(() => t);
const SECRET = 'bag-code-secret-for-tests-0123456789';
const BIRTH = simBundles[0]!;
const id18 = (first17: string) => first17 + residentIdCheckChar(first17);
const daysAgo = (n: number) => {
  const d = new Date(`${beijingDate(new Date())}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
};
const fullForm = (over: Record<string, string> = {}) => ({
  babyName: '李小满',
  babySex: '女',
  birthDate: daysAgo(5),
  birthPlace: '广州市黄埔区妇幼保健院',
  motherName: '王芳',
  motherIdNumber: id18('44011219930512002'),
  fatherName: '李强',
  fatherIdNumber: id18('44011219910203001'),
  householdHead: '李强',
  hukouAddress: '广州市黄埔区大沙地东路1号3栋502',
  ...over,
});
const bundleBooking = (situation: string, form: Record<string, string> = fullForm()) =>
  bookingBody({ matterCode: BIRTH.code, bundle: { situation, form } });

const HUKOU = '出生登记';
const CARD = '社会保障卡申领（首次）';
const codeOf = (name: string) => matterNamed(name).serviceCode;
/** A matter's own id for a material it asks for by this name. */
const ownId = (matter: string, material: string) =>
  matterNamed(matter).materials.find((m) => m.name === material)!.id;

type Line = {
  materialId: string;
  name: string;
  count: number;
  required: boolean;
  matters?: { name: string; tolerant: boolean }[];
};
type Visit = { status: string; checklist: Line[]; tolerantAcceptance?: boolean };

const visitOf = async (h: Record<string, string>, id: string): Promise<Visit> =>
  (await t.app.inject({ url: `/api/v1/staff/visits/${id}`, headers: h })).json();

/** The agent at the door with the merged checklist: everything present except the lines named. */
async function reviewAtDoor(
  h: Record<string, string>,
  id: string,
  missing: string[],
  tolerate?: { bagCode: string },
) {
  for (const step of ['accept', 'depart', 'arrive', 'start-review']) await visit(h, id, step);
  const v = await visitOf(h, id);
  for (const name of missing) expect(v.checklist.map((m) => m.name)).toContain(name);
  const items = v.checklist.map((m) => ({
    materialId: m.materialId,
    present: !missing.includes(m.name),
    copies: missing.includes(m.name) ? 0 : m.count,
  }));
  return visit(h, id, 'review', tolerate ? { items, tolerate } : { items });
}

let clerk: Awaited<ReturnType<typeof staff>>;
const newBags = async (count: number) => {
  clerk ??= await staff('centre_clerk');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/staff/bag-batches',
    headers: clerk.h,
    payload: { count, validUntil: '2099-12-31' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().codes as string[];
};
/** A bag's row by the code printed on it. */
const bagOf = async (printed: string) => {
  const parsed = parseBagCode(printed, SECRET);
  if (!parsed.ok) throw new Error(`bad code ${printed}`);
  const [row] = await t.app.database.db.select().from(bags).where(eq(bags.code, parsed.code));
  return row!;
};
const scan = (h: Record<string, string>, code: string) =>
  t.app.inject({ url: `/api/v1/bags/${encodeURIComponent(code)}`, headers: h });
const confirm = (h: Record<string, string>, code: string, payload: object) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/bags/${encodeURIComponent(code)}/confirm`,
    headers: { ...h, 'idempotency-key': `k-${randomUUID()}` },
    payload,
  });
const receive = (code: string, items: { id: string; present: boolean }[]) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/staff/bags/${code}/receive`,
    headers: clerk.h,
    payload: { items },
  });
const address = { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' };
const contact = { name: '张三', phone: '13800138000' };
const timeline = async (h: Record<string, string>, id: string) =>
  (await t.app.inject({ url: `/api/v1/bookings/${id}/bundle`, headers: h })).json() as {
    events: { title: string; detail: string | null }[];
    items: { matter: { name: string }; status: string; waitingForMaterials?: string[] }[];
    waiting?: { matter: { name: string }; materials: string[]; note: string }[];
  };
const casesOf = (bookingId: string) =>
  t.app.database.db.select().from(cases).where(eq(cases.bundleBookingId, bookingId));
const listsOf = (caseIds: string[]) =>
  t.app.database.db.select().from(supplements).where(inArray(supplements.caseId, caseIds));
const simCases = async (ids: string[]) =>
  (
    await t.gov.admin<{
      cases: {
        ourId: string;
        submissions: number;
        materialsWaybill: string | null;
        supplementsPushed: string[];
      }[];
    }>('/sim/cases')
  ).cases.filter((c) => ids.includes(c.ourId));

beforeAll(async () => {
  t = await buildTestApp({ BAG_CODE_SECRET: SECRET, BUNDLE_PARCEL_WINDOW_SECONDS: '1' });
  await syncCatalogue(t.app.database.db, t.app.gov);
  const base = await t.listen();
  t.gov.sim.setCallbackUrl(`${base}/api/v1/hooks/gov/cases`);
  t.ems.sim.setPushUrl(`${base}/api/v1/hooks/ems/track`);
  t.gov.sim.setSpeed(2000);
  await t.ems.admin('/sim/admin/clock', { speed: 40_000 });
  await t.ems.admin('/sim/admin/script', { defaultOutcome: 'delivered' });
});
afterAll(() => t?.close());

describe('a bundle visit that ended 材料不齐, booked again', () => {
  it('the new booking carries the same bundle, situation and (edited) form; the door uses the merged list again', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const first = (await book(r.h, bundleBooking('settle_here'))).json();
    const ended = await reviewAtDoor(agent.h, first.id, ['父或母一方的居民户口簿']);
    expect(ended.json().status).toBe('materials_incomplete');
    const firstList = (await visitOf(agent.h, first.id)).checklist.map((m) => m.materialId);

    // The resident's timeline says which matter waits on what, before any case exists.
    const tl = await timeline(r.h, first.id);
    expect(tl.items).toEqual([]);
    expect(tl.events.map((e) => e.title).join('\n')).toMatch(/材料不齐/);
    expect(tl.waiting).toEqual([
      {
        matter: { code: codeOf(HUKOU), name: HUKOU },
        materials: ['父或母一方的居民户口簿'],
        note: expect.stringContaining('重新预约'),
      },
    ]);

    const draft = (await t.app.inject({ url: `/api/v1/bookings/${first.id}/rebook`, headers: r.h })).json();
    expect(draft).toMatchObject({
      matterCode: BIRTH.code,
      bundle: {
        code: BIRTH.code,
        name: '出生一件事',
        situation: { id: 'settle_here', name: '新生儿在本区落户' },
        form: fullForm(),
      },
      missingItems: [{ name: '父或母一方的居民户口簿' }],
    });

    // Bad input is refused with its code, and nothing is written.
    const before = (await t.app.database.db.select().from(bookings).where(eq(bookings.userId, r.user.id)))
      .length;
    const wrong = await book(r.h, {
      ...bookingBody({ matterCode: draft.matterCode }),
      bundle: { situation: 'adopted', form: draft.bundle.form },
    });
    expect(wrong.statusCode).toBe(422);
    expect(errorOf(wrong)).toMatchObject({
      code: 'BUNDLE_SITUATION_NOT_APPLICABLE',
      message: expect.stringMatching(/情形/),
    });
    const elsewhere = await book(r.h, {
      ...bookingBody({ matterCode: draft.matterCode }),
      bundle: { situation: 'settle_elsewhere', form: draft.bundle.form },
    });
    expect(errorOf(elsewhere).code).toBe('BUNDLE_FORM_INVALID');
    expect(
      (await t.app.database.db.select().from(bookings).where(eq(bookings.userId, r.user.id))).length,
    ).toBe(before);

    // Booked again from the draft, the form edited.
    const again = await book(r.h, {
      matterCode: draft.matterCode,
      address: draft.address,
      contact: draft.contact,
      window: { kind: 'asap' },
      bundle: { situation: draft.bundle.situation.id, form: { ...draft.bundle.form, babyName: '李小安' } },
    });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().bundle).toMatchObject({ code: BIRTH.code, situation: { id: 'settle_here' } });
    const redraft = (
      await t.app.inject({ url: `/api/v1/bookings/${again.json().id}/rebook`, headers: r.h })
    ).json();
    expect(redraft.bundle.form.babyName).toBe('李小安');

    // The first visit can no longer be sent by bag: it was booked again.
    const [bag] = await newBags(1);
    const scanned = await scan(r.h, bag!);
    expect(errorOf(scanned).code).toBe('SUPPLEMENT_NOT_NEEDED');

    // At the door: the situation's merged checklist again, and all of it collected opens a case per matter.
    const v2 = await reviewAtDoor(agent.h, again.json().id, []);
    expect(v2.json().status).toBe('collected');
    expect((await visitOf(agent.h, again.json().id)).checklist.map((m) => m.materialId)).toEqual(firstList);
    expect(await casesOf(again.json().id)).toHaveLength(7);
  }, 120_000);
});

describe('a bundle visit that ended 材料不齐, sent by one 替你跑 bag', () => {
  it('opens a case per matter, each with its own share of the list, and submits them all once the bag is in', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const booking = (await book(r.h, bundleBooking('settle_here'))).json();
    const missing = ['父母双方居民身份证', '居民户口簿'];
    expect((await reviewAtDoor(agent.h, booking.id, missing)).json().status).toBe('materials_incomplete');

    const [bag, other] = await newBags(2);
    const view = (await scan(r.h, bag!)).json();
    expect(view.visits).toHaveLength(1);
    expect(view.visits[0]).toMatchObject({ bookingId: booking.id, matterName: '出生一件事' });
    const items = view.visits[0].items as { id: string; name: string }[];
    expect(items.map((i) => i.name).sort()).toEqual([...missing].sort());

    // Someone else cannot send this application's materials, nor see its bag.
    const stranger = await resident();
    const foreign = await confirm(stranger.h, other!, {
      bookingId: booking.id,
      items: items.map((i) => i.id),
      contact,
      handover: { kind: 'pickup', address, window: view.pickupWindows[0] },
    });
    expect(foreign.statusCode).toBe(404);
    expect(errorOf(foreign)).toMatchObject({ code: 'BOOKING_NOT_FOUND', message: expect.any(String) });
    expect(await casesOf(booking.id)).toEqual([]);

    const sent = await confirm(r.h, bag!, {
      bookingId: booking.id,
      items: items.map((i) => i.id),
      contact,
      handover: { kind: 'pickup', address, window: view.pickupWindows[0] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(
      sent
        .json()
        .items.map((i: { name: string }) => i.name)
        .sort(),
    ).toEqual([...missing].sort());
    expect(sent.json().nextStep).toContain('各事项');
    const theirs = await scan(stranger.h, bag!);
    expect(theirs.statusCode).toBe(404);
    expect(errorOf(theirs).code).toBe('BAG_NOT_FOUND');

    // A case per matter, none on the booking as a single matter, all waiting for the bag.
    const opened = await casesOf(booking.id);
    expect(opened).toHaveLength(7);
    expect(opened.every((c) => c.status === 'awaiting_materials' && c.channel === 'bundle')).toBe(true);
    expect(
      await t.app.database.db
        .select()
        .from(cases)
        .where(or(eq(cases.bookingId, booking.id), eq(cases.matterCode, BIRTH.code))),
    ).toEqual([]);
    // Each list is its matter's share, mapped by origin: 身份证 for three matters, 户口簿 for the card.
    const lists = await listsOf(opened.map((c) => c.id));
    const byMatter = new Map(
      lists.map((s) => [opened.find((c) => c.id === s.caseId)!.matterName, s] as const),
    );
    expect([...byMatter.keys()].sort()).toEqual(
      ['出生医学证明首次签发', HUKOU, '预防接种证办理', CARD].sort(),
    );
    for (const [matter, s] of byMatter)
      for (const item of s.items) expect(item.materialId).toBe(ownId(matter, item.name));
    const bagRow = await bagOf(bag!);
    const lead = lists.find((s) => s.id === bagRow.supplementId)!;
    expect(lead.groupId).toBe(lead.id);
    expect(lists.every((s) => s.groupId === lead.id && s.source === 'visit')).toBe(true);

    const tl = await timeline(r.h, booking.id);
    expect(tl.waiting?.map((w) => w.matter.name).sort()).toEqual([...byMatter.keys()].sort());
    expect(tl.items.find((i) => i.matter.name === CARD)?.waitingForMaterials).toEqual(['居民户口簿']);
    expect(tl.items.find((i) => i.matter.name === '婴幼儿保健册发放')?.waitingForMaterials).toEqual([]);

    // The centre ticks each item once; every case of the application goes to the platform.
    const received = await receive(
      bag!,
      items.map((i) => ({ id: i.id, present: true })),
    );
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json().receipt.complete).toBe(true);
    const ids = opened.map((c) => c.id);
    const sim = await until(async () => {
      const found = await simCases(ids);
      return found.length === 7 ? found : undefined;
    });
    expect(sim.every((c) => c.submissions === 1)).toBe(true);
    // The platform refuses a matter without 容缺受理 that misses a required material: each took its list as given.
    // Each is told the bag that completed it reached the centre.
    await until(async () => {
      const found = await simCases(ids);
      return found.every((c) => c.materialsWaybill) ? found : undefined;
    });
    await until(async () =>
      (await casesOf(booking.id)).every((c) => c.projId && c.status !== 'awaiting_materials'),
    );
    expect((await timeline(r.h, booking.id)).waiting).toEqual([]);
  }, 120_000);
});

describe('容缺受理 at a bundle door', () => {
  it('takes the matter that allows it now, keeps the other waiting, and one bag carries both lists', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const [bag, spare] = await newBags(2);
    const booking = (await book(r.h, bundleBooking('settle_here'))).json();
    for (const step of ['accept', 'depart', 'arrive', 'start-review']) await visit(agent.h, booking.id, step);
    const v = await visitOf(agent.h, booking.id);
    // The agent sees which matters ask for each line and which allow 容缺受理.
    expect(v.tolerantAcceptance).toBe(true);
    expect(v.checklist.find((m) => m.name === '居民户口簿')?.matters).toEqual([
      { name: CARD, tolerant: true },
    ]);
    expect(v.checklist.find((m) => m.name === '父母双方居民身份证')?.matters?.map((m) => m.name)).toEqual([
      '出生医学证明首次签发',
      HUKOU,
      '预防接种证办理',
    ]);

    // Missing only what a matter without 容缺受理 asks for: refused, nothing recorded, the bag untouched.
    const lines = (names: string[]) =>
      v.checklist.map((m) => ({
        materialId: m.materialId,
        present: !names.includes(m.name),
        copies: names.includes(m.name) ? 0 : m.count,
      }));
    const refused = await visit(agent.h, booking.id, 'review', {
      items: lines(['父或母一方的居民户口簿']),
      tolerate: { bagCode: spare },
    });
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused)).toMatchObject({
      code: 'TOLERANT_ACCEPTANCE_NOT_ALLOWED',
      message: expect.stringContaining('容缺受理'),
    });
    expect((await visitOf(agent.h, booking.id)).status).toBe('reviewing');
    expect(await casesOf(booking.id)).toEqual([]);
    expect((await bagOf(spare!)).state).toBe('issued');

    const done = await visit(agent.h, booking.id, 'review', {
      items: lines(['父或母一方的居民户口簿', '居民户口簿']),
      tolerate: { bagCode: bag },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('collected');

    const opened = await casesOf(booking.id);
    expect(opened).toHaveLength(7);
    const hukouCase = opened.find((c) => c.matterName === HUKOU)!;
    const cardCase = opened.find((c) => c.matterName === CARD)!;
    expect(hukouCase.status).toBe('awaiting_materials');
    expect(opened.filter((c) => c.status === 'awaiting_materials')).toHaveLength(1);
    const lists = await listsOf(opened.map((c) => c.id));
    expect(lists.map((s) => [s.caseId, s.source, s.items.map((i) => i.materialId)]).sort()).toEqual(
      [
        [hukouCase.id, 'visit', [ownId(HUKOU, '父或母一方的居民户口簿')]],
        [cardCase.id, 'door', [ownId(CARD, '居民户口簿')]],
      ].sort(),
    );
    const bound = await bagOf(bag!);
    expect(bound).toMatchObject({ state: 'bound', boundBy: 'agent' });
    expect(lists.every((s) => s.groupId === bound.supplementId)).toBe(true);

    // A second bag for the same lists is refused, as for a single matter.
    const second = await t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/bags/${spare}/bind`,
      headers: agent.h,
      payload: { bookingId: booking.id },
    });
    expect(second.statusCode).toBe(409);
    expect(errorOf(second)).toMatchObject({
      code: 'BAG_ALREADY_BOUND',
      message: expect.stringContaining('袋码'),
    });

    // The agent's view of the bag names both matters and both items.
    const staffView = (await t.app.inject({ url: `/api/v1/staff/bags/${bag}`, headers: agent.h })).json();
    expect(staffView.supplement.matterName).toContain(HUKOU);
    expect(staffView.supplement.matterName).toContain(CARD);
    expect(staffView.supplement.items).toHaveLength(2);

    // The resident's timeline: which matter waits on which material, in plain words.
    const tl = await timeline(r.h, booking.id);
    expect(tl.waiting).toEqual([
      {
        matter: { code: codeOf(HUKOU), name: HUKOU },
        materials: ['父或母一方的居民户口簿'],
        note: '等所缺材料寄到政务服务中心后提交办理',
      },
      {
        matter: { code: codeOf(CARD), name: CARD },
        materials: ['居民户口簿'],
        note: expect.stringContaining('已容缺受理'),
      },
    ]);
    expect(tl.items.find((i) => i.matter.name === HUKOU)?.status).toBe('awaiting_materials');

    // The others, the card under 容缺 among them, reach the platform now; the 户口 waits.
    const others = opened.filter((c) => c.id !== hukouCase.id).map((c) => c.id);
    await until(async () => ((await simCases(others)).length === 6 ? true : undefined));
    expect(await simCases([hukouCase.id])).toEqual([]);

    // Until the bag leaves, both lists wait for it (reminders and breaches follow their deadline).
    const before = await waitingSupplements(t.app.database.db, { before: new Date('2100-01-01') });
    expect(before.filter((w) => [hukouCase.id, cardCase.id].includes(w.caseId))).toHaveLength(2);

    // The resident sends the bag the agent left, with both items; the centre receives it.
    const view = (await scan(r.h, bag!)).json();
    expect(view.supplement.items.map((i: { name: string }) => i.name).sort()).toEqual(
      ['父或母一方的居民户口簿', '居民户口簿'].sort(),
    );
    const sent = await confirm(r.h, bag!, {
      items: view.supplement.items.map((i: { id: string }) => i.id),
      contact,
      handover: { kind: 'pickup', address, window: view.pickupWindows[0] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json().nextStep).not.toContain('其他申请材料');
    // Both lists left with that bag: no deadline reminder for either.
    const unsent = await waitingSupplements(t.app.database.db, { before: new Date('2100-01-01') });
    expect(unsent.filter((w) => [hukouCase.id, cardCase.id].includes(w.caseId))).toEqual([]);
    const received = await receive(
      bag!,
      view.supplement.items.map((i: { id: string }) => ({ id: i.id, present: true })),
    );
    expect(received.statusCode, received.body).toBe(200);

    // 户口 is submitted with the material provided; the card's supplement is pushed.
    const [hukouSim] = await until(async () => {
      const found = await simCases([hukouCase.id]);
      return found.length === 1 ? found : undefined;
    });
    // Without 容缺受理 the platform takes it only with its required materials provided (the bag's).
    expect(hukouSim!.submissions).toBe(1);
    await until(async () => {
      const [s] = await t.app.database.db
        .select()
        .from(supplements)
        .where(and(eq(supplements.caseId, cardCase.id), isNotNull(supplements.pushedAt)));
      return s;
    });
    const open = await t.app.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(supplements)
      .where(and(inArray(supplements.caseId, [hukouCase.id, cardCase.id]), eq(supplements.status, 'open')));
    expect(open[0]!.n).toBe(0);
    expect((await timeline(r.h, booking.id)).waiting).toEqual([]);
  }, 120_000);
});
