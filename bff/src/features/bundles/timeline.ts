import {
  type BundleTimeline,
  type CaseStatus,
  caseStatusLabels,
  type EmsStatus,
  emsStatusLabels,
} from '@zyt/shared';
import { eq, inArray } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { type Booking, bundleMatters, cases, shipments } from '../../db/schema';
import { caseDetail } from '../cases/timeline';

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

  const seen = new Set<string>();
  const events: BundleTimeline['events'] = [];
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
      };
    }),
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
