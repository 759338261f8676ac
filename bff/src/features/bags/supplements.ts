import { beijingDate, type SupplementItem, type SupplementView } from '@zyt/shared';
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  bags,
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
