import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, shipments, users } from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { storeIdentity } from '../src/features/me/users';
import { buildTestApp, errorOf, type TestApp } from './helpers';
import { bookingBody, journey } from './journey';

/**
 * What the resident sees of a booking once people act on it (issue 10): who is coming, the case's status as
 * the one truth, booking again from a visit that found materials missing; and supervisors handling a flag.
 */
let t: TestApp;
const { resident, staff, book, visit, collectAll } = journey(() => t);

beforeAll(async () => {
  t = await buildTestApp();
  await syncCatalogue(t.app.database.db, t.app.gov);
});
afterAll(() => t?.close());

const get = (h: Record<string, string>, url: string) => t.app.inject({ url: `/api/v1${url}`, headers: h });

/** A postal agent with a real name, and the 工号 and work phone a supervisor recorded. */
async function agentOnRecord() {
  const agent = await staff('postal_agent');
  const supervisor = await staff('supervisor');
  await storeIdentity(t.app.database.db, t.app.pii, {
    userId: agent.id,
    name: '赵敏',
    idNumber: '440112198503151236',
  });
  const staffNo = `HP${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  const res = await putContact(supervisor.h, agent.id, { staffNo, phone: '13922200012' });
  expect(res.statusCode, res.body).toBe(204);
  return { ...agent, staffNo, supervisor };
}
const putContact = (h: Record<string, string>, userId: string, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/admin/users/${userId}/staff-contact`, headers: h, payload });

describe('who is coming (defect 3)', () => {
  it('shows the agent’s name, 工号 and masked phone once accepted, and gives the full number only to call', async () => {
    const r = await resident();
    const agent = await agentOnRecord();
    const id = (await book(r.h)).json().id;

    expect((await get(r.h, `/bookings/${id}`)).json().agent).toBeNull();
    const early = await get(r.h, `/bookings/${id}/agent-phone`);
    expect(early.statusCode).toBe(409);
    expect(errorOf(early).code).toBe('AGENT_NOT_REACHABLE');

    await visit(agent.h, id, 'accept');
    const mine = (await get(r.h, `/bookings/${id}`)).json();
    expect(mine.agent).toEqual({ name: '赵敏', staffNo: agent.staffNo, phone: '139****0012' });
    const listed = (await get(r.h, '/bookings')).json().items.find((b: { id: string }) => b.id === id);
    expect(listed.agent).toEqual(mine.agent);
    expect((await get(r.h, `/bookings/${id}/agent-phone`)).json()).toEqual({ phone: '13922200012' });

    // Only the booking's owner may call through it.
    const other = await resident();
    expect((await get(other.h, `/bookings/${id}/agent-phone`)).statusCode).toBe(404);

    // Only supervisors record staff contacts; a bad phone or a 工号 already in use is refused.
    expect((await putContact(agent.h, agent.id, { staffNo: 'HP1', phone: '13922200012' })).statusCode).toBe(
      403,
    );
    const badPhone = await putContact(agent.supervisor.h, agent.id, { staffNo: 'HP1', phone: '123' });
    expect(badPhone.statusCode).toBe(422);
    const colleague = await agentOnRecord();
    const taken = await putContact(agent.supervisor.h, colleague.id, {
      staffNo: agent.staffNo,
      phone: '13922200013',
    });
    expect(taken.statusCode).toBe(409);
    expect(errorOf(taken).code).toBe('STAFF_NO_TAKEN');

    // The phone is sealed at rest, like every piece of personal data.
    const [row] = await t.app.database.db
      .select({ phoneSealed: users.phoneSealed, staffNo: users.staffNo })
      .from(users)
      .where(eq(users.id, agent.id));
    expect(row!.staffNo).toBe(agent.staffNo);
    expect(row!.phoneSealed).toMatch(/^v1\./);
    expect(row!.phoneSealed).not.toContain('13922200012');
  });
});

describe('one truth once a case exists (defect 5)', () => {
  it('lists and shows the case’s status beside the booking, following the case as it moves', async () => {
    const r = await resident();
    const agent = await agentOnRecord();
    const id = (await book(r.h)).json().id;
    expect((await get(r.h, `/bookings/${id}`)).json().case).toBeNull();

    await collectAll(agent.h, id);
    const [c] = await t.app.database.db.select().from(cases).where(eq(cases.bookingId, id));
    expect((await get(r.h, `/bookings/${id}`)).json().case).toEqual({
      id: c!.id,
      status: 'submitting',
      statusLabel: '材料已收取',
    });

    // The platform asks for supplements: the booking's own last step is stale, the case is what counts.
    await t.app.database.db.update(cases).set({ status: 'supplement_required' }).where(eq(cases.id, c!.id));
    const detail = (await get(r.h, `/bookings/${id}`)).json();
    const listed = (await get(r.h, '/bookings')).json().items.find((b: { id: string }) => b.id === id);
    for (const view of [detail, listed])
      expect(view.case).toMatchObject({ status: 'supplement_required', statusLabel: '待补齐补正' });
  });
});

