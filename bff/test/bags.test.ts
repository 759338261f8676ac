import { randomUUID } from 'node:crypto';
import { VISIT_BAG_LOOKBACK_DAYS } from '@zyt/shared';
import { eq, sql } from 'drizzle-orm';
import jsQR from 'jsqr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matterNamed } from '../simulators/gov/catalogue';
import {
  bagBatches,
  bags,
  bookingEvents,
  bookings,
  cases,
  notifications,
  settlementItems,
  supplements,
} from '../src/db/schema';
import { VISIT_SUPPLEMENT_WORKING_DAYS } from '../src/features/bags/bags';
import { BAG_ALPHABET, formatBagCode, newBagCode, parseBagCode } from '../src/features/bags/codes';
import { remindSupplementDeadlines } from '../src/features/bags/jobs';
import { labelOrigin, SHEET } from '../src/features/bags/labels';
import { caseOfBooking } from '../src/features/cases/cases';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { workingDeadline } from '../src/lib/calendar';
import { bearer, buildTestApp, errorOf, type TestApp } from './helpers';
import { bookingBody, doorMatter, journey, until } from './journey';

/**
 * 替你跑 (issue 12): bags carry missing materials to the centre. The simulators run fast; the platform's
 * callbacks and EMS's pushes reach the BFF over HTTP, so a bag goes from the window to the case resuming.
 */
let t: TestApp;
// Agents serve the post office of 黄埔区 and clerks its centre (journey's staff places them).
const { resident, staff, book, visit, collectAll, caseIdOf } = journey(() => t);
const SECRET = 'bag-code-secret-for-tests-0123456789';

beforeAll(async () => {
  t = await buildTestApp({ BAG_CODE_SECRET: SECRET, BAG_URL_BASE: 'https://zyt.example.gov.cn/' });
  await syncCatalogue(t.app.database.db, t.app.gov);
  const base = await t.listen();
  t.gov.sim.setCallbackUrl(`${base}/api/v1/hooks/gov/cases`);
  t.ems.sim.setPushUrl(`${base}/api/v1/hooks/ems/track`);
  t.gov.sim.setSpeed(2000);
  await t.ems.admin('/sim/admin/clock', { speed: 40_000 });
  await t.ems.admin('/sim/admin/script', { defaultOutcome: 'delivered' });
});
afterAll(() => t?.close());

let clerk: Awaited<ReturnType<typeof staff>>;
const batch = async (count = 3, validUntil = '2099-12-31') => {
  clerk ??= await staff('centre_clerk');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/staff/bag-batches',
    headers: clerk.h,
    payload: { count, validUntil },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; codes: string[]; labelsUrl: string };
};
const scan = (h: Record<string, string>, code: string) =>
  t.app.inject({ url: `/api/v1/bags/${encodeURIComponent(code)}`, headers: h });
