import { addWorkingDays, beijingDate, beijingInstant, isWorkingDay } from '@zyt/shared';
import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { bookingSlots } from '../../db/schema';
import type { OpeningHours } from '../../db/schema/catalogue';

/** Visit windows: 2 hours inside the serving outlet's opening hours, on the next working days. */
const SLOT_MINUTES = 120;
const SLOT_CAPACITY = 4;
const DAYS_AHEAD = 5;
/** A slot must start at least this long from now: the agent needs time to plan the route. */
const LEAD_MINUTES = 60;

const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

export function slotWindows(hours: readonly OpeningHours[], from: Date): { startsAt: Date; endsAt: Date }[] {
  const windows: { startsAt: Date; endsAt: Date }[] = [];
  let date = beijingDate(from);
  if (!isWorkingDay(date)) date = addWorkingDays(date, 1).date;
  for (let d = 0; d < DAYS_AHEAD; d++, date = addWorkingDays(date, 1).date) {
    for (const range of hours.filter((h) => h.day === isoWeekday(date))) {
      const close = beijingInstant(date, range.close).getTime();
      for (
        let start = beijingInstant(date, range.open).getTime();
        start + SLOT_MINUTES * 60_000 <= close;
        start += SLOT_MINUTES * 60_000
      ) {
        windows.push({ startsAt: new Date(start), endsAt: new Date(start + SLOT_MINUTES * 60_000) });
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
  return db
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
    .limit(60);
}

/** Takes one place in a slot; no row back means it is full, gone, too soon or another outlet's. */
export async function takeSlot(
  db: DatabaseOrTransaction,
  params: { slotId: string; outletId: string; now: Date },
) {
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
