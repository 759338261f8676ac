import type { BagScanResponse, SupplementItem, VisitTarget } from '@zyt/shared';
import { beijingDateTime } from '@/lib/beijingTime';

/**
 * What a bag can carry, as the send form lists it: a case's supplement (补正材料), or a door visit that ended
 * 材料不齐 (sent by bag instead of re-booking; its case opens when the bag is sent).
 */
export interface BagTarget {
  /** `case:<caseId>` or `visit:<bookingId>`: unique among the targets. */
  key: string;
  kind: 'case' | 'visit';
  matterName: string;
  /** The number that names it: 办件编号 or 预约单号. */
  numberLabel: string;
  number: string;
  items: SupplementItem[];
  /** 请于 … 前寄出 */
  sendBy: string;
  /** Visits: materials the agent checked at the door (not collected), which go into the bag too. */
  alsoInBag: string[];
  /** What confirm names (nothing for a bound bag: it carries its own). */
  body: { caseId: string } | { bookingId: string } | Record<string, never>;
}

/** End of a Beijing calendar day (YYYY-MM-DD) as an instant. */
const endOfDay = (date: string) => `${date}T23:59:00+08:00`;

const visitTarget = (v: VisitTarget): BagTarget => ({
  key: `visit:${v.bookingId}`,
  kind: 'visit',
  matterName: v.matterName,
  numberLabel: '预约单号',
  number: v.bookingNumber,
  items: v.items,
  sendBy: beijingDateTime(endOfDay(v.sendByDate)),
  alsoInBag: v.checkedAtDoor,
  body: { bookingId: v.bookingId },
});

/** The targets of a scanned bag: its own supplement when bound; else cases needing supplements, then visits. */
export function bagTargets(scan: BagScanResponse): BagTarget[] {
  const cases = scan.supplement ? [scan.supplement] : scan.candidates;
  return [
    ...cases.map(
      (s): BagTarget => ({
        key: `case:${s.caseId}`,
        kind: 'case',
        matterName: s.matterName,
        numberLabel: '办件编号',
        number: s.caseNumber ?? '政务服务平台受理后生成',
        items: s.items,
        sendBy: beijingDateTime(s.deadline),
        alsoInBag: [],
        body: scan.supplement ? {} : { caseId: s.caseId },
      }),
    ),
    ...(scan.supplement ? [] : scan.visits.map(visitTarget)),
  ];
}

/** The target chosen first: the only one, else the case or visit the person came from. */
export function initialTarget(
  targets: readonly BagTarget[],
  from: { caseId?: string; bookingId?: string },
): string | undefined {
  if (targets.length === 1) return targets[0]!.key;
  const wanted = from.caseId ? `case:${from.caseId}` : from.bookingId ? `visit:${from.bookingId}` : undefined;
  return targets.find((t) => t.key === wanted)?.key;
}
