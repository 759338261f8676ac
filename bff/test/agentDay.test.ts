import { beijingInstant } from '@zyt/shared';
import { and, count, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingSlots, bookings, handovers, notifications } from '../src/db/schema';
import { remindUnacceptedVisits } from '../src/features/bookings/expiry';
import { slotWindows } from '../src/features/bookings/slots';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { bookingBody, journey, SERVING_POST_OFFICE } from './journey';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  await syncCatalogue(t.app.database.db, t.app.gov);
});
afterAll(() => t?.close());

const { resident, staff, book, visit, collectAll, caseIdOf } = journey(() => t);
const db = () => t.app.database.db;
const get = (h: Record<string, string>, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: h });
const post = (h: Record<string, string>, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: h, payload });
const slotRow = async (id: string) =>
  (await db().select().from(bookingSlots).where(eq(bookingSlots.id, id)))[0]!;
const bookingRow = async (id: string) => (await db().select().from(bookings).where(eq(bookings.id, id)))[0]!;
/** Pretend the order was made `minutes` ago. */
const age = (id: string, minutes: number) =>
  db()
    .update(bookings)
    .set({ createdAt: sql`now() - make_interval(mins => ${minutes})` })
    .where(eq(bookings.id, id));

async function firstSlot(h: Record<string, string>) {
  const res = await get(h, `/bookings/slots?matterCode=${bookingBody().matterCode}&county=黄埔区`);
  return res.json().slots[0] as { id: string; start: string; end: string };
}

