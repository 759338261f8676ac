import {
  type BreachKind,
  type EvaluationLevel,
  type EvaluationReasonTag,
  evaluationLevelLabels,
  evaluationReasonTagLabels,
  evaluationStageLabels,
  shipmentFlagLabels,
  type WorkItemKind,
} from '@zyt/shared';
import { and, desc, eq, gt, inArray, lt, ne, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  bookings,
  cases,
  evaluations,
  rectificationTickets,
  shipments,
  workItemEvents,
  workItems,
} from '../../db/schema';
import { handoverDiscrepancies, listBreaches } from '../supervision/breaches';

const LIMIT = 200;

/** Something found that needs a person, before it is a work item. */
export interface Finding {
  kind: WorkItemKind;
  /** Names what was found: at most one open item per key. */
  subjectKey: string;
  sourceKind: string;
  title: string;
  detail: string;
  caseId?: string | null;
  bookingId?: string | null;
  ticketId?: string | null;
  matterName: string | null;
  caseNumber: string | null;
  bookingNumber: string | null;
  waybillNo: string | null;
  dueAt: Date | null;
  /** When the problem arose: a closed item is listed again only for a problem raised after it was closed. */
  raisedAt: Date;
}

/** Which time limit a breach kind belongs to: a visit not reached and then reached late is one finding. */
const slaGroup: Partial<Record<BreachKind, string>> = {
  visit_not_accepted: 'visit_acceptance',
  visit_not_reached: 'visit_arrival',
  visit_late: 'visit_arrival',
  result_not_delivered: 'result_delivery',
  result_late: 'result_delivery',
  case_overdue: 'case_completion',
  supplement_overdue: 'supplement',
};
/** Flags of a leg that did not go through; the others are deliveries to check (who signed, where it was left). */
const failures = new Set(['delivery_failed', 'returned', 'exception']);
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function breachFindings(app: FastifyInstance, now: Date): Promise<Finding[]> {
  const { items } = await listBreaches(app.database.db, {
    now,
    pii: app.pii,
    promiseMinutes: app.config.visits.promiseMinutes,
  });
  return items.flatMap((b): Finding[] => {
    const base = {
      sourceKind: b.kind,
      title: b.label,
      detail: b.detail,
      matterName: b.matterName,
      caseNumber: b.caseNumber,
      bookingNumber: b.bookingNumber,
      waybillNo: b.waybillNo,
      bookingId: b.bookingId,
      dueAt: b.dueAt ? new Date(b.dueAt) : null,
      raisedAt: new Date(b.dueAt ?? b.at ?? now),
    };
    const group = slaGroup[b.kind];
    if (group) {
      const caseId = b.kind.startsWith('visit_') ? null : b.subjectId;
      const suffix = b.kind === 'supplement_overdue' ? `:${b.dueAt}` : '';
      return [{ ...base, kind: 'sla_breach', subjectKey: `sla:${group}:${b.subjectId}${suffix}`, caseId }];
    }
    if (b.kind === 'case_stuck')
      return [
        {
          ...base,
          kind: 'stuck_case',
          subjectKey: `case-problem:${b.subjectId}`,
          caseId: b.subjectId,
          raisedAt: new Date(b.at ?? now),
        },
      ];
    return []; // logistics exceptions and handover discrepancies are read below with what they need
  });
}

/** Legs with flags: the applicant's result by every flag, the other legs by failures only (as supervision). */
async function legFindings(db: DatabaseOrTransaction): Promise<Finding[]> {
  const rows = await db
    .select({ s: shipments, c: cases, bookingNumber: bookings.number })
    .from(shipments)
    .innerJoin(cases, eq(cases.id, shipments.caseId))
    .leftJoin(bookings, eq(bookings.id, cases.bookingId))
    .where(gt(sql`jsonb_array_length(${shipments.flags})`, 0))
    .orderBy(desc(shipments.createdAt))
    .limit(LIMIT);
  return rows.flatMap(({ s, c, bookingNumber }): Finding[] => {
    const flags =
      s.leg === 'result_to_applicant'
        ? s.flags
        : s.flags.filter((f) => f.code !== 'parcel_point' && f.code !== 'proxy_unverified');
    const latest = flags.at(-1);
    if (!latest) return [];
    return [
      {
        kind: flags.some((f) => failures.has(f.code)) ? 'logistics_exception' : 'flagged_delivery',
        subjectKey: `shipment:${s.id}`,
        sourceKind: latest.code,
        title: [...new Set(flags.map((f) => shipmentFlagLabels[f.code]))].join('、'),
        detail: flags.map((f) => f.detail).join('；'),
        caseId: c.id,
        bookingId: c.bookingId,
        matterName: c.matterName,
        caseNumber: c.projId,
        bookingNumber,
        waybillNo: s.waybillNo,
        dueAt: null,
        // A new flag after the item was closed lists the leg again.
        raisedAt: new Date(latest.at),
      },
    ];
  });
}

