import type { HandoverItemState, HandoverView, ReceiveHandoverBody } from '@zyt/shared';
import { and, asc, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database, DatabaseOrTransaction } from '../../db/client';
import { bookingEvents, bookings, handoverItems, handovers, matterMaterials, outlets } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { servingOutlets } from '../bookings/bookings';

/** The booking states in which the materials have been collected (and may go into a bag). */
const COLLECTED = ['collected', 'handed_over', 'case_submitted'];

/** The agent's collected visits not yet in a sealed bag, oldest first. */
export async function pendingHandovers(db: DatabaseOrTransaction, agentId: string) {
  const rows = await db
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.agentId, agentId),
        inArray(bookings.status, COLLECTED),
        sql`not exists (select 1 from ${handoverItems} where ${handoverItems.bookingId} = ${bookings.id})`,
      ),
    )
    .orderBy(asc(bookings.updatedAt))
    .limit(100);
  return rows.map((b) => ({
    id: b.id,
    number: b.number,
    matterName: b.matterName,
    items: (b.review ?? []).filter((r) => r.present && r.copies > 0).length,
    collectedAt: b.updatedAt.toISOString(),
  }));
}

/** A handover with its outlets' names and items, as agents and clerks see it. */
export async function handoverView(
  db: DatabaseOrTransaction,
  h: typeof handovers.$inferSelect,
): Promise<HandoverView> {
  const [places, items] = await Promise.all([
    db
      .select({ id: outlets.id, name: outlets.name })
      .from(outlets)
      .where(inArray(outlets.id, [h.fromOutletId, h.toCentreId])),
    db
      .select({ item: handoverItems, number: bookings.number, matterName: bookings.matterName })
      .from(handoverItems)
      .innerJoin(bookings, eq(bookings.id, handoverItems.bookingId))
      .where(eq(handoverItems.handoverId, h.id))
      .orderBy(asc(handoverItems.position)),
  ]);
  const place = (id: string) => places.find((p) => p.id === id) ?? { id, name: id };
  return {
    id: h.id,
    code: h.code,
    status: h.status,
    from: place(h.fromOutletId),
    to: place(h.toCentreId),
    sealedAt: h.sealedAt.toISOString(),
    receivedAt: h.receivedAt?.toISOString() ?? null,
    items: items.map(({ item, number, matterName }) => ({
      id: item.id,
      bookingNumber: number,
      matterName,
      name: item.name,
      copies: item.copies,
      state: item.state,
      note: item.note,
    })),
  };
}

/**
 * 交接: the agent records the sealed bag of collected materials (bag code or waybill) at their post office.
 * Every visit must be theirs, collected and not in a bag yet, and all bound for the same service centre. Each
 * visit's timeline gets the step (chain of custody). One transaction: nothing half-written.
 */
export async function createHandover(
  db: Database,
  params: { agentId: string; outletId: string; code: string; bookingIds: string[] },
) {
  const code = params.code.toUpperCase();
  return db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: handovers.id }).from(handovers).where(eq(handovers.code, code));
    if (taken) throw new AppError(409, 'HANDOVER_CODE_TAKEN');
    const rows = await tx
      .select()
      .from(bookings)
      .where(inArray(bookings.id, params.bookingIds))
      .orderBy(asc(bookings.number))
      .for('update');
    const bagged = await tx
      .select({ id: handoverItems.bookingId })
      .from(handoverItems)
      .where(inArray(handoverItems.bookingId, params.bookingIds));
    const invalid =
      rows.length !== params.bookingIds.length ||
      bagged.length > 0 ||
      rows.some((b) => b.agentId !== params.agentId || !COLLECTED.includes(b.status));
    if (invalid) throw new AppError(422, 'HANDOVER_VISIT_INVALID');
    const centres = await Promise.all(
      rows.map((b) => servingOutlets(tx, { matterCode: b.matterCode, county: b.county })),
    );
    const centreIds = new Set(centres.map((c) => c.centre.id));
    if (centreIds.size !== 1) throw new AppError(422, 'HANDOVER_MIXED_CENTRES');
    const centre = centres[0]!.centre;
    const [h] = await tx
      .insert(handovers)
      .values({ code, agentId: params.agentId, fromOutletId: params.outletId, toCentreId: centre.id })
      .returning();
    const materials = await tx
      .select()
      .from(matterMaterials)
      .where(inArray(matterMaterials.matterCode, [...new Set(rows.map((b) => b.matterCode))]));
    let position = 0;
    const items = rows.flatMap((b) =>
      (b.review ?? [])
        .filter((r) => r.present && r.copies > 0)
        .map((r) => ({
          handoverId: h!.id,
          bookingId: b.id,
          materialId: r.materialId,
          name:
            materials.find((m) => m.matterCode === b.matterCode && m.id === r.materialId)?.name ??
            r.materialId,
          copies: r.copies,
          position: position++,
        })),
    );
    if (items.length > 0) await tx.insert(handoverItems).values(items);
    await tx.insert(bookingEvents).values(
      rows.map((b) => ({
        bookingId: b.id,
        kind: 'handover_sealed' as const,
        status: b.status,
        actor: 'agent' as const,
        actorId: params.agentId,
        note: `袋号 ${code}，${items.filter((i) => i.bookingId === b.id).length} 项材料，寄往${centre.name}`,
      })),
    );
    return h!;
  });
}

