import {
  type BookingStatus,
  type BundleTimeline,
  bookingEventTitle,
  type CaseStatus,
  caseStatusLabels,
  type EmsStatus,
  emsStatusLabels,
} from '@zyt/shared';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  type Booking,
  bookingEvents,
  bundleMatters,
  type Case,
  cases,
  matters,
  type Supplement,
  shipments,
  supplements,
} from '../../db/schema';
import { bundleNeeds } from '../bags/supplements';
import { caseDetail } from '../cases/timeline';

/** What happens next for a matter waiting on materials, by where its list came from. */
function waitingNote(c: Case, s: Pick<Supplement, 'source'>): string {
  if (s.source === 'door') return '已容缺受理，先行办理；所缺材料寄到政务服务中心后补正';
  if (s.source === 'visit')
    return c.status === 'awaiting_materials'
      ? '等所缺材料寄到政务服务中心后提交办理'
      : '所缺材料已寄到，办件已提交';
  if (s.source === 'centre') return '政务服务中心收到的快递袋中仍缺这些材料，请按清单补寄';
  return '部门要求补正这些材料，请按清单补寄';
}

/**
 * Which matter waits on which material: the open lists of its cases; before any case (a visit that ended
 * 材料不齐), each matter's share of the missing list, mapped from the merged list by origin.
 */
async function waitingOf(
  db: DatabaseOrTransaction,
  b: Booking,
  ordered: Case[],
): Promise<NonNullable<BundleTimeline['waiting']>> {
  if (ordered.length === 0) {
    if (b.status !== 'materials_incomplete' || !b.missingItems?.length) return [];
    const needs = await bundleNeeds(db, b, b.missingItems);
    const names = await db
      .select({ code: matters.code, name: matters.name })
      .from(matters)
      .where(inArray(matters.code, [...needs.keys()]));
    return [...needs].map(([code, items]) => ({
      matter: { code, name: names.find((n) => n.code === code)?.name ?? code },
      materials: items.map((i) => i.name),
      note: '材料不齐：补齐后可重新预约上门，或用快递袋把材料寄到政务服务中心',
    }));
  }
  const open = await db
    .select()
    .from(supplements)
    .where(
      and(
        inArray(
          supplements.caseId,
          ordered.map((c) => c.id),
        ),
        eq(supplements.status, 'open'),
      ),
    )
    .orderBy(asc(supplements.createdAt));
  return ordered.flatMap((c) => {
    const mine = open.filter((s) => s.caseId === c.id);
    const latest = mine[mine.length - 1];
    if (latest)
      return [
        {
          matter: { code: c.matterCode, name: c.matterName },
          materials: latest.items.map((i) => i.name),
          note: waitingNote(c, latest),
        },
      ];
    // The platform asked for 补正 and no list was stored for it yet.
    if (c.status === 'supplement_required' && c.supplement)
      return [
        {
          matter: { code: c.matterCode, name: c.matterName },
          materials: c.supplement.items.map((i) => i.name),
          note: waitingNote(c, { source: 'platform' }),
        },
      ];
    return [];
  });
}

const DONE: readonly CaseStatus[] = ['completed', 'result_shipping', 'delivered'];

/**
 * One timeline for a bundle booking: the door visit once, each matter's stages under its name, each parcel's
 * journey with the certificates it carries; and per matter its case, what it still waits for and its parcel.
 */
export async function bundleTimeline(db: DatabaseOrTransaction, b: Booking): Promise<BundleTimeline> {
  const [rows, links] = await Promise.all([
    db.select().from(cases).where(eq(cases.bundleBookingId, b.id)),
    db.select().from(bundleMatters).where(eq(bundleMatters.bundleCode, b.matterCode)),
  ]);
  const codes = b.bundle?.matterCodes ?? [];
  const ordered = [...rows].sort((x, y) => codes.indexOf(x.matterCode) - codes.indexOf(y.matterCode));
  const details = await Promise.all(ordered.map((c) => caseDetail(db, c)));
  const parcelIds = [...new Set(ordered.flatMap((c) => (c.resultShipmentId ? [c.resultShipmentId] : [])))];
  const parcels = parcelIds.length
    ? await db.select().from(shipments).where(inArray(shipments.id, parcelIds))
    : [];
  const parcelOf = new Map(parcels.map((p) => [p.id, p]));
  const byCode = new Map(ordered.map((c) => [c.matterCode, c]));

  const waiting = await waitingOf(db, b, ordered);
  const seen = new Set<string>();
  const events: BundleTimeline['events'] = [];
  // Before any case (e.g. a visit that ended 材料不齐), the visit's own steps tell the story.
  if (ordered.length === 0)
    for (const e of await db
      .select()
      .from(bookingEvents)
      .where(eq(bookingEvents.bookingId, b.id))
      .orderBy(asc(bookingEvents.id)))
      events.push({
        at: e.at.toISOString(),
        title: bookingEventTitle({ kind: e.kind, status: e.status as BookingStatus }),
        detail: e.note ?? null,
      });
  ordered.forEach((c, i) => {
    for (const item of details[i]!.timeline) {
      const carried =
        item.leg === 'result_to_applicant'
          ? ordered.filter(
              (o) => o.resultShipmentId && parcelOf.get(o.resultShipmentId)?.waybillNo === item.waybillNo,
            )
          : [];
      const title =
        item.source === 'gov'
          ? `${c.matterName}：${item.title}`
          : carried.length > 0
            ? `证照寄递（${carried.map((o) => o.result?.documentName ?? o.matterName).join('、')}）：${item.title}`
            : item.title;
      const key = `${item.at}|${title}|${item.waybillNo ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      events.push({ at: item.at, title, detail: item.detail ?? null });
    }
  });
  events.sort((x, y) => x.at.localeCompare(y.at));

  return {
    bookingId: b.id,
    bookingNumber: b.number,
    bundle: { code: b.matterCode, name: b.matterName },
    situation: { id: b.bundle?.situation ?? '', name: b.bundle?.situationName ?? '' },
    events,
    items: ordered.map((c) => {
      const deps = links.find((l) => l.matterCode === c.matterCode)?.dependsOn ?? [];
      const parcel = c.resultShipmentId ? parcelOf.get(c.resultShipmentId) : undefined;
      return {
        matter: { code: c.matterCode, name: c.matterName },
        caseId: c.id,
        caseNumber: c.projId,
        status: c.status,
        statusLabel: caseStatusLabels[c.status],
        waitingFor: deps.flatMap((d) => {
          const other = byCode.get(d);
          return other && !DONE.includes(other.status) ? [other.matterName] : [];
        }),
        result: c.result
          ? { name: c.result.documentName, kind: c.result.kind, issuedAt: c.result.issuedAt }
          : null,
        waybillNo: parcel?.waybillNo ?? null,
        waitingForMaterials: waiting.find((w) => w.matter.code === c.matterCode)?.materials ?? [],
      };
    }),
    waiting,
    parcels: parcels.map((p) => ({
      waybillNo: p.waybillNo,
      status: p.status,
      statusLabel: emsStatusLabels[p.status as EmsStatus] ?? p.status,
      documents: ordered
        .filter((c) => c.resultShipmentId === p.id)
        .map((c) => c.result?.documentName ?? c.matterName),
    })),
  };
}