const confirm = (h: Record<string, string>, code: string, payload: object, key = `k-${randomUUID()}`) =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/bags/${encodeURIComponent(code)}/confirm`,
    headers: { ...h, 'idempotency-key': key },
    payload,
  });
const staffPost = (h: Record<string, string>, code: string, step: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1/staff/bags/${code}/${step}`, headers: h, payload });
const address = { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' };
const contact = { name: '张三', phone: '13800138000' };
const detailOf = async (h: Record<string, string>, id: string) =>
  (await t.app.inject({ url: `/api/v1/cases/${id}`, headers: h })).json();
/**
 * What a test could have written: bags anywhere (only tests make them), supplements and shipments of one
 * user's cases and bookings (other tests' cases keep moving in the background as the simulators run).
 */
const counts = async (userId: string) =>
  (
    await t.app.database.rows<{ bags: number; bound: number; supplements: number; shipments: number }>(sql`
      select (select count(*)::int from bags where state <> 'issued') as bound,
        (select count(*)::int from bags) as bags,
        (select count(*)::int from supplements s join cases c on c.id = s.case_id
          where c.user_id = ${userId}) as supplements,
        (select count(*)::int from shipments sh
          left join cases c on c.id = sh.case_id
          left join bookings b on b.id = sh.booking_id
          where c.user_id = ${userId} or b.user_id = ${userId}) as shipments`)
  )[0]!;

/** A resident's door case that the platform sent into 补齐补正 (through the simulators). */
async function caseNeedingSupplement() {
  const openid = `res-${randomUUID().slice(0, 8)}`;
  const r = await resident(true, openid);
  const agent = await staff('postal_agent');
  const bookingId = (await book(r.h)).json().id;
  await t.gov.admin('/sim/admin/script', { next: true, outcome: 'supplement' });
  const id = await caseIdOf(await collectAll(agent.h, bookingId));
  await until(async () => (await detailOf(r.h, id)).status === 'supplement_required');
  return { r, openid, id, detail: await detailOf(r.h, id) };
}

describe('bag codes', () => {
  it('round-trips, reads forgivingly, and refuses a forged or mistyped code without a lookup', () => {
    const code = newBagCode(SECRET);
    expect(code).toHaveLength(12);
    expect([...code].every((c) => BAG_ALPHABET.includes(c))).toBe(true);
    expect(BAG_ALPHABET).not.toMatch(/[ILOU]/);
    const pretty = formatBagCode(code);
    expect(pretty).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    for (const input of [code, pretty, pretty.toLowerCase(), ` ${pretty.replaceAll('-', ' ')} `])
      expect(parseBagCode(input, SECRET)).toEqual({ ok: true, code });
    expect(parseBagCode(`https://zyt.example.gov.cn/b/${pretty}?from=camera`, SECRET)).toEqual({
      ok: true,
      code,
    });
    // Every single-character slip is caught (the tag covers the body; a changed tag no longer matches).
    for (let i = 0; i < 12; i++) {
      const other = BAG_ALPHABET[(BAG_ALPHABET.indexOf(code[i]!) + 1) % 32]!;
      expect(parseBagCode(code.slice(0, i) + other + code.slice(i + 1), SECRET).ok).toBe(false);
    }
    // Another key (a forger without ours) makes codes that do not pass.
    expect(parseBagCode(newBagCode('another-secret-of-32-characters-xx'), SECRET).ok).toBe(false);
    expect(parseBagCode('HELLO', SECRET).ok).toBe(false);
  });
});

describe('batches and label sheets', () => {
  it('creates a batch whose printed QR codes decode back to each bag URL', async () => {
    const b = await batch(4);
    expect(b.codes).toHaveLength(4);
    const res = await t.app.inject({ url: b.labelsUrl, headers: clerk.h });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
    expect(res.body).toContain(b.codes[1]);
    // Render the sheet (about 8 px/mm, whatever the renderer's DPI rules) and read the second label's QR.
    const svg = Buffer.from(res.body);
    const rendered = sharp(svg, { density: 72 });
    const { width } = await rendered.metadata();
    // librsvg's output grows faster than linearly with density here: aim by the square root, then measure.
    const png = sharp(svg, { density: 72 * Math.sqrt((8 * SHEET.width) / width!) });
    const scale = (await png.metadata()).width! / SHEET.width;
    const { x, y } = labelOrigin(1);
    const labelW = (SHEET.width - 2 * SHEET.margin) / SHEET.cols;
    const { data, info } = await png
      .extract({
        left: Math.round(x * scale),
        top: Math.round(y * scale),
        width: Math.round(labelW * 0.55 * scale),
        height: Math.round(((SHEET.height - 2 * SHEET.margin) / SHEET.rows) * scale),
      })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const decoded = jsQR(new Uint8ClampedArray(data), info.width, info.height);
    expect(decoded?.data).toBe(`https://zyt.example.gov.cn/b/${b.codes[1]}`);
    expect(parseBagCode(decoded!.data, SECRET)).toEqual({ ok: true, code: b.codes[1]!.replaceAll('-', '') });

    const list = (await t.app.inject({ url: '/api/v1/staff/bag-batches', headers: clerk.h })).json();
    expect(list.items.find((i: { id: string }) => i.id === b.id)).toMatchObject({
      count: 4,
      states: { issued: 4, bound: 0, sent: 0, received: 0 },
    });
  });

  it('is for staff only, and refuses a past validity date', async () => {
    const r = await resident();
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/bag-batches',
      headers: r.h,
      payload: { count: 2, validUntil: '2099-01-01' },
    });
    expect(denied.statusCode).toBe(403);
    clerk ??= await staff('centre_clerk');
    const past = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/bag-batches',
      headers: clerk.h,
      payload: { count: 2, validUntil: '2020-01-01' },
    });
    expect(past.statusCode).toBe(422);
    expect(errorOf(past).details?.[0]?.field).toBe('validUntil');
  });
});

