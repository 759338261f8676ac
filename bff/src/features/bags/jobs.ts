import { type BagStatsResponse, type Breach, breachKindLabels } from '@zyt/shared';
import { eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type DatabaseOrTransaction, rowsOf } from '../../db/client';
import { bags, type Case, cases, shipments, supplements } from '../../db/schema';
import { GovError } from '../../integrations/gov/types';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';
import { chineseDate } from '../../lib/calendar';
import { scheduleSweep } from '../../lib/sweep';
import { notice } from '../cases/followUps';
import { onShipmentChanged } from '../shipments/shipments';
import { chainItems, PUSH_SUPPLEMENT } from './bags';

/** How long before a supplement deadline the resident is reminded (if no bag has left yet). */
export const REMINDER_AHEAD_MS = 24 * 3600_000;
const SWEEP_EVERY_MS = 10 * 60_000;
const LIMIT = 200;

/**
 * Supplements still waiting for a bag (none sent, none received complete), whose deadline falls before `before`
 * (and after `after`, when given): the platform's 补正 requests (from the case row, stored or not) and door or
 * centre lists. One query shape for the reminder sweep and the supervisors' breaches.
 */
export async function waitingSupplements(
  db: DatabaseOrTransaction,
  window: { before: Date; after?: Date },
): Promise<{ caseId: string; deadline: Date; key: string }[]> {
  const after = window.after ? sql`and deadline > ${window.after.toISOString()}::timestamptz` : sql``;
  const rows = rowsOf<{ case_id: string; deadline: string | Date; key: string }>(
    await db.execute(sql`
      select * from (
        select c.id as case_id, (c.supplement->>'deadline')::timestamptz as deadline,
          'platform:' || (c.supplement->>'requestedAt') as key
        from ${cases} c
        where c.status = 'supplement_required' and c.supplement is not null
          and not exists (
            select 1 from ${supplements} s
            where s.case_id = c.id and s.gov_requested_at = c.supplement->>'requestedAt'
              and (s.status = 'received' or (s.status = 'open' and exists (
                select 1 from ${bags} b where b.supplement_id = s.id and b.state in ('sent', 'received')))))
        union all
        select s.case_id, s.deadline, 'supplement:' || s.id::text as key
        from ${supplements} s
        where s.status = 'open' and s.gov_requested_at is null
          and not exists (
            select 1 from ${bags} b
            where b.supplement_id = coalesce(s.group_id, s.id) and b.state in ('sent', 'received'))
      ) w
      where deadline < ${window.before.toISOString()}::timestamptz ${after}
      order by deadline
      limit ${LIMIT}`),
  );
  return rows.map((r) => ({ caseId: r.case_id, deadline: new Date(r.deadline), key: r.key }));
}

/** Reminds each resident once per supplement, a day before its deadline, while no bag has left. */
export async function remindSupplementDeadlines(app: FastifyInstance, now = new Date()): Promise<number> {
  const { db } = app.database;
  const due = await waitingSupplements(db, {
    after: now,
    before: new Date(now.getTime() + REMINDER_AHEAD_MS),
  });
  if (due.length === 0) return 0;
  const byId = new Map(
    (
      await db
        .select()
        .from(cases)
        .where(
          inArray(
            cases.id,
            due.map((d) => d.caseId),
          ),
        )
    ).map((c) => [c.id, c]),
  );
  let sent = 0;
  for (const d of due) {
    const c = byId.get(d.caseId);
    if (!c) continue;
    await db.transaction(async (tx) => {
      await notice(
        tx,
        app,
        c,
        'supplement_deadline',
        `请于${chineseDate(d.deadline)}前扫快递袋寄出`,
        `supplement_deadline:${d.key}`,
      );
    });
    sent++;
  }
  return sent;
}

/** Breaches for supervisors: supplement deadlines passed with nothing sent. */
export async function supplementBreaches(db: DatabaseOrTransaction, now: Date): Promise<Breach[]> {
  const late = await waitingSupplements(db, { before: now });
  if (late.length === 0) return [];
  const rows = await db
    .select()
    .from(cases)
    .where(
      inArray(
        cases.id,
        late.map((l) => l.caseId),
      ),
    );
  const byId = new Map(rows.map((c) => [c.id, c]));
  return late.flatMap((l) => {
    const c = byId.get(l.caseId);
    if (!c) return [];
    return {
      kind: 'supplement_overdue' as const,
      label: breachKindLabels.supplement_overdue,
      subjectId: c.id,
      bookingId: c.bookingId,
      bookingNumber: null,
      caseNumber: c.projId,
      waybillNo: null,
      matterName: c.matterName,
      dueAt: l.deadline.toISOString(),
      at: null,
      minutesLate: Math.max(0, Math.ceil((now.getTime() - l.deadline.getTime()) / 60_000)),
      detail: '补正期限已过，补正材料尚未寄出',
      outstanding: true,
    };
  });
}

