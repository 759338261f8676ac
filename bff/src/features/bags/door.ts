import type { MissingItem } from '@zyt/shared';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { type Booking, matters } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { caseOfBooking } from '../cases/cases';
import { checkBagToLeave, codeOf, leaveBagAtDoor } from './bags';
import { materialSpecs, storedItems } from './supplements';

/** Whether a matter allows 容缺受理 (collect what is complete, supplement the rest). */
export async function allowsTolerance(db: DatabaseOrTransaction, matterCode: string): Promise<boolean> {
  const [m] = await db
    .select({ tolerant: matters.tolerantAcceptance })
    .from(matters)
    .where(eq(matters.code, matterCode));
  return m?.tolerant ?? false;
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