describe('the window hands out a bag; the resident sends it; the centre receives it; the case resumes', () => {
  it('runs end to end, with one new complete list when the first bag comes in incomplete', async () => {
    const { r, openid, id, detail } = await caseNeedingSupplement();
    const [first, second] = (await batch(2)).codes as [string, string];
    for (const kind of [
      'bag_picked_up',
      'bag_delivered',
      'supplement_received',
      'supplement_required',
    ] as const)
      await t.wechat.subscribe(openid, t.app.config.wechat.templates[kind]);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/subscriptions',
      headers: r.h,
      payload: {
        results: Object.fromEntries(
          ['bag_picked_up', 'bag_delivered', 'supplement_received', 'supplement_required'].map((k) => [
            t.app.config.wechat.templates[k as 'bag_picked_up'],
            'accept',
          ]),
        ),
      },
    });

    // The centre window binds the bag by the case number on the 补正 notice.
    const bound = await staffPost(clerk.h, first, 'bind', { caseNumber: detail.caseNumber });
    expect(bound.statusCode, bound.body).toBe(200);
    expect(bound.json()).toMatchObject({ state: 'bound', supplement: { caseId: id, applicantName: '张*' } });
    const again = await staffPost(clerk.h, first, 'bind', { caseNumber: detail.caseNumber });
    expect(errorOf(again).code).toBe('BAG_ALREADY_BOUND');

    // The resident scans: the case and exactly what is missing, with specification and deadline.
    const scanned = await scan(r.h, `https://zyt.example.gov.cn/b/${first}`);
    expect(scanned.statusCode, scanned.body).toBe(200);
    const view = scanned.json();
    expect(view.state).toBe('bound');
    expect(view.supplement).toMatchObject({
      caseId: id,
      caseNumber: detail.caseNumber,
      source: 'platform',
      deadline: detail.supplement.deadline,
    });
    expect(view.supplement.items.map((i: { name: string }) => i.name)).toEqual(
      detail.supplement.items.map((i: { name: string }) => i.name),
    );
    expect(view.supplement.items[0].specification).toMatch(/份$/);
    expect(view.pickupWindows.length).toBeGreaterThan(0);
    expect(view.outlets.length).toBeGreaterThan(0);

    // Someone else's bag answers exactly as an unknown one.
    const stranger = await resident();
    const foreign = await scan(stranger.h, first);
    const unknown = await scan(stranger.h, newBagCode(SECRET));
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toEqual(unknown.json());
    expect(errorOf(foreign).code).toBe('BAG_NOT_FOUND');

    // Confirm once (only the first item goes in); a retry answers the same; the same key with another body is refused.
    const itemIds = view.supplement.items.map((i: { id: string }) => i.id) as string[];
    const body = {
      items: [itemIds[0]],
      contact,
      handover: { kind: 'pickup', address, window: view.pickupWindows[0] },
    };
    const before = await counts(r.user.id);
    const sent = await confirm(r.h, first, body, 'confirm-key-0001');
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toMatchObject({ state: 'sent', caseId: id, shipment: { handover: 'pickup' } });
    expect(sent.json().notIncluded).toHaveLength(itemIds.length - 1);
    const retry = await confirm(r.h, first, body, 'confirm-key-0001');
    expect(retry.statusCode).toBe(200);
    expect(retry.json().code).toBe(sent.json().code);
    expect((await counts(r.user.id)).shipments).toBe(before.shipments + 1);
    const changed = await confirm(r.h, first, { ...body, items: itemIds }, 'confirm-key-0001');
    expect(errorOf(changed).code).toBe('IDEMPOTENCY_KEY_REUSED');
    const reused = await confirm(r.h, first, body);
    expect(reused.statusCode).toBe(409);
    expect(errorOf(reused).code).toBe('BAG_ALREADY_USED');
    expect(errorOf(reused).message).toContain(detail.caseNumber);
    expect(errorOf(reused).details).toEqual([{ field: 'caseId', message: id }]);
    expect(errorOf(await scan(stranger.h, first)).code).toBe('BAG_NOT_FOUND');

    // The leg is on the case's timeline with its EMS events; it is a settlement row; messages were sent.
    await until(async () => {
      const d = await detailOf(r.h, id);
      const leg = d.shipments.find((s: { leg: string }) => s.leg === 'supplement_to_centre');
      return leg?.status === 'delivered';
    });
    const d = await detailOf(r.h, id);
    const legEvents = d.timeline.filter((i: { leg?: string }) => i.leg === 'supplement_to_centre');
    expect(legEvents.map((i: { opCode: string }) => i.opCode)).toEqual(
      expect.arrayContaining(['203', '704']),
    );
    expect(legEvents[0].title).toContain('补正材料寄往政务中心');
    const [piece] = await t.app.database.db
      .select()
      .from(settlementItems)
      .where(eq(settlementItems.leg, 'supplement_to_centre'));
    expect(piece).toMatchObject({ caseId: id, payer: 'government' });
    const keys = async () =>
      (
        await t.app.database.db
          .select({ key: notifications.dedupeKey })
          .from(notifications)
          .where(eq(notifications.userId, r.user.id))
      ).map((n) => n.key);
    const code1 = first.replaceAll('-', '');
    expect(await keys()).toEqual(
      expect.arrayContaining([`case:${id}:bag:${code1}:picked_up`, `case:${id}:bag:${code1}:delivered`]),
    );

    // The centre scans the bag: the second item is not inside → one new complete list, nothing pushed.
    const staffView = (await t.app.inject({ url: `/api/v1/staff/bags/${first}`, headers: clerk.h })).json();
    expect(staffView.supplement.ticked).toEqual([itemIds[0]]);
    const unchecked = await staffPost(clerk.h, first, 'receive', {
      items: [{ id: itemIds[0], present: true }],
    });
    expect(errorOf(unchecked).code).toBe('BAG_RECEIPT_UNCHECKED');
    const partial = await staffPost(clerk.h, first, 'receive', {
      items: itemIds.map((i, n) => ({ id: i, present: n === 0 })),
    });
    expect(partial.statusCode, partial.body).toBe(200);
    expect(partial.json().receipt).toMatchObject({ complete: false });
    expect(partial.json().receipt.missing.map((i: { id: string }) => i.id)).toEqual(itemIds.slice(1));
    const twice = await staffPost(clerk.h, first, 'receive', {
      items: itemIds.map((i) => ({ id: i, present: true })),
    });
    expect(errorOf(twice).code).toBe('BAG_ALREADY_USED');

    // An unbound bag: the resident binds it while sending; only what is still missing is asked for.
    const fresh = (await scan(r.h, second)).json();
    expect(fresh.state).toBe('issued');
    expect(fresh.candidates).toHaveLength(1);
    expect(fresh.candidates[0]).toMatchObject({ caseId: id, source: 'centre' });
    expect(fresh.candidates[0].items.map((i: { id: string }) => i.id)).toEqual(itemIds.slice(1));
    const noCase = await confirm(r.h, second, { ...body, items: itemIds.slice(1) });
    expect(errorOf(noCase).code).toBe('BAG_TARGET_AMBIGUOUS');
    const outlet = fresh.outlets[0];
    const sent2 = await confirm(r.h, second, {
      caseId: id,
      items: itemIds.slice(1),
      contact,
      handover: { kind: 'outlet', outletId: outlet.id },
    });
    expect(sent2.statusCode, sent2.body).toBe(201);
    expect(sent2.json().shipment.outlet).toMatchObject({ id: outlet.id, name: outlet.name });
    expect(sent2.json().notIncluded).toEqual([]);

    // Complete at the centre → pushSupplement → the platform resumes the case (受理 after 补正).
    const complete = await staffPost(clerk.h, second, 'receive', {
      items: itemIds.slice(1).map((i) => ({ id: i, present: true })),
    });
    expect(complete.json().receipt).toMatchObject({ complete: true, missing: [] });
    await until(async () => (await detailOf(r.h, id)).status === 'in_progress');
    const sim = await t.gov.admin<{ cases: { supplementsPushed: string[] }[] }>(`/sim/cases?ourId=${id}`);
    expect(sim.cases[0]!.supplementsPushed).toHaveLength(1);
    const resumed = await detailOf(r.h, id);
    expect(resumed.supplement).toBeNull();
    expect(resumed.timeline.some((i: { stage?: string }) => i.stage === '2')).toBe(true);
    expect(await keys()).toContain(`case:${id}:bag:${second.replaceAll('-', '')}:received`);

    // The case needs nothing now: a third bag says so.
    const [third] = (await batch(1)).codes as [string];
    expect(errorOf(await scan(r.h, third)).code).toBe('SUPPLEMENT_NOT_NEEDED');

    const stats = (
      await t.app.inject({ url: '/api/v1/supervision/bag-stats', headers: (await staff('supervisor')).h })
    ).json();
    expect(stats.uses).toBeGreaterThanOrEqual(2);
    expect(stats.receivedComplete).toBeGreaterThanOrEqual(1);
    expect(stats.receivedIncomplete).toBeGreaterThanOrEqual(1);
  });
});