/** 替你跑 figures for supervisors. */
export async function bagStats(db: DatabaseOrTransaction, now: Date): Promise<BagStatsResponse> {
  const counts = await db
    .select({ state: bags.state, n: sql<number>`count(*)::int` })
    .from(bags)
    .groupBy(bags.state);
  const states = { issued: 0, bound: 0, sent: 0, received: 0 };
  for (const c of counts) states[c.state] = c.n;
  const [receipts] = await db
    .select({
      complete: sql<number>`count(*) filter (where (${bags.receipt}->>'complete')::boolean)::int`,
      incomplete: sql<number>`count(*) filter (where not (${bags.receipt}->>'complete')::boolean)::int`,
    })
    .from(bags)
    .where(eq(bags.state, 'received'));
  const missed = await waitingSupplements(db, { before: now });
  return {
    uses: states.sent + states.received,
    bags: states,
    receivedComplete: receipts?.complete ?? 0,
    receivedIncomplete: receipts?.incomplete ?? 0,
    deadlinesMissed: missed.length,
  };
}

export function defineBagJobs(app: FastifyInstance): void {
  const { db } = app.database;

  // The bag's leg tells its resident when it is picked up and when it reached the centre.
  onShipmentChanged(app, async (tx, changes) => {
    const legs = changes.filter((c) => c.shipment.leg === 'supplement_to_centre');
    if (legs.length === 0) return;
    const owners = await tx
      .select({ c: cases, code: bags.code, shipmentId: bags.shipmentId })
      .from(bags)
      .innerJoin(supplements, eq(supplements.id, bags.supplementId))
      .innerJoin(cases, eq(cases.id, supplements.caseId))
      .where(
        inArray(
          bags.shipmentId,
          legs.map((l) => l.shipment.id),
        ),
      );
    const byLeg = new Map<string, { c: Case; code: string }>(
      owners.map((o) => [o.shipmentId!, { c: o.c, code: o.code }]),
    );
    for (const { shipment: s, previousStatus } of legs) {
      const owner = byLeg.get(s.id);
      if (!owner) continue;
      if (previousStatus === 'pending' && s.status !== 'pending' && s.status !== 'cancelled')
        await notice(
          tx,
          app,
          owner.c,
          'bag_picked_up',
          `补正材料已揽收，运单${s.waybillNo}`,
          `bag:${owner.code}:picked_up`,
        );
      if (s.status === 'delivered' && previousStatus !== 'delivered')
        await notice(
          tx,
          app,
          owner.c,
          'bag_delivered',
          '补正材料已送达政务服务中心',
          `bag:${owner.code}:delivered`,
        );
    }
  });

  app.jobs.define<{ supplementId: string }>({
    name: PUSH_SUPPLEMENT,
    // The platform may be down for a day, or not have numbered a door case yet: the outage schedule.
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs),
    async handle({ supplementId }) {
      const [row] = await db
        .select({ s: supplements, projId: cases.projId, bag: bags, waybillNo: shipments.waybillNo })
        .from(supplements)
        .innerJoin(cases, eq(cases.id, supplements.caseId))
        // A bundle's list is carried by its group's bag (bound to the lead).
        .leftJoin(bags, sql`${bags.supplementId} = coalesce(${supplements.groupId}, ${supplements.id})`)
        .leftJoin(shipments, eq(shipments.id, bags.shipmentId))
        .where(eq(supplements.id, supplementId));
      if (!row || row.s.pushedAt) return;
      if (!row.projId) throw new Error('the platform has not numbered the case yet');
      const items = await chainItems(db, row.s);
      try {
        await app.gov.pushSupplement(row.projId, {
          supplementId,
          items: items.map((i) => ({ name: i.name, ...(i.materialId ? { materialId: i.materialId } : {}) })),
          receivedAt: (row.bag?.receivedAt ?? new Date()).toISOString(),
          ...(row.waybillNo ? { waybillNo: row.waybillNo } : {}),
        });
      } catch (err) {
        if (err instanceof GovError && !err.retryable)
          throw new PermanentJobError(`platform refused the supplement: ${err.code} ${err.message}`);
        throw err;
      }
      await db.update(supplements).set({ pushedAt: sql`now()` }).where(eq(supplements.id, supplementId));
    },
  });
}

/** Reminds residents of supplement deadlines every ten minutes once the app is ready. */
export function scheduleBagReminders(app: FastifyInstance): void {
  scheduleSweep(app, 'supplement deadline reminders', SWEEP_EVERY_MS, () => remindSupplementDeadlines(app));
}
