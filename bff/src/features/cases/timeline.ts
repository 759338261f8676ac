import {
  attemptDeliveryReason,
  BEIJING_OFFSET_MS,
  type BookingStatus,
  beijingDate,
  bookingEventTitle,
  CASE_PROBLEM_SENTENCE,
  type CaseDetail,
  type CaseShipment,
  type CaseSummary,
  caseStatusLabels,
  type EmsStatus,
  emsEventLabels,
  emsStatusLabels,
  formatYuan,
  type ShipmentFlagCode,
  type ShipmentLeg,
  shipmentFlagLabels,
  shipmentLegLabels,
  type TimelineItem,
} from '@zyt/shared';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  bookingEvents,
  bookings,
  type Case,
  cases,
  govCaseEvents,
  outlets,
  type ShipmentFlag,
  shipmentEvents,
  shipments,
  windowAppointments,
  windowIntakes,
} from '../../db/schema';
import {
  type EmsTrackEvent,
  effectiveTimeline,
  parseEmsTime,
  unifiedStatus,
} from '../../integrations/ems/tracking';
import { chineseDate } from '../../lib/calendar';
import { bagReceipts } from '../bags/supplements';
import type { GovStageEvent } from './cases';

type Shipment = typeof shipments.$inferSelect;

const deadline = (at: Date | null, provisional: boolean) =>
  at ? { date: beijingDate(at), provisional } : null;
const flagView = (f: ShipmentFlag) => ({
  code: f.code,
  label: shipmentFlagLabels[f.code as ShipmentFlagCode] ?? f.code,
  detail: f.detail,
});

/** What a case's summary reads of it. */
export type CaseSummaryFields = Pick<
  Case,
  | 'id'
  | 'projId'
  | 'matterName'
  | 'status'
  | 'channel'
  | 'promisedBy'
  | 'promisedProvisional'
  | 'problem'
  | 'updatedAt'
>;

export function caseSummary(
  c: CaseSummaryFields,
  resultShipment?: Pick<Shipment, 'status'> | null,
): CaseSummary {
  return {
    id: c.id,
    caseNumber: c.projId,
    matterName: c.matterName,
    status: c.status,
    // 邮寄申领: the claim waits for its materials to reach the centre (nothing is being 补齐 yet).
    statusLabel:
      c.channel === 'enterprise_claim' && c.status === 'awaiting_materials'
        ? '等待申领材料送达'
        : caseStatusLabels[c.status],
    promised: deadline(c.promisedBy, c.promisedProvisional),
    attention:
      !!c.problem || c.status === 'supplement_required' || resultShipment?.status === 'delivery_failed',
    updatedAt: c.updatedAt.toISOString(),
  };
}

/** 下一步: what happens next, in one plain sentence. */
export function nextStep(c: Case, result: Shipment | undefined): string {
  // A stuck job (dead-lettered) is never silent: staff see a breach, the resident this sentence.
  if (c.problem) return `${CASE_PROBLEM_SENTENCE}。`;
  switch (c.status) {
    case 'awaiting_materials':
      // 邮寄申领: the claim waits for its materials (a door visit to collect them, or the enterprise's own post).
      if (c.channel === 'enterprise_claim')
        return '请按申领材料清单准备材料：专员上门收取，或自行邮寄并在信封上贴封面单；政务服务中心收到材料后提交政务服务平台。';
      return '补齐的材料正由快递袋寄往政务服务中心，中心收齐后提交政务服务平台；如中心告知仍缺材料，请按清单补寄。';
    case 'submitting':
      return '材料已收取，正在提交政务服务平台，提交后生成办件编号；材料原件由EMS寄往政务服务中心。';
    case 'received':
      return '政务服务中心已收到您的申请，正在进行受理审查。';
    case 'in_progress':
      return c.promisedBy
        ? `正在审核，承诺在${chineseDate(c.promisedBy, { year: true })}前办结。`
        : '正在审核，办结后证照会寄到您家。';
    case 'supplement_required':
      return c.supplement
        ? `请在${chineseDate(c.supplement.deadline, { year: true })}前补交：${c.supplement.items.map((i) => i.name).join('、')}。`
        : '请按通知补齐补正材料。';
    case 'suspended':
      return `办理暂停${c.reason ? `（${c.reason}）` : ''}，恢复后继续办理，暂停期间不计入办理时限。`;
    case 'completed':
      if (c.payWorkingDays !== null)
        return c.payment
          ? `已拨付${formatYuan(c.payment.amountFen)}至账户${c.payment.account}，本次办件完成。`
          : `已核定，资金将在${c.payBy ? chineseDate(c.payBy, { year: true }) : '受理后21个工作日内'}前拨付到企业账户。`;
      return c.result?.kind === 'physical'
        ? `已办结，${c.result.documentName}将由EMS免费寄给您${c.deliverBy ? `，${chineseDate(c.deliverBy, { year: true })}前送达` : ''}。`
        : `已办结，${c.result?.documentName ?? '办理结果'}为电子证照，无需邮寄。`;
    case 'result_shipping': {
      if (result?.status === 'delivery_failed') {
        const failed = result.flags.find((f) => f.code === 'delivery_failed');
        return `投递未成功${failed ? `（${failed.detail.replace(/^未妥投：/, '')}）` : ''}，投递员会再次与您联系，请保持电话畅通。`;
      }
      return `证照已交EMS寄递${result?.waybillNo ? `（运单号${result.waybillNo}）` : ''}${c.deliverBy ? `，${chineseDate(c.deliverBy, { year: true })}前送达` : ''}，投递员会先电话联系您。`;
    }
    case 'delivered':
      return '证照已签收，本次办件完成。';
    case 'refused':
      return `不予受理${c.reason ? `：${c.reason}` : ''}。如有疑问，可致电政务服务中心。`;
    case 'returned':
      return `已退件${c.reason ? `：${c.reason}` : ''}。`;
  }
}

