import { type Breach, breachKindLabels, endOfBeijingDay, shipmentFlagLabels } from '@zyt/shared';
import { and, desc, eq, gt, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  bookings,
  type Case,
  cases,
  handoverItems,
  handovers,
  outlets,
  shipments,
  slaBreaches,
} from '../../db/schema';
import type { PiiCipher } from '../../lib/pii';
import { supplementBreaches } from '../bags/jobs';
import { unacceptedVisits } from '../bookings/visitQueries';
import { findingOpen, handlingsOf, handoverHandlingsOf } from './findings';

const LIMIT = 200;
const minutesBetween = (from: Date, to: Date) =>
  Math.max(0, Math.ceil((to.getTime() - from.getTime()) / 60_000));

/** Door visits not reached in time (outstanding) and late arrivals (recorded when the agent arrived). */
export async function visitBreaches(db: DatabaseOrTransaction, now: Date): Promise<Breach[]> {
  const [late, outstanding] = await Promise.all([
    db
      .select({ breach: slaBreaches, number: bookings.number, matterName: bookings.matterName })
      .from(slaBreaches)
      .innerJoin(bookings, eq(bookings.id, slaBreaches.subjectId))
      .where(eq(slaBreaches.kind, 'visit_late'))
      .orderBy(desc(slaBreaches.dueAt))
      .limit(LIMIT),
    db
      .select()
      .from(bookings)
      .where(
        and(
          inArray(bookings.status, ['assigned', 'en_route']),
          isNull(bookings.arrivedAt),
          lt(bookings.dueAt, now),
        ),
      )
      .orderBy(bookings.dueAt)
      .limit(LIMIT),
  ]);
  const visit = { caseNumber: null, waybillNo: null };
  return [
    ...outstanding.map((b) => ({
      ...visit,
      kind: 'visit_not_reached' as const,
      label: b.windowKind === 'asap' ? '接单后1小时内未上门' : '预约时段内未上门',
      subjectId: b.id,
      bookingId: b.id,
      bookingNumber: b.number,
      matterName: b.matterName,
      dueAt: b.dueAt!.toISOString(),
      at: null,
      minutesLate: minutesBetween(b.dueAt!, now),
      detail: '专员尚未到达',
      outstanding: true,
    })),
    ...late.map((l) => ({
      ...visit,
      kind: 'visit_late' as const,
      label: '上门超时',
      subjectId: l.breach.subjectId,
      bookingId: l.breach.subjectId,
      bookingNumber: l.number,
      matterName: l.matterName,
      dueAt: l.breach.dueAt.toISOString(),
      at: l.breach.resolvedAt?.toISOString() ?? null,
      minutesLate: minutesBetween(l.breach.dueAt, l.breach.resolvedAt ?? now),
      detail: l.breach.resolvedAt ? '专员已到达，但超过时限' : '专员尚未到达',
      outstanding: !l.breach.resolvedAt,
    })),
  ];
}