describe('booking again after 材料不齐 (defect 7)', () => {
  it('hands the owner the earlier matter, address, contact, entrust and missing items in full', async () => {
    const r = await resident();
    const agent = await agentOnRecord();
    const entrust = { scope: '代为提交申请材料', validUntil: '2099-12-31' };
    const id = (await book(r.h, bookingBody({ entrust }))).json().id;
    for (const step of ['accept', 'depart', 'arrive', 'start-review']) await visit(agent.h, id, step);
    const checklist = (await get(agent.h, `/staff/visits/${id}`)).json().checklist as {
      materialId: string;
      count: number;
      required: boolean;
    }[];
    const absent = checklist.find((m) => m.required)!;
    const res = await visit(agent.h, id, 'review', {
      items: checklist.map((m) => ({ materialId: m.materialId, present: m !== absent, copies: m.count })),
    });
    expect(res.json().status).toBe('materials_incomplete');

    const draft = await get(r.h, `/bookings/${id}/rebook`);
    expect(draft.statusCode, draft.body).toBe(200);
    expect(draft.json()).toEqual({
      matterCode: res.json().matter.code,
      address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
      contact: { name: '张三', phone: '13800138000' },
      entrust,
      missingItems: [expect.objectContaining({ materialId: absent.materialId, reason: '未提供' })],
      // A single matter: no bundle (一件事) to book again.
      bundle: null,
    });
    const other = await resident();
    expect((await get(other.h, `/bookings/${id}/rebook`)).statusCode).toBe(404);
  });
});

describe('a flagged delivery stays open until a supervisor handles it (defect 8)', () => {
  it('lists a proxy receipt without relation or ID as 待处理, and as handled only after the action', async () => {
    const r = await resident();
    const agent = await agentOnRecord();
    const supervisor = await staff('supervisor');
    const id = await collectAll(agent.h, (await book(r.h)).json().id);
    const [c] = await t.app.database.db.select().from(cases).where(eq(cases.bookingId, id));
    const flaggedAt = new Date(Date.now() - 60_000).toISOString();
    const [leg] = await t.app.database.db
      .insert(shipments)
      .values({
        leg: 'result_to_applicant',
        subjectKind: 'case',
        caseId: c!.id,
        senderSealed: 'x',
        receiverSealed: 'x',
        status: 'delivered',
        deliveredAt: new Date(flaggedAt),
        waybillNo: `11${String(Date.now()).slice(-11)}`,
        flags: [{ code: 'proxy_unverified', at: flaggedAt, detail: '代收人：李四，未登记关系和证件' }],
      })
      .returning();
    const finding = async () =>
      (await get(supervisor.h, '/supervision/breaches'))
        .json()
        .items.find((b: { findingId?: string }) => b.findingId === leg!.id);

    // Delivered, yet nobody has called the applicant: open.
    expect(await finding()).toMatchObject({ kind: 'logistics_exception', outstanding: true, handled: null });

    const handle = (h: Record<string, string>, payload: object, findingId = leg!.id) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/supervision/findings/${findingId}/handle`,
        headers: h,
        payload,
      });
    expect((await handle(r.h, { note: '已致电' })).statusCode).toBe(403);
    expect((await handle(supervisor.h, { note: '' })).statusCode).toBe(400);
    const unknown = await handle(supervisor.h, { note: '已致电申请人' }, crypto.randomUUID());
    expect(unknown.statusCode).toBe(404);
    expect(errorOf(unknown).code).toBe('FINDING_NOT_FOUND');
    expect(await finding()).toMatchObject({ outstanding: true, handled: null });

    const done = await handle(supervisor.h, { note: '已致电申请人，确认本人已收到证照' });
    expect(done.statusCode, done.body).toBe(204);
    expect(await finding()).toMatchObject({
      outstanding: false,
      handled: { by: '监管人员', note: '已致电申请人，确认本人已收到证照', at: expect.any(String) },
    });

    // A new flag on the same leg after the handling opens it again.
    await t.app.database.db
      .update(shipments)
      .set({
        flags: sql`${shipments.flags} || ${JSON.stringify([
          { code: 'parcel_point', at: new Date(Date.now() + 60_000).toISOString(), detail: '投至驿站' },
        ])}::jsonb`,
      })
      .where(eq(shipments.id, leg!.id));
    expect(await finding()).toMatchObject({ outstanding: true });
  });
});