function govItem(e: GovStageEvent, c: Case): TimelineItem {
  const base = { at: new Date(e.occurredAt).toISOString(), source: 'gov' as const, stage: e.stage };
  if (e.payment)
    return {
      ...base,
      title: `已拨付 ${formatYuan(e.payment.amountFen)}`,
      detail: `${chineseDate(`${e.payment.paidOn}T12:00:00+08:00`, { year: true })}拨付至账户${e.payment.account}`,
    };
  switch (e.stage) {
    case '1':
      return { ...base, title: '政务服务中心已收件' };
    case '2':
      return {
        ...base,
        title: '已受理',
        ...(c.promisedBy
          ? {
              detail: `承诺${c.promisedWorkingDays}个工作日内办结（${chineseDate(c.promisedBy, { year: true })}前）`,
            }
          : {}),
      };
    case '3':
      return { ...base, title: '进入审核' };
    case '4':
      return {
        ...base,
        title: '已办结',
        ...(e.result
          ? {
              detail:
                e.result.kind === 'physical'
                  ? `${e.result.documentName}，将由EMS寄送`
                  : `${e.result.documentName}（电子证照）`,
            }
          : {}),
      };
    case '11':
      return {
        ...base,
        title: '需要补齐补正材料',
        ...(e.supplement
          ? {
              detail: `${e.supplement.items.map((i) => `${i.name}（${i.reason}）`).join('；')}。补正期限：${chineseDate(e.supplement.deadline, { year: true })}`,
            }
          : {}),
      };
    case '12':
      return { ...base, title: '办理挂起', ...(e.suspension ? { detail: e.suspension.reason } : {}) };
    default:
      return {
        ...base,
        title: e.status === 'returned' ? '已退件' : e.status === 'refused' ? '不予受理' : '办件状态更新',
        ...(e.refusal ? { detail: `${e.refusal.documentName}：${e.refusal.reason}` } : {}),
      };
  }
}

function emsItems(s: Shipment, events: readonly EmsTrackEvent[]): TimelineItem[] {
  const legLabel = shipmentLegLabels[s.leg as ShipmentLeg];
  return effectiveTimeline(events).map((e) => {
    const at = parseEmsTime(e.opTime).toISOString();
    const flag = s.flags.find((f) => f.at === at);
    const status = unifiedStatus(e.opCode) ?? 'in_transit';
    return {
      at,
      source: 'ems' as const,
      title: `${legLabel} · ${emsEventLabels[e.opCode] ?? emsStatusLabels[status as EmsStatus]}`,
      detail:
        e.opCode === '705'
          ? `${e.opDesc || '未妥投'}（${attemptDeliveryReason(e.attemptDeliveryCode)}）`
          : e.opDesc || undefined,
      leg: s.leg,
      waybillNo: e.waybillNo,
      opCode: e.opCode,
      emsStatus: status,
      ...(flag ? { flag: flagView(flag) } : {}),
    };
  });
}

const SOURCE_ORDER = { booking: 0, window: 0, gov: 1, ems: 2, centre: 3 } as const;

/** The centre's receipt of a bag (替你跑): complete, or what is still missing (one new list, 一次性告知). */
function receiptItem(r: Awaited<ReturnType<typeof bagReceipts>>[number]): TimelineItem {
  return {
    at: r.at.toISOString(),
    source: 'centre',
    title: '政务中心已收到补正材料',
    detail: r.complete
      ? '材料齐全'
      : `仍缺${r.missing.length}项：${r.missing.map((i) => i.name).join('、')}，请按清单补寄`,
  };
}

/** 网点就近办: the window appointment (if booked in the app) and the intake that collected the materials. */
async function windowSteps(db: DatabaseOrTransaction, caseId: string): Promise<TimelineItem[]> {
  const [row] = await db
    .select({
      collectedAt: windowIntakes.collectedAt,
      outletName: outlets.name,
      bookedAt: windowAppointments.createdAt,
      startsAt: windowAppointments.startsAt,
      number: windowAppointments.number,
    })
    .from(windowIntakes)
    .innerJoin(outlets, eq(outlets.id, windowIntakes.outletId))
    .leftJoin(windowAppointments, eq(windowAppointments.id, windowIntakes.appointmentId))
    .where(eq(windowIntakes.caseId, caseId));
  if (!row) return [];
  const items: TimelineItem[] = [];
  if (row.bookedAt && row.startsAt)
    items.push({
      at: row.bookedAt.toISOString(),
      source: 'window',
      title: '已预约网点办理',
      detail: `${row.outletName}，${chineseDate(row.startsAt)} ${beijingClock(row.startsAt)}，预约号${row.number}`,
    });
  if (row.collectedAt)
    items.push({
      at: row.collectedAt.toISOString(),
      source: 'window',
      title: '网点窗口已收件',
      detail: `${row.outletName}政务专窗已核对并收取材料，材料由EMS寄往政务服务中心`,
    });
  return items;
}