async function handoverFindings(app: FastifyInstance): Promise<Finding[]> {
  const items = await handoverDiscrepancies(app.database.db, app.pii);
  return items.map((b) => ({
    kind: 'logistics_exception' as const,
    subjectKey: `handover:${b.findingId}:${b.subjectId}`,
    sourceKind: b.kind,
    title: b.label,
    detail: b.detail,
    bookingId: b.bookingId,
    matterName: b.matterName,
    caseNumber: b.caseNumber,
    bookingNumber: b.bookingNumber,
    waybillNo: b.waybillNo,
    dueAt: null,
    raisedAt: new Date(b.at ?? Date.now()),
  }));
}

/** Jobs that ran out of retries (pg-boss dead letters); a re-driven job that fails again is listed again. */
async function deadLetterFindings(app: FastifyInstance): Promise<Finding[]> {
  const jobs = await app.jobs.listFailed({ limit: LIMIT });
  return jobs.map((j) => {
    const data = (j.data ?? {}) as Record<string, unknown>;
    const caseId = typeof data.caseId === 'string' && uuidPattern.test(data.caseId) ? data.caseId : null;
    const error = (j.output as { message?: string } | null)?.message;
    return {
      kind: 'dead_letter' as const,
      subjectKey: `job:${j.id}`,
      sourceKind: j.name,
      title: `后台任务已停止重试：${j.name}`,
      // Only the job's name, tries and error: its data may carry ids of people's records.
      detail: `已重试 ${j.retryCount} 次${error ? `；最后一次错误：${error.slice(0, 200)}` : ''}`,
      caseId,
      matterName: null,
      caseNumber: null,
      bookingNumber: null,
      waybillNo: null,
      dueAt: null,
      raisedAt: new Date(j.completedOn ?? j.createdOn),
    };
  });
}

/** Cases in progress with no stage change for `staleDays` (refused-for-good ones come with their problem). */
async function staleCaseFindings(
  db: DatabaseOrTransaction,
  now: Date,
  staleDays: number,
): Promise<Finding[]> {
  const since = new Date(now.getTime() - staleDays * 86_400_000);
  const lastMove = sql<Date>`coalesce(${cases.stageAt}, ${cases.createdAt})`;
  const rows = await db
    .select({ c: cases, bookingNumber: bookings.number, lastMove })
    .from(cases)
    .leftJoin(bookings, eq(bookings.id, cases.bookingId))
    .where(
      and(inArray(cases.status, ['submitting', 'received', 'in_progress', 'suspended']), lt(lastMove, since)),
    )
    .orderBy(lastMove)
    .limit(LIMIT);
  return rows.map(({ c, bookingNumber, lastMove: at }) => {
    const moved = new Date(at);
    return {
      kind: 'stuck_case' as const,
      subjectKey: `case-stale:${c.id}`,
      sourceKind: 'case_stale',
      title: `超过${staleDays}天无进展`,
      detail: `办件自 ${moved.toISOString().slice(0, 10)} 起没有新的办理环节`,
      caseId: c.id,
      bookingId: c.bookingId,
      matterName: c.matterName,
      caseNumber: c.projId,
      bookingNumber,
      waybillNo: null,
      dueAt: null,
      // Moving on and stalling again lists the case again.
      raisedAt: new Date(moved.getTime() + staleDays * 86_400_000),
    };
  });
}

async function ticketFindings(db: DatabaseOrTransaction): Promise<Finding[]> {
  const rows = await db
    .select({ t: rectificationTickets, e: evaluations, c: cases })
    .from(rectificationTickets)
    .innerJoin(evaluations, eq(evaluations.id, rectificationTickets.evaluationId))
    .innerJoin(cases, eq(cases.id, evaluations.caseId))
    .where(inArray(rectificationTickets.status, ['open', 'assigned']))
    .limit(LIMIT);
  return rows.map(({ t, e, c }) => ({
    kind: 'ticket' as const,
    subjectKey: `ticket:${t.id}`,
    sourceKind: e.stage,
    title: `差评整改：${evaluationStageLabels[e.stage]} · ${evaluationLevelLabels[e.level as EvaluationLevel]}`,
    detail: `不满意原因：${
      e.tags.map((x) => evaluationReasonTagLabels[x as EvaluationReasonTag] ?? x).join('、') || '未选择'
    }；整改期限 ${t.dueDate}`,
    caseId: c.id,
    ticketId: t.id,
    matterName: c.matterName,
    caseNumber: c.projId,
    bookingNumber: null,
    waybillNo: null,
    dueAt: t.dueAt,
    raisedAt: t.createdAt,
  }));
}

