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
  bundleMaterials,
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

/** 规格 of a material: 原件1份, 复印件2份… */
export const specOf = (form: string, count: number) => `${FORM_LABEL[form] ?? ''}${count}份`;

/** 规格 of each material of a matter: 原件1份, 复印件2份… */
export async function materialSpecs(db: DatabaseOrTransaction, matterCode: string) {
  const rows = await db
    .select({ id: matterMaterials.id, form: matterMaterials.form, count: matterMaterials.count })
    .from(matterMaterials)
    .where(eq(matterMaterials.matterCode, matterCode));
  return new Map(rows.map((m) => [m.id, specOf(m.form, m.count)]));
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
          groupId: null,
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

/**
 * Stores the lists one bag is to carry: one case's, or (一件事一次办) each case's of a bundle application, the
 * first the lead (the bag is bound to it) and all in its group. Returns the lead.
 */
export async function insertLists(
  tx: DatabaseOrTransaction,
  params: {
    lists: { caseId: string; source: Supplement['source']; items: StoredSupplementItem[] }[];
    deadline: Date;
  },
): Promise<Supplement> {
  if (params.lists.length === 0) throw new Error('a bag carries at least one list');
  const leadId = crypto.randomUUID();
  const rows = await tx
    .insert(supplements)
    .values(
      params.lists.map((l, i) => ({
        ...(i === 0 ? { id: leadId } : {}),
        caseId: l.caseId,
        source: l.source,
        items: l.items,
        deadline: params.deadline,
        groupId: params.lists.length > 1 ? leadId : null,
      })),
    )
    .returning();
  return rows.find((r) => r.id === leadId)!;
}

/** The bag bound to a stored supplement (or to the lead of its bundle group), if any. */
export async function bagOfSupplement(db: DatabaseOrTransaction, supplementId: string) {
  const [b] = await db
    .select()
    .from(bags)
    .where(
      eq(
        bags.supplementId,
        sql`(select coalesce(${supplements.groupId}, ${supplements.id}) from ${supplements} where ${supplements.id} = ${supplementId})`,
      ),
    );
  return b;
}

/**
 * The lists one bag carries with their cases: the bound supplement alone, or (一件事一次办) every case's list of
 * its group, the lead first. Ordered as the cases were listed when the bag was left.
 */
export async function groupOf(
  db: DatabaseOrTransaction,
  lead: Supplement,
  leadCase: Case,
): Promise<{ s: Supplement; c: Case }[]> {
  if (!lead.groupId) return [{ s: lead, c: leadCase }];
  const rows = await db
    .select({ s: supplements, c: cases })
    .from(supplements)
    .innerJoin(cases, eq(cases.id, supplements.caseId))
    .where(eq(supplements.groupId, lead.groupId))
    .orderBy(supplements.createdAt, supplements.id);
  return [...rows.filter((r) => r.s.id === lead.id), ...rows.filter((r) => r.s.id !== lead.id)];
}

/** What a bag carries in all: the items of its lists, each once (a bundle's material may serve several cases). */
export function groupItems(lists: readonly { s: Pick<Supplement, 'items'> }[]): StoredSupplementItem[] {
  const seen = new Map<string, StoredSupplementItem>();
  for (const { s } of lists) for (const i of s.items) if (!seen.has(i.id)) seen.set(i.id, i);
  return [...seen.values()];
}

/** A bag's lists as the resident sees them: one view naming each matter, with every item once. */
export function groupView(lists: readonly { s: Supplement; c: Case }[]): SupplementView {
  const lead = lists[0]!;
  const view = supplementView(lead.c, lead.s);
  if (lists.length === 1) return view;
  return {
    ...view,
    matterName: lists.map((l) => l.c.matterName).join('、'),
    items: groupItems(lists).map(itemView),
  };
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
  const [opened] = await db
    .select({ id: cases.id })
    .from(cases)
    .where(or(eq(cases.bookingId, b.id), eq(cases.bundleBookingId, b.id)));
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

/**
 * The missing list of an incomplete visit as supplement items (ticked by material id; a bundle's by its merged
 * list's id, each line once whatever the number of matters needing it).
 */
export async function visitItems(db: DatabaseOrTransaction, b: Booking): Promise<StoredSupplementItem[]> {
  if (b.bundle) {
    const rows = await db.select().from(bundleMaterials).where(eq(bundleMaterials.bundleCode, b.matterCode));
    return storedItems(b.missingItems ?? [], new Map(rows.map((r) => [r.id, specOf(r.form, r.count)])));
  }
  return storedItems(b.missingItems ?? [], await materialSpecs(db, b.matterCode));
}

/**
 * 一件事一次办: what each matter of a bundle booking misses, from a list of the merged checklist (by merged id):
 * a merged line stands for each matter's own material (its origin, `sources`), so every matter that asks for a
 * missing line gets it, keeping the merged id (what the bag's ticks use) and naming its own material id (what
 * the platform knows). Matters in the situation's order; those missing nothing are left out.
 */
export async function bundleNeeds(
  db: DatabaseOrTransaction,
  b: Booking,
  missing: readonly { materialId: string; name: string; reason: string }[],
): Promise<Map<string, StoredSupplementItem[]>> {
  const rows = await db.select().from(bundleMaterials).where(eq(bundleMaterials.bundleCode, b.matterCode));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const needs = new Map<string, StoredSupplementItem[]>();
  for (const code of b.bundle?.matterCodes ?? [])
    for (const m of missing) {
      const line = byId.get(m.materialId);
      const src = line?.sources.find((x) => x.matterCode === code);
      if (!line || !src) continue;
      needs.set(code, [
        ...(needs.get(code) ?? []),
        {
          id: line.id,
          name: line.name,
          reason: m.reason,
          specification: specOf(line.form, line.count),
          materialId: src.materialId,
        },
      ]);
    }
  return needs;
}

/** A visit a bag can carry, as the resident sees it. */
export async function visitTarget(
  db: DatabaseOrTransaction,
  b: Booking,
  reviewedAt: Date,
): Promise<VisitTarget> {
  const present = new Set((b.review ?? []).filter((r) => r.present).map((r) => r.materialId));
  const materials = b.bundle
    ? await db
        .select({ id: bundleMaterials.id, name: bundleMaterials.name })
        .from(bundleMaterials)
        .where(eq(bundleMaterials.bundleCode, b.matterCode))
        .orderBy(bundleMaterials.position)
    : await db
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

/** A bundle visit's case holding the lead of the lists its bag carries (what a replacement bag binds to). */
export async function leadCaseOfBundle(
  db: DatabaseOrTransaction,
  bookingId: string,
): Promise<Case | undefined> {
  const [row] = await db
    .select({ c: cases })
    .from(cases)
    .innerJoin(supplements, eq(supplements.caseId, cases.id))
    .where(
      and(
        eq(cases.bundleBookingId, bookingId),
        eq(supplements.status, 'open'),
        or(isNull(supplements.groupId), eq(supplements.groupId, supplements.id)),
      ),
    )
    .orderBy(supplements.createdAt)
    .limit(1);
  return row?.c;
}

/** The centre's receipts of a case's bags (complete, or what was still missing), oldest first. */
export async function bagReceipts(db: DatabaseOrTransaction, caseId: string) {
  const rows = await db
    .select({ receivedAt: bags.receivedAt, receipt: bags.receipt })
    .from(bags)
    // A bundle's bag is bound to its group's lead: every case of the group had its part received with it.
    .innerJoin(supplements, sql`${bags.supplementId} = coalesce(${supplements.groupId}, ${supplements.id})`)
    .where(and(eq(supplements.caseId, caseId), isNotNull(bags.receivedAt)))
    .orderBy(bags.receivedAt);
  return rows.flatMap((r) => (r.receivedAt && r.receipt ? [{ at: r.receivedAt, ...r.receipt }] : []));
}
