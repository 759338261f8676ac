import { maskName, Role } from '@zyt/shared';
import { and, arrayContains, eq, gte, lt, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { bookingEvents, cases, evaluations, slaBreaches, staffOutlets, users } from '../../db/schema';
import type { PiiCipher } from '../../lib/pii';
import { piiContext } from '../me/users';

/**
 * Per-agent figures over [from, to): acceptances, arrivals and how many were on time (no late-arrival breach),
 * hand-backs and collections, all from the booking events each agent wrote; and the 好差评 of their door visits
 * given in the period (voided ones left out). With `centreId`, only visits whose case goes to that centre.
 * `activeOnly` leaves out agents with nothing in the period.
 */
export async function agentFigures(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  params: { from: Date; to: Date; centreId?: string; activeOnly?: boolean },
) {
  const inPeriod = and(gte(bookingEvents.at, params.from), lt(bookingEvents.at, params.to));
  const ofCentre = params.centreId
    ? sql`exists (select 1 from ${cases} c where c.booking_id = ${bookingEvents.bookingId} and c.centre_id = ${params.centreId})`
    : undefined;
  const countsQuery = db
    .select({
      agentId: bookingEvents.actorId,
      visits: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'status_changed' and ${bookingEvents.status} = 'assigned')::int`,
      arrived: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'status_changed' and ${bookingEvents.status} = 'arrived')::int`,
      // The arrival that resolved a late-arrival breach (joined, not a subquery per event: one per booking).
      late: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'status_changed' and ${bookingEvents.status} = 'arrived' and abs(extract(epoch from ${slaBreaches.resolvedAt} - ${bookingEvents.at})) < 5)::int`,
      handBacks: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'handed_back')::int`,
      collected: sql<number>`count(*) filter (where ${bookingEvents.kind} = 'status_changed' and ${bookingEvents.status} = 'collected')::int`,
    })
    .from(bookingEvents)
    .leftJoin(
      slaBreaches,
      and(eq(slaBreaches.kind, 'visit_late'), eq(slaBreaches.subjectId, bookingEvents.bookingId)),
    )
    .where(and(eq(bookingEvents.actor, 'agent'), inPeriod, ofCentre))
    .groupBy(bookingEvents.actorId);
  const ratingsQuery = db
    .select({
      agentId: evaluations.agentId,
      ratings: sql<number>`count(*)::int`,
      average: sql<number>`round(avg(${evaluations.level}), 2)::float8`,
    })
    .from(evaluations)
    .innerJoin(cases, eq(cases.id, evaluations.caseId))
    .where(
      and(
        eq(evaluations.stage, 'visit'),
        eq(evaluations.voided, false),
        gte(evaluations.createdAt, params.from),
        lt(evaluations.createdAt, params.to),
        params.centreId ? eq(cases.centreId, params.centreId) : undefined,
      ),
    )
    .groupBy(evaluations.agentId);
  const agentsQuery = db
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
  // Independent statements: on PostgreSQL they run on separate pooled connections at once.
  const [counts, ratings, agents] = await Promise.all([countsQuery, ratingsQuery, agentsQuery]);
  const countsOf = new Map(counts.map((c) => [c.agentId, c]));
  const ratingsOf = new Map(ratings.map((r) => [r.agentId, r]));
  return agents
    .filter((a) => !params.activeOnly || countsOf.has(a.id) || ratingsOf.has(a.id))
    .map((a) => {
      const c = countsOf.get(a.id);
      const r = ratingsOf.get(a.id);
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
        ratings: r?.ratings ?? 0,
        averageRating: r ? Number(r.average) : null,
      };
    })
    .sort((x, y) => y.visits - x.visits || (x.staffNo ?? '').localeCompare(y.staffNo ?? ''));
}
