import { count, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matters as simMatters } from '../simulators/gov/catalogue';
import { bookingSlots, bookings, piiAccessLog } from '../src/db/schema';
import { expireUnacceptedBookings } from '../src/features/bookings/expiry';
import { acceptVisit } from '../src/features/bookings/visitQueries';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { bookingBody, doorMatter, journey, until } from './journey';

let t: TestApp;
const outletOnlyMatter = simMatters.find((m) => !m.channels.doorPickup)!;

beforeAll(async () => {
  t = await buildTestApp();
  await syncCatalogue(t.app.database.db, t.app.gov);
});
afterAll(() => t?.close());

const { resident, staff, book, visit, caseIdOf } = journey(() => t);
const body = bookingBody;
const bookingCount = async () => (await t.app.database.db.select({ n: count() }).from(bookings))[0]!.n;

describe('booking a door visit', () => {
  it('refuses what cannot be booked, with a clear code, writing nothing', async () => {
    const before = await bookingCount();
    const noName = await resident(false);
    expect(errorOf(await book(noName.h)).code).toBe('REAL_NAME_REQUIRED');
    const r = await resident();
    const outletOnly = await book(r.h, body({ matterCode: outletOnlyMatter.serviceCode }));
    expect(outletOnly.statusCode).toBe(422);
    expect(errorOf(outletOnly)).toMatchObject({
      code: 'DOOR_PICKUP_NOT_SUPPORTED',
      details: [{ field: 'matterCode' }],
    });
    expect(errorOf(await book(r.h, body({ matterCode: 'no-such-matter' }))).code).toBe('MATTER_NOT_FOUND');
    const badPhone = await book(r.h, body({ contact: { name: '张三', phone: '12345' } }));
    expect(errorOf(badPhone)).toMatchObject({
      code: 'CONTACT_INVALID',
      details: [{ field: 'contact.phone' }],
    });
    const farAway = await book(
      r.h,
      body({ address: { province: '甘肃省', city: '张掖市', county: '甘州区', detail: '县府街1号' } }),
    );
    expect(errorOf(farAway).code).toBe('AREA_NOT_SERVED');
    const noKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: r.h,
      payload: body(),
    });
    expect(errorOf(noKey).code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await bookingCount()).toBe(before);
  });

  it('returns the same booking for a retried submit, and refuses the key with another body', async () => {
    const r = await resident();
    const first = await book(r.h, body(), 'retry-key-0001');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      status: 'requested',
      number: expect.stringMatching(/^\d{12}$/),
      contact: { name: '张*', phone: '138****8000' },
    });
    const again = await book(r.h, body(), 'retry-key-0001');
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    // A replay is a normal answer: no error logged (once logged with the failed INSERT's parameters).
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { ...r.h, 'idempotency-key': 'retry-key-0001', 'x-request-id': 'replay-log-check-1' },
      payload: body(),
    });
    expect(replay.statusCode).toBe(200);
    const linesOf = (reqId: string) =>
      t.logs
        .text()
        .split('\n')
        .filter((l) => l.includes(`"reqId":"${reqId}"`))
        .map((l) => JSON.parse(l) as { level: number; msg: string });
    await expect.poll(() => linesOf('replay-log-check-1').map((l) => l.msg)).toContain('request completed');
    expect(linesOf('replay-log-check-1').filter((l) => l.level >= 50)).toEqual([]);
    expect(t.logs.text()).not.toContain('retry-key-0001');
    const racing = await Promise.all([
      book(r.h, body(), 'retry-key-0002'),
      book(r.h, body(), 'retry-key-0002'),
    ]);
    expect(new Set(racing.map((x) => x.json().id)).size).toBe(1);
    expect(
      errorOf(await book(r.h, body({ window: { kind: 'asap' }, note: '改了内容' }), 'retry-key-0001')).code,
    ).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it("hides one resident's booking from another (404)", async () => {
    const a = await resident();
    const b = await resident();
    const id = (await book(a.h)).json().id;
    expect((await t.app.inject({ url: `/api/v1/bookings/${id}`, headers: a.h })).statusCode).toBe(200);
    const peek = await t.app.inject({ url: `/api/v1/bookings/${id}`, headers: b.h });
    expect(peek.statusCode).toBe(404);
    expect(errorOf(peek).code).toBe('BOOKING_NOT_FOUND');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/bookings/${id}/cancel`,
          headers: b.h,
          payload: {},
        })
      ).statusCode,
    ).toBe(404);
  });

  it('never overfills a slot, however many book it at once', async () => {
    const r = await resident();
    const slots = (
      await t.app.inject({
        url: `/api/v1/bookings/slots?matterCode=${doorMatter.serviceCode}&county=黄埔区`,
        headers: r.h,
      })
    ).json();
    expect(slots.slots.length).toBeGreaterThan(0);
    const slot = slots.slots[0];
    const people = await Promise.all(Array.from({ length: slot.remaining + 3 }, () => resident()));
    const results = await Promise.all(
      people.map((p) => book(p.h, body({ window: { kind: 'slot', slotId: slot.id } }))),
    );
    const ok = results.filter((x) => x.statusCode === 201);
    expect(ok).toHaveLength(slot.remaining);
    expect(
      results.filter((x) => x.statusCode === 409).every((x) => errorOf(x).code === 'SLOT_UNAVAILABLE'),
    ).toBe(true);
    const [row] = await t.app.database.db.select().from(bookingSlots).where(eq(bookingSlots.id, slot.id));
    expect(row!.booked).toBe(row!.capacity);
    expect(ok[0]!.json().dueAt).toBe(slot.end);
  });
});

describe('the agent at the door', () => {
  it('lets exactly one of two agents take a visit', async () => {
    const r = await resident();
    const id = (await book(r.h)).json().id;
    const [a, b] = await Promise.all([staff('postal_agent'), staff('postal_agent')]);
    const results = await Promise.all([visit(a.h, id, 'accept'), visit(b.h, id, 'accept')]);
    expect(results.filter((x) => x.statusCode === 200)).toHaveLength(1);
    expect(results.filter((x) => x.statusCode !== 200).every((x) => [404, 409].includes(x.statusCode))).toBe(
      true,
    );
  });

  it('accepts in one statement: of two concurrent accepts one wins, and its row already has the 1-hour deadline', async () => {
    const r = await resident();
    const id = (await book(r.h, body({ window: { kind: 'asap' } }))).json().id;
    const [a, b] = await Promise.all([staff('postal_agent'), staff('postal_agent')]);
    const now = new Date('2026-11-23T02:00:00Z');
    const results = await Promise.allSettled([
      acceptVisit(t.app.database.db, { bookingId: id, agentId: a.id, now }),
      acceptVisit(t.app.database.db, { bookingId: id, agentId: b.id, now }),
    ]);
    const won = results.filter((x) => x.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const lost = results.find((x) => x.status === 'rejected');
    expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: 'BOOKING_STATE_CONFLICT' });
    // The row the accepting UPDATE returned carries the deadline: no second statement sets it.
    const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acceptVisit>>>).value;
    expect(winner.dueAt?.toISOString()).toBe('2026-11-23T03:00:00.000Z');
    const [row] = await t.app.database.db.select().from(bookings).where(eq(bookings.id, id));
    expect(row).toMatchObject({ agentId: winner.agentId, dueAt: winner.dueAt, status: 'assigned' });
  });

  it('records each event with its kind: created, rescheduled (status kept), status changed', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const id = (await book(r.h, body({ window: { kind: 'asap' } }))).json().id;
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${id}/reschedule`,
      headers: r.h,
      payload: { window: { kind: 'asap' } },
    });
    expect(moved.statusCode).toBe(200);
    await visit(agent.h, id, 'accept');
    const seen = (await t.app.inject({ url: `/api/v1/bookings/${id}`, headers: r.h })).json();
    expect(
      seen.events.map((e: { kind: string; status: string; note: string | null }) => [
        e.kind,
        e.status,
        e.note,
      ]),
    ).toEqual([
      ['created', 'requested', null],
      ['rescheduled', 'requested', null],
      ['status_changed', 'assigned', null],
    ]);
  });

  it('refuses every illegal step with 409 and a code', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const id = (await book(r.h)).json().id;
    expect(errorOf(await visit(agent.h, id, 'depart')).code).toBe('BOOKING_STATE_CONFLICT'); // nobody accepted it yet
    expect((await visit(agent.h, id, 'accept')).statusCode).toBe(200);
    const early = await visit(agent.h, id, 'arrive');
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('BOOKING_STATE_CONFLICT');
    expect((await visit(agent.h, id, 'depart')).statusCode).toBe(200);
    const lateCancel = await t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${id}/cancel`,
      headers: r.h,
      payload: {},
    });
    expect(lateCancel.statusCode).toBe(409);
    const lateMove = await t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${id}/reschedule`,
      headers: r.h,
      payload: { window: { kind: 'asap' } },
    });
    expect(errorOf(lateMove).code).toBe('BOOKING_STATE_CONFLICT');
    expect((await visit(agent.h, id, 'accept')).statusCode).toBe(409);
    const resident2 = await resident();
    expect((await t.app.inject({ url: '/api/v1/staff/visits', headers: resident2.h })).statusCode).toBe(403);
  });

  it('collects complete materials: EMS leg and case submission follow, the resident sees the case number', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const id = (
      await book(r.h, body({ entrust: { scope: '代为提交申请材料并领取结果', validUntil: '2027-12-31' } }))
    ).json().id;
    for (const step of ['accept', 'depart', 'arrive', 'start-review'])
      expect((await visit(agent.h, id, step)).statusCode).toBe(200);
    const queued = (await t.app.inject({ url: '/api/v1/staff/visits', headers: agent.h }))
      .json()
      .items.find((v: { id: string }) => v.id === id);
    expect(queued.address.detail).not.toContain('502'); // the queue stays masked
    const detail = (await t.app.inject({ url: `/api/v1/staff/visits/${id}`, headers: agent.h })).json();
    expect(detail.address.detail).toBe('大沙地东路1号3栋502'); // the agent on the visit sees where to go
    const audited = await t.app.database.db.select().from(piiAccessLog).where(eq(piiAccessLog.subjectId, id));
    expect(audited.length).toBeGreaterThan(0);
    const items = detail.checklist.map((m: { materialId: string; count: number }) => ({
      materialId: m.materialId,
      present: true,
      copies: m.count,
    }));
    const collected = await visit(agent.h, id, 'review', { items });
    expect(collected.statusCode).toBe(200);
    expect(collected.json().status).toBe('collected');

    const mine = async () => (await t.app.inject({ url: `/api/v1/bookings/${id}`, headers: r.h })).json();
    await until(async () => (await mine()).status === 'case_submitted' && !!(await mine()).waybillNo);
    const seen = await mine();
    expect(seen.caseNumber).toMatch(/^\d{20}$/);
    expect(seen.waybillNo).toMatch(/^\d{13}$/);
    expect(seen.address.detail).not.toContain('502');
    expect(seen.entrust).toMatchObject({ scope: '代为提交申请材料并领取结果', validUntil: '2027-12-31' });
    expect(seen.events.map((e: { status: string }) => e.status)).toEqual(
      expect.arrayContaining([
        'requested',
        'assigned',
        'en_route',
        'arrived',
        'reviewing',
        'collected',
        'case_submitted',
      ]),
    );
    // The platform knows the case by the case's own id (ourId), not the booking's.
    const caseId = await caseIdOf(id);
    const cases = await t.gov.admin<{ cases: { ourId: string }[] }>(`/sim/cases?ourId=${caseId}`);
    expect(cases.cases).toHaveLength(1);
  });

  it('ends an incomplete review with ONE list of everything missing, and refuses a half-checked list', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const id = (await book(r.h)).json().id;
    for (const step of ['accept', 'depart', 'arrive', 'start-review']) await visit(agent.h, id, step);
    const checklist = (await t.app.inject({ url: `/api/v1/staff/visits/${id}`, headers: agent.h })).json()
      .checklist as {
      materialId: string;
      name: string;
      count: number;
      required: boolean;
    }[];
    const half = await visit(agent.h, id, 'review', {
      items: [{ materialId: checklist[0]!.materialId, present: true, copies: 1 }],
    });
    expect(half.statusCode).toBe(422);
    expect(errorOf(half).code).toBe('REVIEW_INCOMPLETE');

    const required = checklist.filter((m) => m.required);
    const items = checklist.map((m, i) => ({
      materialId: m.materialId,
      present: !(m.required && i === checklist.indexOf(required[0]!)),
      copies: m.materialId === required[1]!.materialId ? m.count - 1 : m.count,
    }));
    const res = await visit(agent.h, id, 'review', { items });
    expect(res.json().status).toBe('materials_incomplete');
    const mine = (await t.app.inject({ url: `/api/v1/bookings/${id}`, headers: r.h })).json();
    expect(mine.status).toBe('materials_incomplete');
    // Both problems in one list: the absent material and the one short of copies.
    expect(mine.missingItems).toEqual([
      { materialId: required[0]!.materialId, name: required[0]!.name, reason: '未提供' },
      {
        materialId: required[1]!.materialId,
        name: required[1]!.name,
        reason: `需${required[1]!.count}份，仅提供${required[1]!.count - 1}份`,
      },
    ]);
  });
});

