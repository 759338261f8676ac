import { beijingDate, beijingInstant, isWorkingDay } from '@zyt/shared';
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { bookingSlots } from '../../db/schema';
import type { OpeningHours } from '../../db/schema/catalogue';
import { AppError } from '../../lib/errors';

/**
 * Visit windows: 2 hours inside the serving outlet's opening hours, on the days it opens in the coming week —
 * weekends included where its timetable has them (网点周六日不停业) — except official holidays on weekdays.
 */
const SLOT_MINUTES = 120;
const SLOT_CAPACITY = 4;
const DAYS_AHEAD = 7;
/** A slot must start at least this long from now: the agent needs time to plan the route. */
const LEAD_MINUTES = 60;

const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
/** A weekday the official calendar closes (法定节假日); weekends follow the outlet's own timetable. */
const isHoliday = (date: string) => isoWeekday(date) <= 5 && !isWorkingDay(date);

/** Whether [startsAt, endsAt] lies inside one of the outlet's opening ranges that day (Beijing time). */
export function withinHours(hours: readonly OpeningHours[], startsAt: Date, endsAt: Date): boolean {
  const date = beijingDate(startsAt);
  if (isHoliday(date)) return false;
  return hours.some(
    (h) =>
      h.day === isoWeekday(date) &&
      beijingInstant(date, h.open).getTime() <= startsAt.getTime() &&
      endsAt.getTime() <= beijingInstant(date, h.close).getTime(),
  );
}

/** The slot windows of the coming week inside the opening hours; door visits use 2 hours, windows less. */
export function slotWindows(
  hours: readonly OpeningHours[],
  from: Date,
  minutes: number = SLOT_MINUTES,
): { startsAt: Date; endsAt: Date }[] {
  const windows: { startsAt: Date; endsAt: Date }[] = [];
  let date = beijingDate(from);
  for (let d = 0; d < DAYS_AHEAD; d++, date = nextDay(date)) {
    if (isHoliday(date)) continue;
    for (const range of hours.filter((h) => h.day === isoWeekday(date))) {
      const close = beijingInstant(date, range.close).getTime();
      for (
        let start = beijingInstant(date, range.open).getTime();
        start + minutes * 60_000 <= close;
        start += minutes * 60_000
      ) {
        windows.push({ startsAt: new Date(start), endsAt: new Date(start + minutes * 60_000) });
      }
    }
  }
  return windows;
}

/** Makes sure the outlet's upcoming slots exist, then lists those with room left. */
export async function availableSlots(
  db: DatabaseOrTransaction,
  params: { outletId: string; hours: readonly OpeningHours[]; now: Date },
) {
  const windows = slotWindows(params.hours, params.now);
  if (windows.length > 0) {
    await db
      .insert(bookingSlots)
      .values(windows.map((w) => ({ outletId: params.outletId, ...w, capacity: SLOT_CAPACITY })))
      .onConflictDoNothing();
  }
  const rows = await db
    .select()
    .from(bookingSlots)
    .where(
      and(
        eq(bookingSlots.outletId, params.outletId),
        gt(bookingSlots.startsAt, new Date(params.now.getTime() + LEAD_MINUTES * 60_000)),
        lt(bookingSlots.booked, bookingSlots.capacity),
      ),
    )
    .orderBy(asc(bookingSlots.startsAt))
    .limit(120);
  // Slots made under an older timetable are not offered once the outlet's hours no longer cover them.
  return rows.filter((s) => withinHours(params.hours, s.startsAt, s.endsAt)).slice(0, 60);
}

/** Takes one place in a slot; no row back means it is full, gone, too soon or another outlet's. */
export async function takeSlot(
  db: DatabaseOrTransaction,
  params: { slotId: string; outletId: string; now: Date; hours: readonly OpeningHours[] },
) {
  const [asked] = await db
    .select({ startsAt: bookingSlots.startsAt, endsAt: bookingSlots.endsAt })
    .from(bookingSlots)
    .where(and(eq(bookingSlots.id, params.slotId), eq(bookingSlots.outletId, params.outletId)));
  if (asked && !withinHours(params.hours, asked.startsAt, asked.endsAt))
    throw new AppError(422, 'SLOT_OUTSIDE_HOURS', undefined, [
      { field: 'window.slotId', message: '该时段不在网点营业时间内，请重新选择' },
    ]);
  const [slot] = await db
    .update(bookingSlots)
    .set({ booked: sql`${bookingSlots.booked} + 1` })
    .where(
      and(
        eq(bookingSlots.id, params.slotId),
        eq(bookingSlots.outletId, params.outletId),
        lt(bookingSlots.booked, bookingSlots.capacity),
        gt(bookingSlots.startsAt, new Date(params.now.getTime() + LEAD_MINUTES * 60_000)),
      ),
    )
    .returning();
  return slot;
}

export async function releaseSlot(db: DatabaseOrTransaction, slotId: string | null): Promise<void> {
  if (!slotId) return;
  await db
    .update(bookingSlots)
    .set({ booked: sql`greatest(${bookingSlots.booked} - 1, 0)` })
    .where(eq(bookingSlots.id, slotId));
}

/** Slots as the booking pages show them (a door visit's and a window's alike): when, and the places left. */
export function slotsView(
  outlet: { id: string; name: string },
  slots: readonly { id: string; startsAt: Date; endsAt: Date; capacity: number; booked: number }[],
) {
  return {
    outlet: { id: outlet.id, name: outlet.name },
    slots: slots.map((s) => ({
      id: s.id,
      start: s.startsAt.toISOString(),
      end: s.endsAt.toISOString(),
      remaining: s.capacity - s.booked,
    })),
  };
}