export async function caseBreaches(db: DatabaseOrTransaction, now: Date): Promise<Breach[]> {
  const caseRow = {
    c: cases,
    bookingNumber: bookings.number,
    waybillNo: shipments.waybillNo,
    deliveredAt: shipments.deliveredAt,
  };
  const withLegs = () =>
    db
      .select(caseRow)
      .from(cases)
      .leftJoin(bookings, eq(bookings.id, cases.bookingId))
      .leftJoin(shipments, eq(shipments.id, cases.resultShipmentId));
  const [undelivered, deliveredLate, overdue] = await Promise.all([
    withLegs()
      .where(and(inArray(cases.status, ['completed', 'result_shipping']), lt(cases.deliverBy, now)))
      .orderBy(cases.deliverBy)
      .limit(LIMIT),
    withLegs()
      .where(and(eq(cases.status, 'delivered'), sql`${shipments.deliveredAt} > ${cases.deliverBy}`))
      .orderBy(desc(cases.deliverBy))
      .limit(LIMIT),
    withLegs()
      .where(
        or(
          and(inArray(cases.status, ['received', 'in_progress']), lt(cases.promisedBy, now)),
          and(isNotNull(cases.completedAt), sql`${cases.completedAt} > ${cases.promisedBy}`),
        ),
      )
      .orderBy(cases.promisedBy)
      .limit(LIMIT),
  ]);
  type Row = (typeof undelivered)[number];
  const base = (r: Row) => ({
    subjectId: r.c.id,
    bookingId: r.c.bookingId,
    bookingNumber: r.bookingNumber,
    caseNumber: r.c.projId,
    waybillNo: r.waybillNo,
    matterName: r.c.matterName,
  });
  return [
    ...undelivered.map((r) => ({
      ...base(r),
      kind: 'result_not_delivered' as const,
      label: '办结后2个工作日内未送达',
      dueAt: r.c.deliverBy!.toISOString(),
      at: null,
      minutesLate: minutesBetween(r.c.deliverBy!, now),
      detail: r.waybillNo ? `EMS ${r.waybillNo} 尚未妥投` : '证照尚未交寄',
      outstanding: true,
    })),
    ...deliveredLate.map((r) => ({
      ...base(r),
      kind: 'result_late' as const,
      label: '证照送达超时',
      dueAt: r.c.deliverBy!.toISOString(),
      at: r.deliveredAt!.toISOString(),
      minutesLate: minutesBetween(r.c.deliverBy!, r.deliveredAt!),
      detail: '已送达，但超过2个工作日时限',
      outstanding: false,
    })),
    ...overdue.map((r) => ({
      ...base(r),
      kind: 'case_overdue' as const,
      label: '超过承诺办结时限',
      dueAt: r.c.promisedBy!.toISOString(),
      at: r.c.completedAt?.toISOString() ?? null,
      minutesLate: minutesBetween(r.c.promisedBy!, r.c.completedAt ?? now),
      detail: r.c.completedAt ? '已办结，但超过承诺时限' : '尚未办结',
      outstanding: !r.c.completedAt,
    })),
  ];
}

/**
 * 给付 cases (免申即享 confirmations, claims) must be paid within 21 working days of acceptance (拨付时限, on the
 * official calendar): unpaid past it is an outstanding breach; paid on a later Beijing day, a late one.
 */
export async function paymentBreaches(db: DatabaseOrTransaction, now: Date): Promise<Breach[]> {
  const [unpaid, paidLate] = await Promise.all([
    db
      .select()
      .from(cases)
      .where(
        and(
          isNotNull(cases.payBy),
          isNull(cases.payment),
          lt(cases.payBy, now),
          sql`${cases.status} not in ('refused', 'returned')`,
        ),
      )
      .orderBy(cases.payBy)
      .limit(LIMIT),
    db
      .select()
      .from(cases)
      .where(
        and(
          isNotNull(cases.payBy),
          sql`(${cases.payment}->>'paidOn')::date > (${cases.payBy} + interval '8 hours')::date`,
        ),
      )
      .orderBy(desc(cases.payBy))
      .limit(LIMIT),
  ]);
  const base = (c: Case) => ({
    kind: 'payment_overdue' as const,
    subjectId: c.id,
    bookingId: null,
    bookingNumber: null,
    caseNumber: c.projId,
    waybillNo: null,
    matterName: c.enterpriseName ? `${c.matterName}（${c.enterpriseName}）` : c.matterName,
    dueAt: c.payBy!.toISOString(),
  });
  return [
    ...unpaid.map((c) => ({
      ...base(c),
      label: '受理后21个工作日内未拨付',
      at: null,
      minutesLate: minutesBetween(c.payBy!, now),
      detail: '尚未拨付',
      outstanding: true,
    })),
    ...paidLate.map((c) => {
      const paidAt = endOfBeijingDay(c.payment!.paidOn);
      return {
        ...base(c),
        label: '拨付超过21个工作日',
        at: paidAt.toISOString(),
        minutesLate: minutesBetween(c.payBy!, paidAt),
        detail: `${c.payment!.paidOn}已拨付，但超过拨付时限`,
        outstanding: false,
      };
    }),
  ];
}