describe('supervision', () => {
  it('lists visits not reached within the hour, and records late arrivals', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const supervisor = await staff('supervisor');
    const id = (await book(r.h)).json().id;
    await visit(agent.h, id, 'accept');
    await t.app.database.db
      .update(bookings)
      .set({ dueAt: sql`now() - interval '10 minutes'` })
      .where(eq(bookings.id, id));
    const listed = await t.app.inject({ url: '/api/v1/supervision/breaches', headers: supervisor.h });
    expect(listed.statusCode, listed.body).toBe(200);
    const open = listed.json().items;
    expect(open).toContainEqual(
      expect.objectContaining({ bookingId: id, kind: 'visit_not_reached', minutesLate: expect.any(Number) }),
    );
    expect(
      (await t.app.inject({ url: '/api/v1/staff/visits', headers: agent.h })).json().items[0],
    ).toMatchObject({ id, overdue: true });
    await visit(agent.h, id, 'depart');
    await visit(agent.h, id, 'arrive');
    const after = (await t.app.inject({ url: '/api/v1/supervision/breaches', headers: supervisor.h })).json()
      .items;
    expect(after).toContainEqual(
      expect.objectContaining({
        bookingId: id,
        kind: 'visit_late',
        at: expect.any(String),
        outstanding: false,
      }),
    );
    expect(
      after.find(
        (b: { bookingId: string; kind: string }) => b.bookingId === id && b.kind === 'visit_not_reached',
      ),
    ).toBeUndefined();
    expect((await t.app.inject({ url: '/api/v1/supervision/breaches', headers: agent.h })).statusCode).toBe(
      403,
    );
  });
});

