import {
  beijingDate,
  type SupplementItem,
  type SupplementView,
  VISIT_BAG_LOOKBACK_DAYS,
  type VisitTarget,
} from '@zyt/shared';
import { and, desc, eq, gt, isNotNull, isNull, notInArray, or, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  type Booking,
  bags,
  bookingEvents,
  bookings,
  type Case,
  cases,
  matterMaterials,
  type StoredSupplementItem,
  type Supplement,
  supplements,
} from '../../db/schema';

const FORM_LABEL: Record<string, string> = {
  original: '原件',
  copy: '复印件',
  original_and_copy: '原件和复印件',
};

/** 规格 of each material of a matter: 原件1份, 复印件2份… */
export async function materialSpecs(db: DatabaseOrTransaction, matterCode: string) {
  const rows = await db
    .select({ id: matterMaterials.id, form: matterMaterials.form, count: matterMaterials.count })
    .from(matterMaterials)
    .where(eq(matterMaterials.matterCode, matterCode));
  return new Map(rows.map((m) => [m.id, `${FORM_LABEL[m.form] ?? ''}${m.count}份`]));
}

/** Items as we keep them: ticked by id (the platform's material id, else its place in the list). */
export function storedItems(
  raw: readonly { name: string; reason: string; materialId?: string }[],
  specs: ReadonlyMap<string, string>,
): StoredSupplementItem[] {
  const seen = new Set<string>();
  return raw.map((item, i) => {
    let id = item.materialId ?? `item-${i + 1}`;
    if (seen.has(id)) id = `${id}-${i + 1}`;
    seen.add(id);
    return {
      id,
      name: item.name,
      reason: item.reason,
      specification: (item.materialId && specs.get(item.materialId)) || null,
      ...(item.materialId ? { materialId: item.materialId } : {}),
    };
  });
}

export const itemView = (i: StoredSupplementItem): SupplementItem => ({
  id: i.id,
  name: i.name,
  reason: i.reason,
  specification: i.specification,
});

/** A supplement as it is or would be stored: the platform's request is stored when a bag is bound to it. */
export type CurrentSupplement =
  | { stored: Supplement; pending?: undefined }
  | { stored?: undefined; pending: Omit<Supplement, 'id' | 'createdAt'> };

export const supplementRow = (s: CurrentSupplement) => s.stored ?? s.pending;

/**
 * What a case still needs sent (its open supplement), without writing: the latest open row, or the platform's
 * current 补正 request when no row was made for it yet. `received` when the platform's request was already
 * completed by a bag (the case resumes shortly); `none` when nothing is asked.
 */
export async function currentSupplement(
  db: DatabaseOrTransaction,
  c: Case,
): Promise<CurrentSupplement | 'received' | 'none'> {
  const platformKey = c.status === 'supplement_required' && c.supplement ? c.supplement.requestedAt : null;
  const rows = await db
    .select()
    .from(supplements)
    .where(
      and(
        eq(supplements.caseId, c.id),
        platformKey
          ? or(eq(supplements.govRequestedAt, platformKey), isNull(supplements.govRequestedAt))
          : isNull(supplements.govRequestedAt),
      ),
    )
    .orderBy(desc(supplements.createdAt));
  if (platformKey) {
    const chain = rows.filter((r) => r.govRequestedAt === platformKey);
    const open = chain.find((r) => r.status === 'open');
    if (open) return { stored: open };
    if (chain.some((r) => r.status === 'received')) return 'received';
    if (chain.length === 0) {
      const specs = await materialSpecs(db, c.matterCode);
      return {
        pending: {
          caseId: c.id,
          source: 'platform',
          govRequestedAt: platformKey,
          items: storedItems(c.supplement!.items, specs),
          deadline: new Date(c.supplement!.deadline),
          status: 'open',
          previousId: null,
          pushedAt: null,
        },
      };
    }
  }
  const door = rows.find((r) => r.govRequestedAt === null && r.status === 'open');
  return door ? { stored: door } : 'none';
}

/** Stores the platform's request when first needed (a second caller gets the same row). */
export async function ensureSupplement(tx: DatabaseOrTransaction, s: CurrentSupplement): Promise<Supplement> {
  if (s.stored) return s.stored;
  const [inserted] = await tx.insert(supplements).values(s.pending).onConflictDoNothing().returning();
  if (inserted) return inserted;
  const [existing] = await tx
    .select()
    .from(supplements)
    .where(
      and(
        eq(supplements.caseId, s.pending.caseId),
        eq(supplements.govRequestedAt, s.pending.govRequestedAt!),
        eq(supplements.source, 'platform'),
      ),
    );
  return existing!;
}

export function supplementView(c: Case, s: Omit<Supplement, 'id' | 'createdAt'>): SupplementView {
  return {
    caseId: c.id,
    caseNumber: c.projId,
    matterName: c.matterName,
    source: s.source,
    items: s.items.map(itemView),
    deadline: s.deadline.toISOString(),
    deadlineDate: beijingDate(s.deadline),
  };
}

/** The bag bound to a stored supplement, if any. */
export async function bagOfSupplement(db: DatabaseOrTransaction, supplementId: string) {
  const [b] = await db.select().from(bags).where(eq(bags.supplementId, supplementId));
  return b;
}

/**
 * A person's cases that need supplements a bag could carry: open, not yet given a bag. Split into those still in
 * time and those past their deadline (to say so instead of "nothing needed").
 */