describe('refusals write nothing', () => {
  it('refuses forged, mistyped, unknown, expired, late and unneeded bags, each with its code', async () => {
    const r = await resident();
    const [code, expiring] = (await batch(2)).codes as [string, string];
    const before = await counts(r.user.id);

    const forged = await scan(r.h, formatBagCode(newBagCode('forger-key-forger-key-forger-key-x')));
    expect(forged.statusCode).toBe(400);
    expect(errorOf(forged)).toMatchObject({
      code: 'BAG_CODE_INVALID',
      message: expect.stringContaining('12位'),
    });
    const typo = code.slice(0, 3) + (code[3] === 'A' ? 'B' : 'A') + code.slice(4);
    expect(errorOf(await scan(r.h, typo)).code).toBe('BAG_CODE_INVALID');
    expect(errorOf(await scan(r.h, 'not a code')).code).toBe('BAG_CODE_INVALID');
    expect(errorOf(await scan(r.h, newBagCode(SECRET))).code).toBe('BAG_NOT_FOUND');

    // Nothing to supplement: the resident is told so, and what to do instead.
    const none = await scan(r.h, code);
    expect(none.statusCode).toBe(409);
    expect(errorOf(none)).toMatchObject({
      code: 'SUPPLEMENT_NOT_NEEDED',
      message: expect.stringContaining('我的办件'),
    });
    const noConfirm = await confirm(r.h, code, {
      items: ['x'],
      contact,
      handover: { kind: 'outlet', outletId: 'nope' },
    });
    expect(errorOf(noConfirm).code).toBe('BAG_TARGET_AMBIGUOUS');
    const missingKey = await t.app.inject({
      method: 'POST',
      url: `/api/v1/bags/${code}/confirm`,
      headers: r.h,
      payload: { items: ['x'], contact, handover: { kind: 'outlet', outletId: 'nope' } },
    });
    expect(errorOf(missingKey).code).toBe('IDEMPOTENCY_KEY_REQUIRED');

    // An expired batch.
    const [row] = await t.app.database.db
      .select()
      .from(bags)
      .where(eq(bags.code, expiring.replaceAll('-', '')));
    await t.app.database.db
      .update(bagBatches)
      .set({ validUntil: '2020-01-01' })
      .where(eq(bagBatches.id, row!.batchId));
    const old = await scan(r.h, expiring);
    expect(old.statusCode).toBe(410);
    expect(errorOf(old).code).toBe('BAG_EXPIRED');

    expect(await counts(r.user.id)).toEqual(before);
  });

  it('refuses a case whose supplement deadline passed, and shows supervisors the breach', async () => {
    const { r, id, detail } = await caseNeedingSupplement();
    const [code] = (await batch(1)).codes as [string];
    // The deadline passes (moved back in the case row as the platform sent it).
    const past = new Date(Date.now() - 3600_000).toISOString();
    const [c] = await t.app.database.db.select().from(cases).where(eq(cases.id, id));
    await t.app.database.db
      .update(cases)
      .set({ supplement: { ...c!.supplement!, deadline: past } })
      .where(eq(cases.id, id));
    const before = await counts(r.user.id);
    const late = await scan(r.h, code);
    expect(late.statusCode).toBe(409);
    expect(errorOf(late)).toMatchObject({
      code: 'SUPPLEMENT_DEADLINE_PASSED',
      message: expect.stringContaining('热线'),
    });
    const lateConfirm = await confirm(r.h, code, {
      caseId: id,
      items: ['x'],
      contact,
      handover: { kind: 'outlet', outletId: 'nope' },
    });
    expect(errorOf(lateConfirm).code).toBe('SUPPLEMENT_DEADLINE_PASSED');
    const window = await staffPost(clerk.h, code, 'bind', { caseNumber: detail.caseNumber });
    expect(errorOf(window).code).toBe('SUPPLEMENT_DEADLINE_PASSED');
    expect(await counts(r.user.id)).toEqual(before);

    const supervisor = await staff('supervisor');
    const breaches = (
      await t.app.inject({ url: '/api/v1/supervision/breaches', headers: supervisor.h })
    ).json();
    expect(breaches.items).toContainEqual(
      expect.objectContaining({ kind: 'supplement_overdue', subjectId: id, outstanding: true }),
    );
  });

  it('reminds the resident once, a day before the deadline, while no bag has left', async () => {
    const { r, id } = await caseNeedingSupplement();
    const [c] = await t.app.database.db.select().from(cases).where(eq(cases.id, id));
    const soon = new Date(Date.now() + 6 * 3600_000).toISOString();
    await t.app.database.db
      .update(cases)
      .set({ supplement: { ...c!.supplement!, deadline: soon } })
      .where(eq(cases.id, id));
    await remindSupplementDeadlines(t.app);
    await remindSupplementDeadlines(t.app);
    const reminders = await t.app.database.db
      .select({ key: notifications.dedupeKey })
      .from(notifications)
      .where(eq(notifications.userId, r.user.id));
    expect(reminders.filter((n) => n.key.startsWith(`case:${id}:supplement_deadline:`))).toHaveLength(1);
  });
});

