import { maskName, Role } from '@zyt/shared';
import { and, arrayContains, eq, gte, lt, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { bookingEvents, slaBreaches, staffOutlets, users } from '../../db/schema';
import type { PiiCipher } from '../../lib/pii';
import { piiContext } from '../me/users';

/**
 * Per-agent figures over [from, to): acceptances, arrivals and how many were on time (no late-arrival breach),
 * hand-backs and collections, all from the booking events each agent wrote.
 */
export async function agentFigures(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  params: { from: Date; to: Date },
) {
  const inPeriod = and(gte(bookingEvents.at, params.from), lt(bookingEvents.at, params.to));
  const counts = await db
    .select({
      agentId: bookingEvents.actorId,
      visits: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'status_changed' and ${bookingEvents.status} = 'assigned')::int`,
      arrived: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'status_changed' and ${bookingEvents.status} = 'arrived')::int`,
      late: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'status_changed' and ${bookingEvents.status} = 'arrived' and exists (select 1 from ${slaBreaches} s where s.kind = 'visit_late' and s.subject_id = ${bookingEvents.bookingId} and abs(extract(epoch from s.resolved_at - ${bookingEvents.at})) < 5))::int`,
      handBacks: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'handed_back')::int`,
      collected: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'status_changed' and ${bookingEvents.status} = 'collected')::int`,
    })
    .from(bookingEvents)
    .where(and(eq(bookingEvents.actor, 'agent'), inPeriod))
    .groupBy(bookingEvents.actorId);
  const agents = await db
    .select({
      id: users.id,
      nameSealed: users.nameSealed,
      staffNo: users.staffNo,
      outletId: staffOutlets.outletId,
    })
    .from(users)
    .leftJoin(staffOutlets, eq(staffOutlets.userId, users.id))
    .where(arrayContains(users.roles, [Role.postalAgent]))
    .limit(1000);
  return agents
    .map((a) => {
      const c = counts.find((x) => x.agentId === a.id);
      const arrived = c?.arrived ?? 0;
      const onTime = arrived - (c?.late ?? 0);
      return {
        agentId: a.id,
        name: a.nameSealed ? maskName(pii.decrypt(a.nameSealed, piiContext(a.id, 'name'))) : null,
        staffNo: a.staffNo,
        outletId: a.outletId,
        visits: c?.visits ?? 0,
        arrived,
        onTime,
        onTimeShare: arrived > 0 ? Math.round((onTime / arrived) * 1000) / 1000 : null,
        handBacks: c?.handBacks ?? 0,
        collected: c?.collected ?? 0,
      };
    })
    .sort((x, y) => y.visits - x.visits || (x.staffNo ?? '').localeCompare(y.staffNo ?? ''));
}