/** Everything that needs a person right now, from the live tables and the job queue. */
export async function findings(app: FastifyInstance, now: Date): Promise<Finding[]> {
  const { db } = app.database;
  const all = await Promise.all([
    breachFindings(app, now),
    legFindings(db),
    handoverFindings(app),
    deadLetterFindings(app),
    staleCaseFindings(db, now, app.config.workbench.staleDays),
    ticketFindings(db),
  ]);
  const byKey = new Map<string, Finding>();
  for (const f of all.flat()) if (!byKey.has(f.subjectKey)) byKey.set(f.subjectKey, f);
  return [...byKey.values()];
}

/**
 * Lists what was found as work items: a new item (with its `opened` event) for each finding that has no open
 * item and was not closed after it arose. Never closes anything. Concurrent runs insert each item once (the
 * partial unique index on open subjects). In the caller's transaction.
 */
export async function recordFindings(tx: DatabaseOrTransaction, found: readonly Finding[]): Promise<number> {
  if (found.length === 0) return 0;
  const known = await tx
    .select({ key: workItems.subjectKey, status: workItems.status, closedAt: workItems.closedAt })
    .from(workItems)
    .where(
      inArray(
        workItems.subjectKey,
        found.map((f) => f.subjectKey),
      ),
    );
  const fresh = found.filter(
    (f) =>
      !known.some(
        (k) =>
          k.key === f.subjectKey &&
          (k.status !== 'closed' || (k.closedAt && k.closedAt.getTime() >= f.raisedAt.getTime())),
      ),
  );
  if (fresh.length === 0) return 0;
  const inserted = await tx
    .insert(workItems)
    .values(
      fresh.map((f) => ({
        kind: f.kind,
        subjectKey: f.subjectKey,
        sourceKind: f.sourceKind,
        title: f.title,
        detail: f.detail,
        caseId: f.caseId ?? null,
        bookingId: f.bookingId ?? null,
        ticketId: f.ticketId ?? null,
        matterName: f.matterName,
        caseNumber: f.caseNumber,
        bookingNumber: f.bookingNumber,
        waybillNo: f.waybillNo,
        dueAt: f.dueAt,
        raisedAt: f.raisedAt,
      })),
    )
    .onConflictDoNothing()
    .returning({ id: workItems.id });
  if (inserted.length > 0)
    await tx.insert(workItemEvents).values(inserted.map((i) => ({ itemId: i.id, kind: 'opened' as const })));
  return inserted.length;
}

/**
 * Tickets are worked on their own page: their items follow them. A ticket assigned there names its assignee
 * here; a ticket closed (after its call-back) or voided on appeal closes its item, with who did it and when.
 */
export async function followTickets(tx: DatabaseOrTransaction, itemId?: string): Promise<void> {
  const rows = await tx
    .select({ item: workItems, t: rectificationTickets })
    .from(workItems)
    .innerJoin(rectificationTickets, eq(rectificationTickets.id, workItems.ticketId))
    .where(
      and(
        eq(workItems.kind, 'ticket'),
        ne(workItems.status, 'closed'),
        itemId ? eq(workItems.id, itemId) : undefined,
      ),
    );
  for (const { item, t } of rows) {
    const done =
      t.status === 'closed'
        ? { by: t.closedBy, at: t.closedAt!, outcome: `已回访并办结，整改答复：${t.reply ?? ''}` }
        : t.status === 'voided'
          ? { by: t.appealBy, at: t.appealAt!, outcome: `恶意差评申诉撤销：${t.appealReason ?? ''}` }
          : null;
    if (done) {
      const [closed] = await tx
        .update(workItems)
        .set({
          status: 'closed',
          closedBy: done.by,
          closedAt: done.at,
          outcome: done.outcome,
          updatedAt: sql`now()`,
        })
        .where(and(eq(workItems.id, item.id), ne(workItems.status, 'closed')))
        .returning({ id: workItems.id });
      if (closed)
        await tx
          .insert(workItemEvents)
          .values({ itemId: item.id, kind: 'closed', actorId: done.by, note: done.outcome, at: done.at });
    } else if (t.assigneeId && t.assigneeId !== item.assigneeId) {
      const [moved] = await tx
        .update(workItems)
        .set({ assigneeId: t.assigneeId, status: 'open', updatedAt: sql`now()` })
        .where(and(eq(workItems.id, item.id), ne(workItems.status, 'closed')))
        .returning({ id: workItems.id });
      if (moved)
        await tx.insert(workItemEvents).values({
          itemId: item.id,
          kind: 'assigned',
          actorId: t.assignedBy,
          assigneeId: t.assigneeId,
          at: t.assignedAt ?? new Date(),
        });
    }
  }
}

/** One pass: new findings become items, tickets' items follow their tickets. */
export async function syncWorkbench(app: FastifyInstance, now: Date): Promise<void> {
  const found = await findings(app, now);
  await app.database.db.transaction(async (tx) => {
    await recordFindings(tx, found);
    await followTickets(tx);
  });
}