export async function logisticsExceptions(db: DatabaseOrTransaction, pii: PiiCipher): Promise<Breach[]> {
  const rows = await db
    .select({ s: shipments, c: cases, bookingNumber: bookings.number })
    .from(shipments)
    .innerJoin(cases, eq(cases.id, shipments.caseId))
    .leftJoin(bookings, eq(bookings.id, cases.bookingId))
    .where(gt(sql`jsonb_array_length(${shipments.flags})`, 0))
    .orderBy(desc(shipments.createdAt))
    .limit(LIMIT);
  const handled = await handlingsOf(
    db,
    pii,
    rows.map((r) => r.s.id),
  );
  return rows.flatMap(({ s, c, bookingNumber }) => {
    // Who signed and where it was left matter for the applicant's result; the centre's mailroom is fine.
    const flags =
      s.leg === 'result_to_applicant'
        ? s.flags
        : s.flags.filter((f) => f.code !== 'parcel_point' && f.code !== 'proxy_unverified');
    const latest = flags.at(-1);
    if (!latest) return [];
    return {
      kind: 'logistics_exception' as const,
      label: flags.map((f) => shipmentFlagLabels[f.code]).join('、'),
      subjectId: c.id,
      bookingId: c.bookingId,
      bookingNumber,
      caseNumber: c.projId,
      waybillNo: s.waybillNo,
      matterName: c.matterName,
      dueAt: null,
      at: latest.at,
      minutesLate: null,
      detail: flags.map((f) => f.detail).join('；'),
      // Open until a person has followed it up, delivered or not: a flag resolves nothing by itself.
      outstanding: findingOpen(flags, handled.get(s.id)),
      findingId: s.id,
      handled: handled.get(s.id) ?? null,
    };
  });
}

/** Cases a job gave up on (dead-lettered submission, EMS order…): staff must act, nothing waits silently. */
export async function stuckCases(db: DatabaseOrTransaction): Promise<Breach[]> {
  const rows = await db
    .select({ c: cases, bookingNumber: bookings.number })
    .from(cases)
    .leftJoin(bookings, eq(bookings.id, cases.bookingId))
    .where(isNotNull(cases.problem))
    .orderBy(desc(cases.updatedAt))
    .limit(LIMIT);
  return rows.map(({ c, bookingNumber }) => ({
    kind: 'case_stuck' as const,
    label: breachKindLabels.case_stuck,
    subjectId: c.id,
    bookingId: c.bookingId,
    bookingNumber,
    caseNumber: c.projId,
    waybillNo: null,
    matterName: c.matterName,
    dueAt: null,
    at: c.problem!.at,
    minutesLate: null,
    detail: `任务 ${c.problem!.job} 已停止重试：${c.problem!.detail}`,
    outstanding: true,
  }));
}

/**
 * Orders nobody accepted within their window: live while still open (they show the moment the window passes),
 * and recorded once accepted late or expired.
 */
export async function unacceptedBreaches(
  db: DatabaseOrTransaction,
  params: { now: Date; promiseMinutes: number },
): Promise<Breach[]> {
  const [open, recorded] = await Promise.all([
    unacceptedVisits(db, params),
    db
      .select({ breach: slaBreaches, b: bookings })
      .from(slaBreaches)
      .innerJoin(bookings, eq(bookings.id, slaBreaches.subjectId))
      .where(eq(slaBreaches.kind, 'visit_not_accepted'))
      .orderBy(desc(slaBreaches.dueAt))
      .limit(LIMIT),
  ]);
  const openIds = new Set(open.map((b) => b.id));
  const base = (b: typeof bookings.$inferSelect) => ({
    kind: 'visit_not_accepted' as const,
    subjectId: b.id,
    bookingId: b.id,
    bookingNumber: b.number,
    caseNumber: null,
    waybillNo: null,
    matterName: b.matterName,
  });
  return [
    ...open.map((b) => {
      const dueAt =
        b.windowKind === 'asap'
          ? new Date(b.createdAt.getTime() + params.promiseMinutes * 60_000)
          : b.windowStart!;
      return {
        ...base(b),
        label:
          b.windowKind === 'asap' ? `下单后${params.promiseMinutes}分钟内无人接单` : '预约时段开始前无人接单',
        dueAt: dueAt.toISOString(),
        at: null,
        minutesLate: minutesBetween(dueAt, params.now),
        detail: `网点 ${b.outletId} 尚无专员接单`,
        outstanding: true,
      };
    }),
    ...recorded
      .filter((r) => !openIds.has(r.b.id))
      .map(({ breach, b }) => ({
        ...base(b),
        label: '超时未接单',
        dueAt: breach.dueAt.toISOString(),
        at: breach.resolvedAt?.toISOString() ?? breach.detectedAt.toISOString(),
        minutesLate: minutesBetween(breach.dueAt, breach.resolvedAt ?? breach.detectedAt),
        detail: breach.resolvedAt ? '已接单，但超过接单时限' : '无人接单，预约已过期',
        outstanding: false,
      })),
  ];
}

