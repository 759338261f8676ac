import { maskName } from '@zyt/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  handoverItems,
  handovers,
  type ShipmentFlag,
  shipmentFlagHandlings,
  shipments,
  users,
} from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';
import { piiContext } from '../me/users';

export interface FindingHandling {
  by: string;
  at: string;
  note: string;
}

/** How a supervisor is named on a finding: 工号 and masked name, as much as is on record. */
export const staffLabel = (
  u: { id: string; staffNo: string | null; nameSealed: string | null },
  pii: PiiCipher,
) =>
  [u.staffNo, u.nameSealed ? maskName(pii.decrypt(u.nameSealed, piiContext(u.id, 'name'))) : null]
    .filter(Boolean)
    .join(' ') || '监管人员';

/** Who handled each flagged leg, by shipment id. */
export async function handlingsOf(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  shipmentIds: readonly string[],
): Promise<Map<string, FindingHandling>> {
  if (shipmentIds.length === 0) return new Map();
  const rows = await db
    .select({
      h: shipmentFlagHandlings,
      user: { id: users.id, staffNo: users.staffNo, nameSealed: users.nameSealed },
    })
    .from(shipmentFlagHandlings)
    .leftJoin(users, eq(users.id, shipmentFlagHandlings.handledBy))
    .where(inArray(shipmentFlagHandlings.shipmentId, [...shipmentIds]));
  return new Map(
    rows.map(({ h, user }) => [
      h.shipmentId,
      {
        by: user ? staffLabel(user, pii) : '监管人员',
        at: h.handledAt.toISOString(),
        note: h.note,
      },
    ]),
  );
}

/** A finding is open until handled, and again when a flag is raised after the handling. */
export const findingOpen = (flags: readonly ShipmentFlag[], handled: FindingHandling | undefined) =>
  !handled || flags.some((f) => Date.parse(f.at) > Date.parse(handled.at));

/** Who followed up a handover bag's missing or damaged items, by handover id (the finding's id). */
export async function handoverHandlingsOf(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  rows: readonly {
    id: string;
    findingHandledBy: string | null;
    findingHandledAt: Date | null;
    findingNote: string | null;
  }[],
): Promise<Map<string, FindingHandling>> {
  const ids = [...new Set(rows.flatMap((r) => (r.findingHandledBy ? [r.findingHandledBy] : [])))];
  const people = ids.length
    ? await db
        .select({ id: users.id, staffNo: users.staffNo, nameSealed: users.nameSealed })
        .from(users)
        .where(inArray(users.id, ids))
    : [];
  return new Map(
    rows.flatMap((r) => {
      if (!r.findingHandledAt) return [];
      const who = people.find((p) => p.id === r.findingHandledBy);
      return [
        [
          r.id,
          {
            by: who ? staffLabel(who, pii) : '监管人员',
            at: r.findingHandledAt.toISOString(),
            note: r.findingNote ?? '',
          },
        ],
      ];
    }),
  );
}

/**
 * A supervisor marks a finding handled (a repeat records the latest handling): a flagged EMS leg (by shipment
 * id) or a handover bag with missing or damaged items (by handover id).
 */
export async function handleFinding(
  db: DatabaseOrTransaction,
  params: { shipmentId: string; supervisorId: string; note: string },
): Promise<void> {
  const [leg] = await db
    .select({ flags: shipments.flags })
    .from(shipments)
    .where(eq(shipments.id, params.shipmentId));
  if (!leg) {
    const [bag] = await db
      .update(handovers)
      .set({ findingHandledBy: params.supervisorId, findingHandledAt: sql`now()`, findingNote: params.note })
      .where(
        and(
          eq(handovers.id, params.shipmentId),
          sql`exists (select 1 from ${handoverItems} where ${handoverItems.handoverId} = ${handovers.id} and ${handoverItems.state} in ('missing', 'damaged'))`,
        ),
      )
      .returning({ id: handovers.id });
    if (!bag) throw new AppError(404, 'FINDING_NOT_FOUND');
    return;
  }
  if (leg.flags.length === 0) throw new AppError(404, 'FINDING_NOT_FOUND');
  await db
    .insert(shipmentFlagHandlings)
    .values({ shipmentId: params.shipmentId, handledBy: params.supervisorId, note: params.note })
    .onConflictDoUpdate({
      target: shipmentFlagHandlings.shipmentId,
      set: { handledBy: params.supervisorId, note: params.note, handledAt: sql`now()` },
    });
}