describe('dispatch by outlet', () => {
  it("shows an outlet's open orders to its agents only, with the acceptance deadline; others get 404", async () => {
    const r = await resident();
    const booked = (await book(r.h)).json();
    const here = await staff('postal_agent');
    const elsewhere = await staff('postal_agent', 'HP-PO-02');
    const nowhere = await staff('postal_agent', null);

    const queue = (await get(here.h, '/staff/visits')).json().items;
    const item = queue.find((v: { id: string }) => v.id === booked.id);
    expect(item).toMatchObject({ outletId: SERVING_POST_OFFICE, status: 'requested', mine: false });
    expect(Date.parse(item.acceptBy) - Date.parse(booked.createdAt)).toBe(60 * 60_000);
    expect((await get(here.h, '/staff/me')).json()).toMatchObject({
      outlet: { id: SERVING_POST_OFFICE },
      promiseMinutes: 60,
    });

    const other = (await get(elsewhere.h, '/staff/visits')).json().items;
    expect(other.some((v: { id: string }) => v.id === booked.id)).toBe(false);
    expect(errorOf(await get(elsewhere.h, `/staff/visits/${booked.id}`)).code).toBe('BOOKING_NOT_FOUND');
    const foreign = await visit(elsewhere.h, booked.id, 'accept');
    expect(foreign.statusCode).toBe(404);
    const unplaced = await visit(nowhere.h, booked.id, 'accept');
    expect(unplaced.statusCode).toBe(409);
    expect(errorOf(unplaced).code).toBe('OUTLET_NOT_ASSIGNED');
    expect((await bookingRow(booked.id)).status).toBe('requested');

    // Taken by one agent: another of the same outlet can neither see nor move it.
    expect((await visit(here.h, booked.id, 'accept')).statusCode).toBe(200);
    const colleague = await staff('postal_agent');
    expect((await get(colleague.h, `/staff/visits/${booked.id}`)).statusCode).toBe(404);
    expect((await visit(colleague.h, booked.id, 'depart')).statusCode).toBe(404);
    expect((await visit(colleague.h, booked.id, 'hand-back', { reason: '我来处理' })).statusCode).toBe(404);
  });

  it('lets supervisors set the outlet, refusing the wrong kind, unknown outlets and non-staff', async () => {
    const sup = await staff('supervisor');
    const agent = await staff('postal_agent', null);
    const clerk = await staff('centre_clerk', null);
    const r = await resident();
    const put = (h: Record<string, string>, userId: string, outletId: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/supervision/staff/${userId}/outlet`,
        headers: h,
        payload: { outletId },
      });
    const ok = await put(sup.h, agent.id, 'HP-PO-03');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().outlet).toMatchObject({ id: 'HP-PO-03', kind: 'post_office' });
    expect(errorOf(await put(sup.h, agent.id, 'HP-SC-01')).code).toBe('OUTLET_KIND_MISMATCH');
    expect(errorOf(await put(sup.h, clerk.id, 'HP-PO-01')).code).toBe('OUTLET_KIND_MISMATCH');
    expect((await put(sup.h, clerk.id, 'HP-SC-02')).statusCode).toBe(200);
    expect(errorOf(await put(sup.h, agent.id, 'NO-SUCH')).code).toBe('OUTLET_NOT_FOUND');
    expect(errorOf(await put(sup.h, r.user.id, 'HP-PO-01')).code).toBe('STAFF_NOT_FOUND');
    expect((await put(agent.h, agent.id, 'HP-PO-01')).statusCode).toBe(403);
    const list = (await get(sup.h, '/supervision/staff')).json().items;
    expect(list.find((s: { id: string }) => s.id === agent.id).outlet.id).toBe('HP-PO-03');
    expect((await get(agent.h, '/staff/me')).json().outlet.id).toBe('HP-PO-03');
  });
});

describe('the acceptance promise', () => {
  it('shows an order nobody accepted in its window as a breach, and records a late acceptance', async () => {
    const sup = await staff('supervisor');
    const agent = await staff('postal_agent');
    const r = await resident();
    const id = (await book(r.h)).json().id;
    await age(id, 61);
    const breaches = (await get(sup.h, '/supervision/breaches')).json();
    const open = breaches.items.find(
      (b: { kind: string; subjectId: string }) => b.kind === 'visit_not_accepted' && b.subjectId === id,
    );
    expect(open).toMatchObject({ outstanding: true, label: '下单后60分钟内无人接单' });
    expect(open.minutesLate).toBeGreaterThanOrEqual(1);
    const queued = (await get(agent.h, '/staff/visits'))
      .json()
      .items.find((v: { id: string }) => v.id === id);
    expect(queued.overdue).toBe(true);

    expect((await visit(agent.h, id, 'accept')).statusCode).toBe(200);
    const after = (await get(sup.h, '/supervision/breaches'))
      .json()
      .items.find(
        (b: { kind: string; subjectId: string }) => b.kind === 'visit_not_accepted' && b.subjectId === id,
      );
    expect(after).toMatchObject({ outstanding: false, detail: '已接单，但超过接单时限' });
  });

  it("reminds the outlet's agents once before an order's window lapses, not other outlets' agents", async () => {
    const here = await staff('postal_agent');
    const elsewhere = await staff('postal_agent', 'HP-PO-02');
    const r = await resident();
    const id = (await book(r.h)).json().id;
    await age(id, 50);
    await remindUnacceptedVisits(t.app);
    await remindUnacceptedVisits(t.app);
    const sent = await db()
      .select()
      .from(notifications)
      .where(like(notifications.dedupeKey, `booking:${id}:remind:%`));
    expect(sent.map((n) => n.userId)).toContain(here.id);
    expect(sent.map((n) => n.userId)).not.toContain(elsewhere.id);
    expect(sent.filter((n) => n.userId === here.id)).toHaveLength(1);
    expect(sent[0]!.templateId).toBe(t.app.config.wechat.templates.visit_reminder);
    expect(sent[0]!.page).toBe(`staff/pages/visit/index?id=${id}`);
  });
});

describe('hand-back (AB岗) and cancelling for good', () => {
  it('returns the visit to the queue with the reason, tells the resident, keeps the slot; a colleague completes it', async () => {
    const a = await staff('postal_agent');
    const b = await staff('postal_agent');
    const r = await resident();
    const slot = await firstSlot(r.h);
    const id = (await book(r.h, bookingBody({ window: { kind: 'slot', slotId: slot.id } }))).json().id;
    expect((await slotRow(slot.id)).booked).toBe(1);
    await visit(a.h, id, 'accept');
    await visit(a.h, id, 'depart');
    expect((await visit(a.h, id, 'hand-back', { reason: 'x' })).statusCode).toBe(400);
    const back = await visit(a.h, id, 'hand-back', { reason: '车辆故障，无法按时上门' });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ status: 'requested', mine: false, dueAt: slot.end });
    const row = await bookingRow(id);
    expect(row).toMatchObject({ status: 'requested', agentId: null, slotId: slot.id, cancelReason: null });
    expect((await slotRow(slot.id)).booked).toBe(1);

    const mine = (await get(r.h, `/bookings/${id}`)).json();
    expect(mine.status).toBe('requested');
    expect(mine.events.at(-1)).toMatchObject({ kind: 'handed_back', note: '车辆故障，无法按时上门' });
    const told = await db()
      .select()
      .from(notifications)
      .where(
        and(eq(notifications.userId, r.user.id), like(notifications.dedupeKey, `booking:${id}:hand-back%`)),
      );
    expect(told).toHaveLength(1);

    // The second agent of the same outlet takes it and completes it.
    await collectAll(b.h, id);
    expect((await bookingRow(id)).agentId).toBe(b.id);

    const sup = await staff('supervisor');
    const figures = (await get(sup.h, '/supervision/agents/figures?days=1')).json().items;
    expect(figures.find((f: { agentId: string }) => f.agentId === a.id)).toMatchObject({
      visits: 1,
      handBacks: 1,
      collected: 0,
    });
    expect(figures.find((f: { agentId: string }) => f.agentId === b.id)).toMatchObject({
      visits: 1,
      arrived: 1,
      onTime: 1,
      onTimeShare: 1,
      handBacks: 0,
      collected: 1,
    });
    expect(errorOf(await get(sup.h, '/supervision/agents/figures?days=0')).code).toBe('VALIDATION_FAILED');
  });

  it('refuses to hand back a visit under review (409, nothing changed)', async () => {
    const a = await staff('postal_agent');
    const r = await resident();
    const id = (await book(r.h)).json().id;
    for (const step of ['accept', 'depart', 'arrive', 'start-review']) await visit(a.h, id, step);
    const res = await visit(a.h, id, 'hand-back', { reason: '临时有事' });
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('VISIT_UNDER_REVIEW');
    expect(await bookingRow(id)).toMatchObject({ status: 'reviewing', agentId: a.id });
  });

  it('frees the slot when the agent cancels for good', async () => {
    const a = await staff('postal_agent');
    const r = await resident();
    const slot = await firstSlot(r.h);
    const before = (await slotRow(slot.id)).booked;
    const id = (await book(r.h, bookingBody({ window: { kind: 'slot', slotId: slot.id } }))).json().id;
    expect((await slotRow(slot.id)).booked).toBe(before + 1);
    await visit(a.h, id, 'accept');
    const res = await visit(a.h, id, 'cancel', { reason: '多次致电居民无人接听' });
    expect(res.json()).toMatchObject({ status: 'cancelled', cancelReason: '多次致电居民无人接听' });
    expect((await slotRow(slot.id)).booked).toBe(before);
  });
});

describe("the resident's note and the door on the map", () => {
  it('reaches the agent only while the visit is theirs, as the address does', async () => {
    const a = await staff('postal_agent');
    const r = await resident();
    const created = await book(
      r.h,
      bookingBody({ note: '门铃坏了，到了请打电话', location: { lat: 23.1066, lng: 113.4581 } }),
    );
    const id = created.json().id;
    expect(created.json()).toMatchObject({ note: '门铃坏了，到了请打电话', location: { lat: 23.1066 } });
    expect((await get(r.h, `/bookings/${id}`)).json().note).toBe('门铃坏了，到了请打电话');
    const open = (await get(a.h, `/staff/visits/${id}`)).json();
    expect(open).toMatchObject({ note: null, location: null });
    expect(open.contact.phone).toBe('138****8000');
    const taken = (await visit(a.h, id, 'accept')).json();
    expect(taken).toMatchObject({
      note: '门铃坏了，到了请打电话',
      location: { lat: 23.1066, lng: 113.4581 },
      contact: { phone: '13800138000' },
    });
    const stored = await bookingRow(id);
    expect(stored.noteSealed).not.toContain('门铃');
    await collectAll(a.h, id);
    // Finished: no longer on the visit, so no longer shown in full.
    const done = (await get(a.h, `/staff/visits/${id}`)).json();
    expect(done).toMatchObject({
      status: expect.stringMatching(/collected|handed_over|case_submitted/),
      note: null,
    });
    expect(done.contact.phone).toBe('138****8000');
    expect(errorOf(await book(r.h, bookingBody({ location: { lat: 123, lng: 1 } }))).code).toBe(
      'VALIDATION_FAILED',
    );
  });
});

describe("the agent's day", () => {
  it("lists today's visits, finished and handed back ones too, with what happened", async () => {
    const a = await staff('postal_agent');
    const b = await staff('postal_agent');
    const r = await resident();
    const done = await collectAll(a.h, (await book(r.h)).json().id);
    const given = (await book(r.h)).json().id;
    await visit(a.h, given, 'accept');
    await visit(a.h, given, 'hand-back', { reason: '临时有急事' });
    await visit(b.h, given, 'accept');
    const day = (await get(a.h, '/staff/day')).json();
    expect(day.items.map((v: { id: string }) => v.id).sort()).toEqual([done, given].sort());
    const finished = day.items.find((v: { id: string }) => v.id === done);
    expect(finished).toMatchObject({ outcome: '材料齐全，已收件', handedOver: false });
    expect(finished.steps.map((s: { title: string }) => s.title)).toEqual(
      expect.arrayContaining(['专员已接单', '专员已到达', '材料已收取']),
    );
    expect(finished.place).toMatch(/^黄埔区 .{4}\*\*\*\*$/);
    expect(day.items.find((v: { id: string }) => v.id === given).outcome).toBe('已转交其他专员：临时有急事');
  });
});

describe('handover of the sealed bag and receipt at the centre', () => {
  it('records the bag, refuses bad bags, and the centre confirms item by item; a missing item is a finding', async () => {
    const a = await staff('postal_agent');
    const other = await staff('postal_agent');
    const clerk = await staff('centre_clerk');
    const farClerk = await staff('centre_clerk', 'HP-SC-02');
    const sup = await staff('supervisor');
    const r = await resident();
    const one = await collectAll(a.h, (await book(r.h)).json().id);
    const two = await collectAll(a.h, (await book(r.h)).json().id);
    const notCollected = (await book(r.h)).json().id;
    await visit(a.h, notCollected, 'accept');
    const theirs = await collectAll(other.h, (await book(r.h)).json().id);

    const pending = (await get(a.h, '/staff/handovers/pending')).json().items;
    expect(pending.map((p: { id: string }) => p.id).sort()).toEqual([one, two].sort());

    const handoverCount = async () => (await db().select({ n: count() }).from(handovers))[0]!.n;
    const before = await handoverCount();
    for (const ids of [
      [one, theirs],
      [one, notCollected],
    ]) {
      const bad = await post(a.h, '/staff/handovers', { code: 'BAG-BAD-01', bookingIds: ids });
      expect(bad.statusCode).toBe(422);
      expect(errorOf(bad).code).toBe('HANDOVER_VISIT_INVALID');
    }
    expect((await post(a.h, '/staff/handovers', { code: 'x', bookingIds: [one] })).statusCode).toBe(400);
    expect(await handoverCount()).toBe(before);

    const sealed = await post(a.h, '/staff/handovers', { code: 'hpbag0001', bookingIds: [one, two] });
    expect(sealed.statusCode).toBe(201);
    const bag = sealed.json();
    expect(bag).toMatchObject({ code: 'HPBAG0001', status: 'in_transit', to: { id: 'HP-SC-01' } });
    expect(bag.items.length).toBeGreaterThanOrEqual(4);
    expect((await post(a.h, '/staff/handovers', { code: 'HPBAG0001', bookingIds: [one] })).statusCode).toBe(
      409,
    );
    expect(errorOf(await post(a.h, '/staff/handovers', { code: 'HPBAG0002', bookingIds: [one] })).code).toBe(
      'HANDOVER_VISIT_INVALID',
    );
    expect((await get(a.h, '/staff/handovers/pending')).json().items).toEqual([]);

    // Not on its way to that centre, or unknown: refused.
    const wrong = await get(farClerk.h, '/centre/handovers/HPBAG0001');
    expect(wrong.statusCode).toBe(422);
    expect(errorOf(wrong).code).toBe('HANDOVER_NOT_FOR_THIS_CENTRE');
    const all = bag.items.map((i: { id: string }) => ({ id: i.id, state: 'received' }));
    expect(errorOf(await post(farClerk.h, '/centre/handovers/HPBAG0001/receive', { items: all })).code).toBe(
      'HANDOVER_NOT_FOR_THIS_CENTRE',
    );
    expect(errorOf(await get(clerk.h, '/centre/handovers/NOSUCHBAG')).code).toBe('HANDOVER_NOT_FOUND');
    expect((await get(a.h, '/centre/handovers/HPBAG0001')).statusCode).toBe(403);

    const incoming = (await get(clerk.h, '/centre/handovers')).json().items;
    expect(incoming.map((h: { code: string }) => h.code)).toContain('HPBAG0001');
    const half = await post(clerk.h, '/centre/handovers/HPBAG0001/receive', { items: all.slice(1) });
    expect(half.statusCode).toBe(422);
    expect(errorOf(half).code).toBe('HANDOVER_ITEMS_INCOMPLETE');

    const missing = bag.items[0];
    const checked = all.map((i: { id: string }) =>
      i.id === missing.id ? { id: i.id, state: 'missing', note: '袋内未见' } : i,
    );
    const received = await post(clerk.h, '/centre/handovers/HPBAG0001/receive', { items: checked });
    expect(received.statusCode).toBe(200);
    expect(received.json()).toMatchObject({ status: 'received' });
    expect(received.json().items.find((i: { id: string }) => i.id === missing.id)).toMatchObject({
      state: 'missing',
      note: '袋内未见',
    });
    expect(errorOf(await post(clerk.h, '/centre/handovers/HPBAG0001/receive', { items: checked })).code).toBe(
      'HANDOVER_ALREADY_RECEIVED',
    );

    const finding = (await get(sup.h, '/supervision/breaches'))
      .json()
      .items.filter((b: { kind: string }) => b.kind === 'handover_discrepancy');
    expect(finding).toHaveLength(1);
    expect(finding[0]).toMatchObject({ waybillNo: 'HPBAG0001', outstanding: true });
    expect(finding[0].detail).toContain(`${missing.name}缺失`);
    // A supervisor follows it up: the finding closes, with who and what.
    const handle = (note: string) =>
      post(sup.h, `/supervision/findings/${finding[0].findingId}/handle`, { note });
    expect((await handle('已联系寄出网点，材料在途补送')).statusCode).toBe(204);
    const closed = (await get(sup.h, '/supervision/breaches'))
      .json()
      .items.find((b: { kind: string }) => b.kind === 'handover_discrepancy');
    expect(closed).toMatchObject({ outstanding: false, handled: { note: '已联系寄出网点，材料在途补送' } });
    const unknown = await post(sup.h, `/supervision/findings/${crypto.randomUUID()}/handle`, {
      note: '已处理',
    });
    expect(errorOf(unknown).code).toBe('FINDING_NOT_FOUND');

    // Chain of custody on the resident's case timeline.
    for (const bookingId of [one, two]) {
      const c = (await get(r.h, `/cases/${await caseIdOf(bookingId)}`)).json();
      const titles = c.timeline.map((i: { title: string }) => i.title);
      expect(titles).toContain('材料已封袋交寄政务服务中心');
      expect(titles).toContain('政务服务中心已签收材料');
    }
  });
});

describe('door slots follow the outlet hours', () => {
  const hours = [
    { day: 1, open: '09:00', close: '13:00' },
    { day: 6, open: '09:00', close: '11:00' },
  ];

  it('offers weekend slots where the outlet opens at weekends, none where it is closed', () => {
    // Monday 2026-12-07 … Sunday 2026-12-13, asked on Friday 2026-12-04 evening (Beijing).
    const windows = slotWindows(hours, beijingInstant('2026-12-04', '20:00'));
    expect(windows.map((w) => w.startsAt.toISOString())).toEqual([
      beijingInstant('2026-12-05', '09:00').toISOString(),
      beijingInstant('2026-12-07', '09:00').toISOString(),
      beijingInstant('2026-12-07', '11:00').toISOString(),
    ]);
  });

  it('lists weekend slots through the API and refuses a slot outside the outlet hours, writing nothing', async () => {
    const r = await resident();
    const res = (
      await get(r.h, `/bookings/slots?matterCode=${bookingBody().matterCode}&county=黄埔区`)
    ).json();
    const weekdays = new Set(
      res.slots.map((s: { start: string }) => new Date(Date.parse(s.start) + 8 * 3600_000).getUTCDay()),
    );
    expect(weekdays.has(6) || weekdays.has(0)).toBe(true);

    const night = new Date(Date.parse(res.slots.at(-1).start) + 24 * 3600_000);
    night.setUTCHours(18, 0, 0, 0); // 02:00 Beijing
    const [odd] = await db()
      .insert(bookingSlots)
      .values({
        outletId: SERVING_POST_OFFICE,
        startsAt: night,
        endsAt: new Date(night.getTime() + 2 * 3600_000),
        capacity: 4,
      })
      .returning();
    const before = (await db().select({ n: count() }).from(bookings))[0]!.n;
    const refused = await book(r.h, bookingBody({ window: { kind: 'slot', slotId: odd!.id } }));
    expect(refused.statusCode).toBe(422);
    expect(errorOf(refused).code).toBe('SLOT_OUTSIDE_HOURS');
    expect((await db().select({ n: count() }).from(bookings))[0]!.n).toBe(before);
    expect((await slotRow(odd!.id)).booked).toBe(0);
    const listed = (
      await get(r.h, `/bookings/slots?matterCode=${bookingBody().matterCode}&county=黄埔区`)
    ).json();
    expect(listed.slots.some((s: { id: string }) => s.id === odd!.id)).toBe(false);
  });
});
