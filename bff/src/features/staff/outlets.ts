import { maskName, Role } from '@zyt/shared';
import { and, arrayOverlaps, asc, eq, isNull, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { outlets, staffOutlets, users } from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';
import { piiContext } from '../me/users';

export type OutletRef = { id: string; name: string; kind: string };

/** The outlet a staff member works at, or null when no supervisor has set one yet. */
export async function staffOutlet(db: DatabaseOrTransaction, userId: string): Promise<OutletRef | null> {
  const [row] = await db
    .select({ id: outlets.id, name: outlets.name, kind: outlets.kind })
    .from(staffOutlets)
    .innerJoin(outlets, eq(outlets.id, staffOutlets.outletId))
    .where(eq(staffOutlets.userId, userId));
  return row ?? null;
}

/** Agents, centre clerks and outlet clerks with their outlets, for the supervisor's staff list. */
export async function listStaff(db: DatabaseOrTransaction, pii: PiiCipher) {
  const rows = await db
    .select({
      id: users.id,
      roles: users.roles,
      nameSealed: users.nameSealed,
      staffNo: users.staffNo,
      outlet: { id: outlets.id, name: outlets.name, kind: outlets.kind },
    })
    .from(users)
    .leftJoin(staffOutlets, eq(staffOutlets.userId, users.id))
    .leftJoin(outlets, eq(outlets.id, staffOutlets.outletId))
    .where(arrayOverlaps(users.roles, [Role.postalAgent, Role.centreClerk, Role.outletClerk]))
    .orderBy(asc(users.staffNo), asc(users.createdAt))
    .limit(500);
  return rows.map((r) => ({
    id: r.id,
    roles: r.roles,
    name: r.nameSealed ? maskName(pii.decrypt(r.nameSealed, piiContext(r.id, 'name'))) : null,
    staffNo: r.staffNo,
    outlet: r.outlet?.id ? r.outlet : null,
  }));
}

/**
 * A supervisor sets where an agent or an outlet clerk (a post office) or a centre clerk (a service centre) works. Visits they
 * already hold stay theirs; new ones come from the new outlet.
 */
export async function assignOutlet(
  db: DatabaseOrTransaction,
  params: { userId: string; outletId: string; by: string },
): Promise<OutletRef> {
  const [[user], [outlet]] = await Promise.all([
    db.select({ roles: users.roles }).from(users).where(eq(users.id, params.userId)),
    db
      .select({ id: outlets.id, name: outlets.name, kind: outlets.kind })
      .from(outlets)
      .where(and(eq(outlets.id, params.outletId), isNull(outlets.retiredAt))),
  ]);
  const agent = user?.roles.includes(Role.postalAgent);
  const clerk = user?.roles.includes(Role.centreClerk);
  const windowClerk = user?.roles.includes(Role.outletClerk);
  if (!agent && !clerk && !windowClerk) throw new AppError(404, 'STAFF_NOT_FOUND');
  if (!outlet) throw new AppError(404, 'OUTLET_NOT_FOUND');
  // An outlet clerk (网点政务专窗) works at a post office's government window.
  const fits =
    ((agent || windowClerk) && outlet.kind === 'post_office') || (clerk && outlet.kind === 'service_centre');
  if (!fits) throw new AppError(422, 'OUTLET_KIND_MISMATCH');
  await db
    .insert(staffOutlets)
    .values({ userId: params.userId, outletId: outlet.id, assignedBy: params.by })
    .onConflictDoUpdate({
      target: staffOutlets.userId,
      set: { outletId: outlet.id, assignedBy: params.by, assignedAt: sql`now()` },
    });
  return outlet;
}
