import type { MissingItem } from '@zyt/shared';
import { eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { type Booking, cases, matters } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { caseOfBooking } from '../cases/cases';
import { checkBagToLeave, codeOf, leaveBagAtDoor, leaveListsAtDoor } from './bags';
import { bundleNeeds, materialSpecs, storedItems } from './supplements';

/** Whether a matter allows 容缺受理 (collect what is complete, supplement the rest). */
export async function allowsTolerance(db: DatabaseOrTransaction, matterCode: string): Promise<boolean> {
  const [m] = await db
    .select({ tolerant: matters.tolerantAcceptance })
    .from(matters)
    .where(eq(matters.code, matterCode));
  return m?.tolerant ?? false;
}

/** The matters among these that allow 容缺受理. */
async function tolerantMatters(db: DatabaseOrTransaction, codes: readonly string[]) {
  if (codes.length === 0) return new Map<string, boolean>();
  const rows = await db
    .select({ code: matters.code, name: matters.name, tolerant: matters.tolerantAcceptance })
    .from(matters)
    .where(inArray(matters.code, [...codes]));
  return new Map(rows.map((r) => [r.code, r.tolerant]));
}

/** Whether a door visit may end in 容缺受理: its matter allows it, or (a bundle) one of its matters does. */
export async function visitAllowsTolerance(
  db: DatabaseOrTransaction,
  b: Pick<Booking, 'matterCode' | 'bundle'>,
): Promise<boolean> {
  if (!b.bundle) return allowsTolerance(db, b.matterCode);
  return [...(await tolerantMatters(db, b.bundle.matterCodes)).values()].some(Boolean);
}

/**
 * 容缺受理 at a bundle's door (一件事一次办), matter by matter as the single-matter rule has it: the missing lines
 * of the merged list are mapped to the matters asking for them (by origin); a matter missing something that
 * allows 容缺受理 is taken now and supplements later, one that does not waits (its case opens awaiting_materials
 * and is submitted when the bag reaches the centre), the rest go on. Refused when no matter missing something
 * allows it (then the visit ends 材料不齐). Checked before anything is recorded; returns the waiting matters and
 * what to run in the review's transaction: each case's list, all in the one bag the agent leaves.
 */
export async function prepareBundleTolerance(
  app: FastifyInstance,
  params: { booking: Booking; bagCode: string; missing: MissingItem[] },
): Promise<{
  waiting: ReadonlySet<string>;
  onCollected: (tx: DatabaseOrTransaction, collected: Booking) => Promise<void>;
}> {
  const { db } = app.database;
  const needs = await bundleNeeds(db, params.booking, params.missing);
  const tolerant = await tolerantMatters(db, [...needs.keys()]);
  if (![...needs.keys()].some((c) => tolerant.get(c)))
    throw new AppError(
      422,
      'TOLERANT_ACCEPTANCE_NOT_ALLOWED',
      '缺少的材料所涉及的事项都不支持容缺受理，不能先收取；请一次性告知申请人缺少的材料，补齐后重新预约或用快递袋寄送',
    );
  const code = codeOf(app, params.bagCode);
  await checkBagToLeave(db, code, new Date());
  const waiting = new Set([...needs.keys()].filter((c) => !tolerant.get(c)));
  return {
    waiting,
    onCollected: async (tx, collected) => {
      const opened = await tx.select().from(cases).where(eq(cases.bundleBookingId, collected.id));
      await leaveListsAtDoor(tx, {
        code,
        lists: [...needs].map(([matterCode, items]) => {
          const c = opened.find((o) => o.matterCode === matterCode);
          if (!c) throw new Error('a collected bundle visit has a case per matter');
          return {
            caseId: c.id,
            source: waiting.has(matterCode) ? ('visit' as const) : ('door' as const),
            items,
          };
        }),
        now: new Date(),
      });
    },
  };
}

/**
 * 容缺受理 at the door: checks, before anything is recorded, that the matter allows it and that the bag can be
 * left; returns what to run once the materials are collected (in the review's transaction): the missing
 * items become the case's door supplement, carried by that bag.
 */
export async function prepareDoorTolerance(
  app: FastifyInstance,
  params: {
    matterCode: string;
    bagCode: string;
    missing: MissingItem[];
  },
): Promise<(tx: DatabaseOrTransaction, collected: Booking) => Promise<void>> {
  const { db } = app.database;
  if (!(await allowsTolerance(db, params.matterCode)))
    throw new AppError(422, 'TOLERANT_ACCEPTANCE_NOT_ALLOWED');
  const code = codeOf(app, params.bagCode);
  await checkBagToLeave(db, code, new Date());
  const items = storedItems(params.missing, await materialSpecs(db, params.matterCode));
  return async (tx, collected) => {
    const c = await caseOfBooking(tx, collected.id);
    if (!c) throw new Error('a collected visit has a case');
    await leaveBagAtDoor(tx, { code, caseId: c.id, items, now: new Date() });
  };
}