describe('door visits with 容缺受理', () => {
  it('collects what is complete and leaves a bag bound to the rest; the resident sends it', async () => {
    expect(matterNamed(doorMatter.name).tolerantAcceptance).toBe(true);
    const r = await resident();
    const agent = await staff('postal_agent');
    const [bag, spare] = (await batch(2)).codes as [string, string];
    const bookingId = (await book(r.h)).json().id;
    for (const step of ['accept', 'depart', 'arrive', 'start-review']) await visit(agent.h, bookingId, step);
    const v = (await t.app.inject({ url: `/api/v1/staff/visits/${bookingId}`, headers: agent.h })).json();
    expect(v.tolerantAcceptance).toBe(true);
    const missingOne = v.checklist.find((m: { required: boolean }) => m.required);
    const items = v.checklist.map((m: { materialId: string; count: number }) => ({
      materialId: m.materialId,
      present: m.materialId !== missingOne.materialId,
      copies: m.materialId === missingOne.materialId ? 0 : m.count,
    }));
    const reviewed = await visit(agent.h, bookingId, 'review', { items, tolerate: { bagCode: bag } });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json().status).toBe('collected');
    const caseId = await caseIdOf(bookingId);

    // The bag is bound to the case's door supplement; a second bag for it is refused.
    const staffView = (await t.app.inject({ url: `/api/v1/staff/bags/${bag}`, headers: agent.h })).json();
    expect(staffView).toMatchObject({ state: 'bound', supplement: { caseId, source: 'door' } });
    expect(staffView.supplement.items.map((i: { id: string }) => i.id)).toEqual([missingOne.materialId]);
    const second = await staffPost(agent.h, spare, 'bind', { bookingId });
    expect(errorOf(second).code).toBe('BAG_ALREADY_BOUND');

    const view = (await scan(r.h, bag)).json();
    expect(view.supplement).toMatchObject({ caseId, source: 'door' });
    const sent = await confirm(r.h, bag, {
      items: [missingOne.materialId],
      contact,
      handover: { kind: 'pickup', address, window: view.pickupWindows[1] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const received = await staffPost(clerk.h, bag, 'receive', {
      items: [{ id: missingOne.materialId, present: true }],
    });
    expect(received.json().receipt.complete).toBe(true);
    // Pushed to the platform once it has numbered the case.
    await until(async () => {
      const [s] = await t.app.database.db.select().from(supplements).where(eq(supplements.caseId, caseId));
      return s?.pushedAt;
    });
    const sim = await t.gov.admin<{ cases: { supplementsPushed: string[] }[] }>(`/sim/cases?ourId=${caseId}`);
    expect(sim.cases[0]!.supplementsPushed).toHaveLength(1);
  });

  it('refuses 容缺 for a matter that does not allow it, and records nothing', async () => {
    const strict = matterNamed('企业职工个人缴费记录合并');
    expect(strict.tolerantAcceptance).toBeUndefined();
    const r = await resident();
    const agent = await staff('postal_agent');
    const [bag] = (await batch(1)).codes as [string];
    const bookingId = (await book(r.h, bookingBody({ matterCode: strict.serviceCode }))).json().id;
    for (const step of ['accept', 'depart', 'arrive', 'start-review']) await visit(agent.h, bookingId, step);
    const v = (await t.app.inject({ url: `/api/v1/staff/visits/${bookingId}`, headers: agent.h })).json();
    expect(v.tolerantAcceptance).toBe(false);
    const items = v.checklist.map((m: { materialId: string }, i: number) => ({
      materialId: m.materialId,
      present: i > 0,
      copies: i > 0 ? 5 : 0,
    }));
    const before = await counts(r.user.id);
    const refused = await visit(agent.h, bookingId, 'review', { items, tolerate: { bagCode: bag } });
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused).code).toBe('TOLERANT_ACCEPTANCE_NOT_ALLOWED');
    const still = (await t.app.inject({ url: `/api/v1/staff/visits/${bookingId}`, headers: agent.h })).json();
    expect(still.status).toBe('reviewing');
    expect(await counts(r.user.id)).toEqual(before);
    // Without 容缺 the visit ends with one complete list, and no bag can be bound to it.
    const ended = await visit(agent.h, bookingId, 'review', { items });
    expect(ended.json().status).toBe('materials_incomplete');
    const bind = await staffPost(agent.h, bag, 'bind', { bookingId });
    expect(errorOf(bind).code).toBe('SUPPLEMENT_NOT_NEEDED');
  });
});