/** The agent's latest handovers. */
export async function listOwnHandovers(db: DatabaseOrTransaction, agentId: string) {
  const rows = await db
    .select()
    .from(handovers)
    .where(eq(handovers.agentId, agentId))
    .orderBy(desc(handovers.sealedAt))
    .limit(20);
  return Promise.all(rows.map((h) => handoverView(db, h)));
}

/** Bags on their way to a centre, oldest first. */
export async function incomingHandovers(db: DatabaseOrTransaction, centreId: string) {
  const rows = await db
    .select()
    .from(handovers)
    .where(and(eq(handovers.toCentreId, centreId), eq(handovers.status, 'in_transit')))
    .orderBy(asc(handovers.sealedAt))
    .limit(100);
  return Promise.all(rows.map((h) => handoverView(db, h)));
}

/** A bag by its code, as a clerk of `centreId` may see it: another centre's bag is refused. */
export async function handoverForCentre(
  db: DatabaseOrTransaction,
  params: { code: string; centreId: string },
) {
  const [h] = await db.select().from(handovers).where(eq(handovers.code, params.code.toUpperCase()));
  if (!h) throw new AppError(404, 'HANDOVER_NOT_FOUND');
  if (h.toCentreId !== params.centreId) throw new AppError(422, 'HANDOVER_NOT_FOR_THIS_CENTRE');
  return h;
}

const stateWord: Record<HandoverItemState, string> = { received: '完好', missing: '缺失', damaged: '破损' };

/**
 * The centre clerk confirms receipt, item by item: every item must be checked, once. Missing or damaged items
 * become a finding for supervisors; each visit's timeline gets the receipt (chain of custody).
 */
export async function receiveHandover(
  db: Database,
  params: { code: string; centreId: string; clerkId: string; items: ReceiveHandoverBody['items'] },
) {
  return db.transaction(async (tx) => {
    const found = await handoverForCentre(tx, params);
    const [h] = await tx.select().from(handovers).where(eq(handovers.id, found.id)).for('update');
    if (h!.status !== 'in_transit') throw new AppError(409, 'HANDOVER_ALREADY_RECEIVED');
    const items = await tx
      .select()
      .from(handoverItems)
      .where(and(eq(handoverItems.handoverId, h!.id), isNull(handoverItems.state)))
      .orderBy(asc(handoverItems.position));
    const given = new Map(params.items.map((i) => [i.id, i]));
    if (
      given.size !== params.items.length ||
      given.size !== items.length ||
      items.some((i) => !given.has(i.id))
    )
      throw new AppError(422, 'HANDOVER_ITEMS_INCOMPLETE', undefined, [
        ...items
          .filter((i) => !given.has(i.id))
          .map((i) => ({ field: `items.${i.id}`, message: `未核对：${i.name}` })),
        ...params.items
          .filter((g) => !items.some((i) => i.id === g.id))
          .map((g) => ({ field: `items.${g.id}`, message: '不在该袋的材料清单中' })),
      ]);
    for (const item of items) {
      const g = given.get(item.id)!;
      await tx
        .update(handoverItems)
        .set({ state: g.state, note: g.note?.trim() || null })
        .where(eq(handoverItems.id, item.id));
    }
    const [received] = await tx
      .update(handovers)
      .set({ status: 'received', receivedAt: sql`now()`, receivedBy: params.clerkId })
      .where(eq(handovers.id, h!.id))
      .returning();
    const [centre] = await tx
      .select({ name: outlets.name })
      .from(outlets)
      .where(eq(outlets.id, h!.toCentreId));
    const byBooking = new Map<string, typeof items>();
    for (const i of items) byBooking.set(i.bookingId, [...(byBooking.get(i.bookingId) ?? []), i]);
    const states = await tx
      .select({ id: bookings.id, status: bookings.status })
      .from(bookings)
      .where(inArray(bookings.id, [...byBooking.keys()]));
    await tx.insert(bookingEvents).values(
      states.map((b) => {
        const mine = byBooking.get(b.id) ?? [];
        const bad = mine.filter((i) => given.get(i.id)!.state !== 'received');
        return {
          bookingId: b.id,
          kind: 'centre_received' as const,
          status: b.status,
          actor: 'system' as const,
          actorId: params.clerkId,
          note:
            bad.length === 0
              ? `${centre?.name ?? '政务服务中心'}签收袋 ${h!.code}，${mine.length} 项材料完好`
              : `${centre?.name ?? '政务服务中心'}签收袋 ${h!.code}：${bad
                  .map((i) => `${i.name}${stateWord[given.get(i.id)!.state]}`)
                  .join('、')}，已报监管跟进`,
        };
      }),
    );
    return received!;
  });
}
