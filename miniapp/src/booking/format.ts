import { type BookingView, VISIT_BAG_LOOKBACK_DAYS } from '@zyt/shared';
import { beijingClock, beijingDateTime, beijingDayLabel } from '@/lib/beijingTime';

/** 11月23日 周一 09:00–11:00 */
export const slotText = (slot: { start: string; end: string }) =>
  `${beijingDayLabel(slot.start)} ${beijingClock(slot.start)}–${beijingClock(slot.end)}`;

type VisitWindow = BookingView['window'];

/** The visit time as chosen: 尽快上门, or the slot. */
export const visitTimeText = (w: VisitWindow) =>
  w.kind === 'slot' && w.start && w.end ? slotText({ start: w.start, end: w.end }) : '尽快上门';

/** What the resident can expect about the time, as one sentence. */
export const whenText = (w: VisitWindow) =>
  w.kind === 'slot' && w.start && w.end ? `专员在 ${visitTimeText(w)} 上门。` : '专员接单后 1 小时内上门。';

/** When the agent must be at the door, once known. */
export const dueText = (dueAt: string | null) => (dueAt ? `${beijingDateTime(dueAt)} 前上门` : undefined);

/**
 * Whether the booking page offers sending an incomplete visit's materials by bag: the visit ended 材料不齐 with
 * a list, no case opened for it yet, within VISIT_BAG_LOOKBACK_DAYS of the review (the BFF also refuses a
 * visit re-booked since; the bag page then does not list it).
 */
export function canSendVisitByBag(b: BookingView, now = new Date()): boolean {
  if (b.status !== 'materials_incomplete' || !b.missingItems?.length || b.case) return false;
  const ended = b.events.filter((e) => e.status === 'materials_incomplete').at(-1)?.at;
  return !!ended && Date.parse(ended) + VISIT_BAG_LOOKBACK_DAYS * 86_400_000 >= now.getTime();
}