/**
 * 材料交接异常: items the service centre found missing or damaged in a handover bag, one per visit in the bag;
 * open until a supervisor marks the bag's finding handled.
 */
export async function handoverDiscrepancies(db: DatabaseOrTransaction, pii: PiiCipher): Promise<Breach[]> {
  const rows = await db
    .select({ item: handoverItems, h: handovers, b: bookings, centre: outlets.name })
    .from(handoverItems)
    .innerJoin(handovers, eq(handovers.id, handoverItems.handoverId))
    .innerJoin(bookings, eq(bookings.id, handoverItems.bookingId))
    .leftJoin(outlets, eq(outlets.id, handovers.toCentreId))
    .where(inArray(handoverItems.state, ['missing', 'damaged']))
    .orderBy(desc(handovers.receivedAt))
    .limit(LIMIT);
  const handled = await handoverHandlingsOf(
    db,
    pii,
    rows.map((r) => r.h),
  );
  const byBag = new Map<string, typeof rows>();
  for (const r of rows) byBag.set(`${r.h.id}|${r.b.id}`, [...(byBag.get(`${r.h.id}|${r.b.id}`) ?? []), r]);
  return [...byBag.values()].map((items) => {
    const { h, b, centre } = items[0]!;
    return {
      kind: 'handover_discrepancy' as const,
      label: '材料交接异常',
      subjectId: b.id,
      bookingId: b.id,
      bookingNumber: b.number,
      caseNumber: b.caseNumber,
      waybillNo: h.code,
      matterName: b.matterName,
      dueAt: null,
      at: h.receivedAt?.toISOString() ?? null,
      minutesLate: null,
      detail: `${centre ?? h.toCentreId}签收袋 ${h.code}：${items
        .map(
          (i) =>
            `${i.item.name}${i.item.state === 'missing' ? '缺失' : '破损'}${i.item.note ? `（${i.item.note}）` : ''}`,
        )
        .join('；')}`,
      outstanding: !handled.has(h.id),
      findingId: h.id,
      handled: handled.get(h.id) ?? null,
    };
  });
}

/** Every breach, open problems first, then the most recent; with a count per kind. */
export async function listBreaches(
  db: DatabaseOrTransaction,
  params: { now: Date; pii: PiiCipher; promiseMinutes: number },
) {
  const [unaccepted, visits, caseItems, exceptions, stuck, supplementsLate, paymentsLate, handover] =
    await Promise.all([
      unacceptedBreaches(db, { now: params.now, promiseMinutes: params.promiseMinutes }),
      visitBreaches(db, params.now),
      caseBreaches(db, params.now),
      logisticsExceptions(db, params.pii),
      stuckCases(db),
      supplementBreaches(db, params.now),
      paymentBreaches(db, params.now),
      handoverDiscrepancies(db, params.pii),
    ]);
  const items = [
    ...unaccepted,
    ...visits,
    ...caseItems,
    ...exceptions,
    ...stuck,
    ...supplementsLate,
    ...paymentsLate,
    ...handover,
  ].sort(
    (a, b) =>
      Number(b.outstanding) - Number(a.outstanding) ||
      (b.at ?? b.dueAt ?? '').localeCompare(a.at ?? a.dueAt ?? ''),
  );
  const counts: Record<string, number> = {};
  for (const i of items) counts[i.kind] = (counts[i.kind] ?? 0) + 1;
  return { items, counts };
}
