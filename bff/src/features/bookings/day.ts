import {
  type Address,
  type BookingStatus,
  beijingDate,
  beijingInstant,
  bookingEventTitle,
  bookingStatusLabels,
} from '@zyt/shared';
import { and, asc, eq, gte, inArray, lt, or } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import { bookingEvents, bookings, handoverItems } from '../../db/schema';
import type { PiiCipher } from '../../lib/pii';
import { sealedContext } from './bookings';

/** How a visit ended for this agent today, in a few words. */
function outcome(status: BookingStatus, handedBackByMe: string | null, holdsIt: boolean): string {
  if (!holdsIt && handedBackByMe) return `已转交其他专员：${handedBackByMe}`;
  switch (status) {
    case 'collected':
    case 'handed_over':
    case 'case_submitted':
      return '材料齐全，已收件';
    case 'materials_incomplete':
      return '材料不齐，已一次性告知居民';
    case 'cancelled':
      return '已取消';
    default:
      return `进行中：${bookingStatusLabels[status]}`;
  }
}

/**
 * The agent's day: every visit they acted on today (Beijing date), finished, handed back or still on, with the
 * day's steps. The address is masked: the list is a record of the day, not a visit in progress.
 */
export async function agentDay(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  params: { agentId: string; now: Date },
) {
  const date = beijingDate(params.now);
  const from = beijingInstant(date, '00:00');
  const to = new Date(from.getTime() + 24 * 3600_000);
  const touched = await db
    .selectDistinct({ id: bookingEvents.bookingId })
    .from(bookingEvents)
    .where(
      and(eq(bookingEvents.actorId, params.agentId), gte(bookingEvents.at, from), lt(bookingEvents.at, to)),
    );
  const ids = touched.map((t) => t.id);
  if (ids.length === 0) return { date, items: [] };
  const [rows, events, bagged] = await Promise.all([
    db.select().from(bookings).where(inArray(bookings.id, ids)).orderBy(asc(bookings.createdAt)),
    db
      .select()
      .from(bookingEvents)
      .where(
        and(
          inArray(bookingEvents.bookingId, ids),
          gte(bookingEvents.at, from),
          lt(bookingEvents.at, to),
          or(eq(bookingEvents.actorId, params.agentId), eq(bookingEvents.actor, 'system')),
        ),
      )
      .orderBy(asc(bookingEvents.id)),
    db
      .selectDistinct({ id: handoverItems.bookingId })
      .from(handoverItems)
      .where(inArray(handoverItems.bookingId, ids)),
  ]);
  const inBag = new Set(bagged.map((b) => b.id));
  return {
    date,
    items: rows.map((b) => {
      const mine = events.filter((e) => e.bookingId === b.id);
      const handedBack = [...mine]
        .reverse()
        .find((e) => e.kind === 'handed_back' && e.actorId === params.agentId);
      const address = JSON.parse(pii.decrypt(b.addressSealed, sealedContext(b.id, 'address'))) as Address;
      return {
        id: b.id,
        number: b.number,
        matterName: b.matterName,
        status: b.status as BookingStatus,
        statusLabel: bookingStatusLabels[b.status as BookingStatus],
        place: `${address.county} ${[...address.detail].slice(0, 4).join('')}****`,
        steps: mine.map((e) => ({
          at: e.at.toISOString(),
          title: bookingEventTitle({ kind: e.kind, status: e.status as BookingStatus }),
          note: e.note,
        })),
        outcome: outcome(
          b.status as BookingStatus,
          handedBack ? (handedBack.note ?? '') : null,
          b.agentId === params.agentId,
        ),
        handedOver: inBag.has(b.id),
      };
    }),
  };
}