describe('a door visit that ended 材料不齐 is sent by bag instead of re-booked', () => {
  /** A visit whose review found the first `absent` required materials missing (no 容缺): no case opens. */
  async function incompleteVisit(h: Record<string, string>, absent = 1) {
    const agent = await staff('postal_agent');
    const bookingId = (await book(h)).json().id as string;
    for (const step of ['accept', 'depart', 'arrive', 'start-review']) await visit(agent.h, bookingId, step);
    const v = (await t.app.inject({ url: `/api/v1/staff/visits/${bookingId}`, headers: agent.h })).json();
    const missing = (v.checklist as { materialId: string; name: string; required: boolean }[])
      .filter((m) => m.required)
      .slice(0, absent);
    const gone = new Set(missing.map((m) => m.materialId));
    const items = v.checklist.map((m: { materialId: string; count: number }) => ({
      materialId: m.materialId,
      present: !gone.has(m.materialId),
      copies: gone.has(m.materialId) ? 0 : m.count,
    }));
    const reviewed = await visit(agent.h, bookingId, 'review', { items });
    expect(reviewed.json().status, reviewed.body).toBe('materials_incomplete');
    expect(await caseOfBooking(t.app.database.db, bookingId)).toBeUndefined();
    return { bookingId, missing };
  }
  const casesOf = (bookingId: string) =>
    t.app.database.db.select().from(cases).where(eq(cases.bookingId, bookingId));

  it('lists the visit, opens its case awaiting materials, and submits it once the centre has it all', async () => {
    const openid = `res-${randomUUID().slice(0, 8)}`;
    const r = await resident(true, openid);
    const { bookingId, missing } = await incompleteVisit(r.h, 2);
    const ids = missing.map((m) => m.materialId);
    const [first, second, third] = (await batch(3)).codes as [string, string, string];

    // The scan offers the visit, with its missing list and what the agent already checked.
    const view = (await scan(r.h, first)).json();
    expect(view.candidates).toEqual([]);
    expect(view.visits).toHaveLength(1);
    expect(view.visits[0]).toMatchObject({ bookingId, matterName: doorMatter.name });
    expect(view.visits[0].items.map((i: { id: string }) => i.id)).toEqual(ids);
    expect(view.visits[0].items[0].specification).toMatch(/份$/);
    expect(view.visits[0].checkedAtDoor.length).toBeGreaterThan(0);

    // Confirm once: supplement (visit) + leg + case (awaiting_materials); a retry answers the same.
    const body = {
      bookingId,
      items: ids,
      contact,
      handover: { kind: 'pickup', address, window: view.pickupWindows[0] },
    };
    const before = await counts(r.user.id);
    const sent = await confirm(r.h, first, body, 'visit-confirm-0001');
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json().nextStep).toContain('一并装入');
    const retry = await confirm(r.h, first, body, 'visit-confirm-0001');
    expect(retry.statusCode).toBe(200);
    expect(retry.json().caseId).toBe(sent.json().caseId);
    const after = await counts(r.user.id);
    expect(after.supplements).toBe(before.supplements + 1);
    expect(after.shipments).toBe(before.shipments + 1);
    const opened = await casesOf(bookingId);
    expect(opened).toHaveLength(1);
    const caseId = opened[0]!.id;
    expect(sent.json().caseId).toBe(caseId);
    const [s] = await t.app.database.db.select().from(supplements).where(eq(supplements.caseId, caseId));
    expect(s).toMatchObject({ source: 'visit', status: 'open' });
    expect(s!.deadline.getTime()).toBe(
      workingDeadline(s!.createdAt, VISIT_SUPPLEMENT_WORKING_DAYS).at.getTime(),
    );
    const waiting = await detailOf(r.h, caseId);
    expect(waiting).toMatchObject({
      status: 'awaiting_materials',
      statusLabel: '补齐材料寄送中',
      caseNumber: null,
    });
    expect(waiting.nextStep).toContain('收齐后提交');

    // Sent already: no longer offered, and refused by bookingId with nothing written.
    expect(errorOf(await scan(r.h, second)).code).toBe('SUPPLEMENT_NOT_NEEDED');
    const twice = await confirm(r.h, second, {
      ...body,
      handover: { kind: 'outlet', outletId: view.outlets[0].id },
    });
    expect(twice.statusCode).toBe(409);
    expect(errorOf(twice).code).toBe('VISIT_ALREADY_SENT');
    expect(await counts(r.user.id)).toEqual(after);

    // The centre finds one of the two inside: one new complete list; the case still waits; its timeline says so.
    await until(async () => {
      const d = await detailOf(r.h, caseId);
      return (
        d.shipments.find((x: { leg: string }) => x.leg === 'supplement_to_centre')?.status === 'delivered'
      );
    });
    const partial = await staffPost(clerk.h, first, 'receive', {
      items: ids.map((id, n) => ({ id, present: n === 0 })),
    });
    expect(partial.json().receipt.missing.map((i: { id: string }) => i.id)).toEqual(ids.slice(1));
    const still = await detailOf(r.h, caseId);
    expect(still.status).toBe('awaiting_materials');
    expect(still.timeline.filter((i: { source: string }) => i.source === 'centre')).toEqual([
      expect.objectContaining({
        title: '政务中心已收到补正材料',
        detail: expect.stringContaining(missing[1]!.name),
      }),
    ]);

    // The next bag carries the new list (the case is a candidate now); complete → submitted exactly once.
    const next = (await scan(r.h, second)).json();
    expect(next.visits).toEqual([]);
    expect(next.candidates).toEqual([
      expect.objectContaining({ caseId, source: 'centre', items: [expect.objectContaining({ id: ids[1] })] }),
    ]);
    const sent2 = await confirm(r.h, second, {
      caseId,
      items: [ids[1]],
      contact,
      handover: { kind: 'outlet', outletId: next.outlets[0].id },
    });
    expect(sent2.statusCode, sent2.body).toBe(201);
    const complete = await staffPost(clerk.h, second, 'receive', { items: [{ id: ids[1], present: true }] });
    expect(complete.json().receipt).toMatchObject({ complete: true });
    // Submitted: the platform numbers it and takes it on (it may already be further along).
    await until(async () => {
      const d = await detailOf(r.h, caseId);
      return !['awaiting_materials', 'submitting', 'received'].includes(d.status);
    });
    const sim = await t.gov.admin<{
      cases: { supplementsPushed: string[] }[];
      submissions: Record<string, number>;
    }>(`/sim/cases?ourId=${caseId}`);
    expect(sim.cases).toHaveLength(1);
    expect(sim.submissions[caseId]).toBe(1);
    expect(sim.cases[0]!.supplementsPushed).toEqual([]);
    const moved = await detailOf(r.h, caseId);
    expect(moved.caseNumber).toMatch(/\S/);
    expect(
      moved.timeline
        .filter((i: { source: string }) => i.source === 'centre')
        .map((i: { detail: string }) => i.detail),
    ).toEqual([expect.stringContaining('仍缺1项'), '材料齐全']);
    const booking = (await t.app.inject({ url: `/api/v1/bookings/${bookingId}`, headers: r.h })).json();
    expect(booking.status).toBe('case_submitted');
    expect(errorOf(await scan(r.h, third)).code).toBe('SUPPLEMENT_NOT_NEEDED');
  });

  it('refuses ambiguous targets, no items, foreign, old and re-booked visits, writing nothing', async () => {
    const r = await resident();
    const { bookingId, missing } = await incompleteVisit(r.h);
    const [code] = (await batch(1)).codes as [string];
    const view = (await scan(r.h, code)).json();
    const body = {
      bookingId,
      items: [missing[0]!.materialId],
      contact,
      handover: { kind: 'outlet', outletId: view.outlets[0].id },
    };
    const before = await counts(r.user.id);

    const both = await confirm(r.h, code, { ...body, caseId: randomUUID() });
    expect(both.statusCode).toBe(422);
    expect(errorOf(both)).toMatchObject({
      code: 'BAG_TARGET_AMBIGUOUS',
      message: expect.stringContaining('上门'),
    });
    const { bookingId: _, ...neither } = body;
    expect(errorOf(await confirm(r.h, code, neither)).code).toBe('BAG_TARGET_AMBIGUOUS');
    const empty = await confirm(r.h, code, { ...body, items: [] });
    expect(empty.statusCode).toBe(422);
    expect(errorOf(empty).code).toBe('VISIT_ITEMS_REQUIRED');
    expect(errorOf(await confirm(r.h, code, { ...body, items: ['not-on-the-list'] })).code).toBe(
      'BAG_ITEMS_UNKNOWN',
    );

    // Someone else's visit answers exactly as one that does not exist.
    const stranger = await resident();
    const foreign = await confirm(stranger.h, code, body);
    const unknown = await confirm(stranger.h, code, { ...body, bookingId: randomUUID() });
    expect(foreign.statusCode).toBe(404);
    expect(errorOf(foreign).code).toBe('BOOKING_NOT_FOUND');
    expect(foreign.json()).toEqual(unknown.json());

    // Past the look-back window: not offered, and refused.
    const { db } = t.app.database;
    const old = new Date(Date.now() - (VISIT_BAG_LOOKBACK_DAYS + 1) * 86_400_000);
    await db.update(bookingEvents).set({ at: old }).where(eq(bookingEvents.bookingId, bookingId));
    await db.update(bookings).set({ updatedAt: old }).where(eq(bookings.id, bookingId));
    expect(errorOf(await scan(r.h, code)).code).toBe('SUPPLEMENT_NOT_NEEDED');
    expect(errorOf(await confirm(r.h, code, body)).code).toBe('VISIT_NOT_SENDABLE');
    await db.update(bookingEvents).set({ at: new Date() }).where(eq(bookingEvents.bookingId, bookingId));
    await db.update(bookings).set({ updatedAt: new Date() }).where(eq(bookings.id, bookingId));
    expect((await scan(r.h, code)).json().visits).toHaveLength(1);

    // Re-booked the same matter: the new visit takes the materials; the bag is refused.
    expect((await book(r.h)).statusCode).toBe(201);
    expect(errorOf(await scan(r.h, code)).code).toBe('SUPPLEMENT_NOT_NEEDED');
    const rebooked = await confirm(r.h, code, body);
    expect(rebooked.statusCode).toBe(409);
    expect(errorOf(rebooked)).toMatchObject({
      code: 'VISIT_REBOOKED',
      message: expect.stringContaining('重新预约'),
    });

    expect(await counts(r.user.id)).toEqual(before);
    expect(await casesOf(bookingId)).toEqual([]);
  });
});

describe('scans are rate limited', () => {
  it('answers 429 RATE_LIMITED past the per-user allowance', async () => {
    const limited = await buildTestApp({ BAG_CODE_SECRET: SECRET, RATE_LIMIT_BAG_SCAN_PER_MINUTE: '3' });
    try {
      const s = await limited.signIn();
      const h = bearer(s.accessToken);
      const code = newBagCode(SECRET);
      const answers: number[] = [];
      for (let i = 0; i < 4; i++)
        answers.push((await limited.app.inject({ url: `/api/v1/bags/${code}`, headers: h })).statusCode);
      expect(answers).toEqual([404, 404, 404, 429]);
      const last = await limited.app.inject({ url: `/api/v1/bags/${code}`, headers: h });
      expect(errorOf(last).code).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});