const beijingClock = (d: Date) => new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString().slice(11, 16);

/** One case, all of it: booking steps, platform stages and every EMS leg's events, oldest first. */
export async function caseDetail(db: DatabaseOrTransaction, c: Case): Promise<CaseDetail> {
  // A bundle's case came from its bundle's one door visit: that visit's steps and materials parcel are its own too.
  const visitId = c.bookingId ?? c.bundleBookingId;
  const [booking, steps, stages, legs, receipts, atWindow] = await Promise.all([
    visitId
      ? db
          .select({ id: bookings.id, number: bookings.number })
          .from(bookings)
          .where(eq(bookings.id, visitId))
          .then((r) => r[0])
      : undefined,
    visitId
      ? db
          .select()
          .from(bookingEvents)
          .where(eq(bookingEvents.bookingId, visitId))
          .orderBy(asc(bookingEvents.id))
      : [],
    c.projId
      ? db
          .select({ payload: govCaseEvents.payload })
          .from(govCaseEvents)
          .where(eq(govCaseEvents.projId, c.projId))
      : [],
    db
      .select()
      .from(shipments)
      .where(
        or(
          eq(shipments.caseId, c.id),
          c.bookingId ? eq(shipments.bookingId, c.bookingId) : undefined,
          // A parcel shared with the applicant's other results names one of them as its subject.
          c.resultShipmentId ? eq(shipments.id, c.resultShipmentId) : undefined,
          c.bundleBookingId
            ? and(
                eq(shipments.leg, 'materials_to_centre'),
                sql`${shipments.caseId} in (select id from ${cases} where ${cases.bundleBookingId} = ${c.bundleBookingId})`,
              )
            : undefined,
        ),
      )
      .orderBy(asc(shipments.createdAt)),
    bagReceipts(db, c.id),
    c.channel === 'outlet_window' ? windowSteps(db, c.id) : [],
  ]);
  const waybills = legs.flatMap((s) => (s.waybillNo ? [s.waybillNo] : []));
  const tracked = waybills.length
    ? await db
        .select({ waybillNo: shipmentEvents.waybillNo, raw: shipmentEvents.raw })
        .from(shipmentEvents)
        .where(inArray(shipmentEvents.waybillNo, waybills))
    : [];

  const timeline: TimelineItem[] = [
    ...steps.map((e) => ({
      at: e.at.toISOString(),
      source: 'booking' as const,
      title: bookingEventTitle({ kind: e.kind, status: e.status as BookingStatus }),
      ...(e.note ? { detail: e.note } : {}),
    })),
    ...stages.map((r) => govItem(r.payload as GovStageEvent, c)),
    ...legs.flatMap((s) =>
      emsItems(
        s,
        tracked.filter((t) => t.waybillNo === s.waybillNo).map((t) => t.raw as EmsTrackEvent),
      ),
    ),
    ...receipts.map(receiptItem),
    ...atWindow,
  ].sort((a, b) => a.at.localeCompare(b.at) || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source]);

  const result = legs.find((s) => s.id === c.resultShipmentId);
  const shipmentViews: CaseShipment[] = legs.map((s) => ({
    leg: s.leg,
    legLabel: shipmentLegLabels[s.leg as ShipmentLeg],
    waybillNo: s.waybillNo,
    status: s.status,
    statusLabel: emsStatusLabels[s.status as EmsStatus] ?? s.status,
    flags: s.flags.map(flagView),
  }));
  const deliveredAt = result?.deliveredAt ?? null;
  return {
    ...caseSummary(c, result),
    bookingId: booking?.id ?? null,
    bookingNumber: booking?.number ?? null,
    promisedWorkingDays: c.promisedWorkingDays,
    nextStep: nextStep(c, result),
    supplement:
      c.status === 'supplement_required' && c.supplement
        ? {
            items: c.supplement.items.map(({ name, reason }) => ({ name, reason })),
            deadline: c.supplement.deadline,
          }
        : null,
    reason: c.reason,
    channel: c.channel,
    applicantKind: c.applicantKind,
    problem: c.problem ? CASE_PROBLEM_SENTENCE : null,
    result: c.result
      ? {
          documentName: c.result.documentName,
          kind: c.result.kind,
          issuedAt: c.result.issuedAt,
          deliverBy: deadline(c.deliverBy, c.deliverByProvisional),
          deliveredAt: deliveredAt?.toISOString() ?? null,
          late: !!c.deliverBy && (deliveredAt ?? new Date()) > c.deliverBy,
        }
      : null,
    shipments: shipmentViews,
    timeline,
  };
}