export async function supplementCandidates(db: DatabaseOrTransaction, userId: string, now: Date) {
  const rows = await db
    .select()
    .from(cases)
    .where(
      and(
        eq(cases.userId, userId),
        or(
          eq(cases.status, 'supplement_required'),
          sql`exists (select 1 from ${supplements} where ${supplements.caseId} = ${cases.id} and ${supplements.status} = 'open')`,
        ),
      ),
    )
    .orderBy(desc(cases.updatedAt))
    .limit(20);
  const open: { c: Case; s: CurrentSupplement }[] = [];
  const late: { c: Case; s: CurrentSupplement }[] = [];
  for (const c of rows) {
    const s = await currentSupplement(db, c);
    if (s === 'received' || s === 'none') continue;
    if (s.stored && (await bagOfSupplement(db, s.stored.id))) continue;
    (supplementRow(s).deadline.getTime() < now.getTime() ? late : open).push({ c, s });
  }
  return { open, late };
}

/**
 * Whether a door visit that ended 材料不齐 can still be sent by bag instead of re-booking. The rule, in order:
 * the visit ended incomplete with a missing list (else `not_sendable`), within VISIT_BAG_LOOKBACK_DAYS of that
 * review (else `not_sendable`), not sent already (no case opened for it; else `sent`), not re-booked (no later
 * booking of the same matter by the same person that is not cancelled or expired; else `rebooked`).
 */
export async function visitSendable(
  db: DatabaseOrTransaction,
  b: Booking,
  now: Date,
): Promise<{ state: 'ok' | 'not_sendable' | 'sent' | 'rebooked'; reviewedAt: Date }> {
  const [ended] = await db
    .select({ at: sql<Date>`max(${bookingEvents.at})`.mapWith(bookingEvents.at) })
    .from(bookingEvents)
    .where(and(eq(bookingEvents.bookingId, b.id), eq(bookingEvents.status, 'materials_incomplete')));
  const reviewedAt = ended?.at ?? b.updatedAt;
  if (
    b.status !== 'materials_incomplete' ||
    !b.missingItems?.length ||
    reviewedAt.getTime() + VISIT_BAG_LOOKBACK_DAYS * 86_400_000 < now.getTime()
  )
    return { state: 'not_sendable', reviewedAt };
  const [opened] = await db.select({ id: cases.id }).from(cases).where(eq(cases.bookingId, b.id));
  if (opened) return { state: 'sent', reviewedAt };
  const [later] = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(
      and(
        eq(bookings.userId, b.userId),
        eq(bookings.matterCode, b.matterCode),
        gt(bookings.createdAt, reviewedAt),
        notInArray(bookings.status, ['cancelled', 'expired']),
      ),
    )
    .limit(1);
  return { state: later ? 'rebooked' : 'ok', reviewedAt };
}

/** The missing list of an incomplete visit as supplement items (ticked by material id). */
export async function visitItems(db: DatabaseOrTransaction, b: Booking): Promise<StoredSupplementItem[]> {
  return storedItems(b.missingItems ?? [], await materialSpecs(db, b.matterCode));
}

/** A visit a bag can carry, as the resident sees it. */
export async function visitTarget(
  db: DatabaseOrTransaction,
  b: Booking,
  reviewedAt: Date,
): Promise<VisitTarget> {
  const present = new Set((b.review ?? []).filter((r) => r.present).map((r) => r.materialId));
  const materials = await db
    .select({ id: matterMaterials.id, name: matterMaterials.name })
    .from(matterMaterials)
    .where(eq(matterMaterials.matterCode, b.matterCode))
    .orderBy(matterMaterials.position);
  return {
    bookingId: b.id,
    bookingNumber: b.number,
    matterName: b.matterName,
    reviewedAt: reviewedAt.toISOString(),
    sendByDate: beijingDate(new Date(reviewedAt.getTime() + VISIT_BAG_LOOKBACK_DAYS * 86_400_000)),
    items: (await visitItems(db, b)).map(itemView),
    checkedAtDoor: materials.filter((m) => present.has(m.id)).map((m) => m.name),
  };
}

/** A person's incomplete door visits an unbound bag can carry (see visitSendable), latest first. */
export async function visitCandidates(
  db: DatabaseOrTransaction,
  userId: string,
  now: Date,
): Promise<VisitTarget[]> {
  const rows = await db
    .select()
    .from(bookings)
    .where(
      and(
        eq(bookings.userId, userId),
        eq(bookings.status, 'materials_incomplete'),
        // The review is the visit's last step: updatedAt is at or after it, so this only narrows the search.
        gt(bookings.updatedAt, new Date(now.getTime() - VISIT_BAG_LOOKBACK_DAYS * 86_400_000)),
      ),
    )
    .orderBy(desc(bookings.updatedAt))
    .limit(20);
  const out: VisitTarget[] = [];
  for (const b of rows) {
    const { state, reviewedAt } = await visitSendable(db, b, now);
    if (state === 'ok') out.push(await visitTarget(db, b, reviewedAt));
  }
  return out;
}

/** The centre's receipts of a case's bags (complete, or what was still missing), oldest first. */
export async function bagReceipts(db: DatabaseOrTransaction, caseId: string) {
  const rows = await db
    .select({ receivedAt: bags.receivedAt, receipt: bags.receipt })
    .from(bags)
    .innerJoin(supplements, eq(supplements.id, bags.supplementId))
    .where(and(eq(supplements.caseId, caseId), isNotNull(bags.receivedAt)))
    .orderBy(bags.receivedAt);
  return rows.flatMap((r) => (r.receivedAt && r.receipt ? [{ at: r.receivedAt, ...r.receipt }] : []));
}
