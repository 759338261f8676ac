import {
  Role,
  type SettlementContractBody,
  type SettlementContractView,
  settlementModeLabels,
} from '@zyt/shared';
import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { outlets, type SettlementContract, settlementContracts } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { staffOutlet } from '../staff/outlets';

export type Centre = { id: string; name: string };

/**
 * The service centre a staff member may settle for: any centre for a supervisor, their own for a centre clerk.
 * Someone else's centre answers 404 like a missing one.
 */
export async function settlementCentre(
  db: DatabaseOrTransaction,
  actor: { id: string; roles: readonly string[] },
  centreId: string,
): Promise<Centre> {
  if (!actor.roles.includes(Role.supervisor)) {
    const own = await staffOutlet(db, actor.id);
    if (own?.id !== centreId) throw new AppError(404, 'SETTLEMENT_CENTRE_NOT_FOUND');
  }
  const [centre] = await db
    .select({ id: outlets.id, name: outlets.name })
    .from(outlets)
    .where(and(eq(outlets.id, centreId), eq(outlets.kind, 'service_centre')));
  if (!centre) throw new AppError(404, 'SETTLEMENT_CENTRE_NOT_FOUND');
  return centre;
}

/** The centres a staff member may settle for: all for a supervisor, their own for a centre clerk. */
export async function settlementCentres(
  db: DatabaseOrTransaction,
  actor: { id: string; roles: readonly string[] },
): Promise<Centre[]> {
  const all = await db
    .select({ id: outlets.id, name: outlets.name })
    .from(outlets)
    .where(eq(outlets.kind, 'service_centre'))
    .orderBy(asc(outlets.position), asc(outlets.id));
  if (actor.roles.includes(Role.supervisor)) return all;
  const own = await staffOutlet(db, actor.id);
  return all.filter((c) => c.id === own?.id);
}

/** The contract governing a month: the latest whose validFrom is not after it. */
export async function contractFor(
  db: DatabaseOrTransaction,
  params: { centreId: string; month: string },
): Promise<SettlementContract | undefined> {
  const [contract] = await db
    .select()
    .from(settlementContracts)
    .where(
      and(
        eq(settlementContracts.centreOutletId, params.centreId),
        lte(settlementContracts.validFrom, params.month),
      ),
    )
    .orderBy(desc(settlementContracts.validFrom))
    .limit(1);
  return contract;
}

export const contractView = (c: SettlementContract): SettlementContractView => ({
  centreId: c.centreOutletId,
  mode: c.mode,
  modeLabel: settlementModeLabels[c.mode],
  validFrom: c.validFrom,
  pricesFen: c.pricesFen ?? null,
  monthlyFen: c.monthlyFen ?? null,
});

/** Records the contract from a month on; the same centre and month again replaces it. */
export async function saveContract(
  db: DatabaseOrTransaction,
  params: { centreId: string; body: SettlementContractBody; by: string },
): Promise<SettlementContract> {
  const { body } = params;
  const values = {
    centreOutletId: params.centreId,
    validFrom: body.validFrom,
    mode: body.mode,
    pricesFen: body.mode === 'per_piece' ? body.pricesFen : null,
    monthlyFen: body.mode === 'lump_sum' ? body.monthlyFen : null,
    createdBy: params.by,
  };
  const [saved] = await db
    .insert(settlementContracts)
    .values(values)
    .onConflictDoUpdate({
      target: [settlementContracts.centreOutletId, settlementContracts.validFrom],
      set: { ...values, createdAt: new Date() },
    })
    .returning();
  return saved!;
}