describe('photos of the materials', () => {
  // A real image: uploads are decoded and re-encoded (test/hardening.test.ts).
  let png: Buffer;
  beforeAll(async () => {
    png = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
  });
  const upload = (h: Record<string, string>, id: string, data: Buffer, type = 'image/png') => {
    const boundary = '----zyt-test-boundary';
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.png"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/staff/visits/${id}/photos`,
      headers: { ...h, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
  };

  it('keeps photos sealed, checks what they are, and shows them only to the agent on the visit', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const other = await staff('postal_agent');
    const id = (await book(r.h)).json().id;
    await visit(agent.h, id, 'accept');
    expect(errorOf(await upload(agent.h, id, png)).code).toBe('BOOKING_STATE_CONFLICT'); // not at the door yet
    await visit(agent.h, id, 'depart');
    await visit(agent.h, id, 'arrive');

    const ok = await upload(agent.h, id, png);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ contentType: 'image/png' });
    const fake = await upload(agent.h, id, Buffer.from('<html>not an image</html>'), 'image/png');
    expect(fake.statusCode).toBe(415);
    expect(errorOf(fake).code).toBe('PHOTO_TYPE_UNSUPPORTED');
    const huge = await upload(agent.h, id, Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)]));
    expect(huge.statusCode).toBe(413);
    expect(errorOf(huge).code).toBe('PHOTO_TOO_LARGE');
    expect((await upload(other.h, id, png)).statusCode).toBe(404);

    const list = (await t.app.inject({ url: `/api/v1/staff/visits/${id}/photos`, headers: agent.h })).json()
      .items;
    expect(list).toHaveLength(1);
    const image = await t.app.inject({
      url: `/api/v1/staff/visits/${id}/photos/${list[0].id}`,
      headers: agent.h,
    });
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.length).toBe(ok.json().bytes);
    expect(await sharp(image.rawPayload).metadata()).toMatchObject({ format: 'png', width: 32, height: 24 });
    const rows = await t.app.database.rows<{ sealed: string }>(
      sql`select sealed from booking_photos where booking_id = ${id}`,
    );
    expect(rows[0]!.sealed).not.toContain(image.rawPayload.toString('base64').slice(0, 40));
    expect(
      (await t.app.inject({ url: `/api/v1/staff/visits/${id}/photos/${list[0].id}`, headers: other.h }))
        .statusCode,
    ).toBe(404);
  });
});

describe('expiry', () => {
  it('expires a visit nobody accepted in time, once, and keeps accepted ones', async () => {
    const r = await resident();
    const agent = await staff('postal_agent');
    const stale = (await book(r.h)).json().id;
    const taken = (await book(r.h)).json().id;
    await visit(agent.h, taken, 'accept');
    await t.app.database.db
      .update(bookings)
      .set({ createdAt: sql`now() - interval '5 hours'` })
      .where(sql`${bookings.id} in (${stale}, ${taken})`);
    expect(await expireUnacceptedBookings(t.app.database.db)).toBeGreaterThanOrEqual(1);
    expect(await expireUnacceptedBookings(t.app.database.db)).toBe(0);
    const mine = (await t.app.inject({ url: `/api/v1/bookings/${stale}`, headers: r.h })).json();
    expect(mine.status).toBe('expired');
    expect(mine.events.at(-1)).toMatchObject({ status: 'expired', actor: 'system' });
    expect((await t.app.inject({ url: `/api/v1/bookings/${taken}`, headers: r.h })).json().status).toBe(
      'assigned',
    );
  });
});
