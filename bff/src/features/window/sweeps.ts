import { and, eq, gt, lte } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type WindowAppointment, windowAppointments } from '../../db/schema';
import { formatEmsTime } from '../../integrations/ems/time';
import { fitThing } from '../../integrations/wechat/subscribe';
import { scheduleSweep } from '../../lib/sweep';
import { notifyUser } from '../notifications/notify';

const SWEEP_EVERY_MS = 60_000;
/** The resident is reminded of a window appointment within this long before its slot (the day before). */
export const WINDOW_REMIND_BEFORE_MS = 24 * 3600_000;

/** The resident's subscribe message about their window appointment (预约变动通知, as for door visits). */
function appointmentMessage(a: WindowAppointment, what: string, note: string, key: string) {
  return {
    userId: a.userId,
    kind: 'visit_update' as const,
    dedupeKey: `window-appointment:${a.id}:${key}`,
    page: 'booking/pages/window/index',
    data: {
      character_string1: { value: a.number },
      thing2: { value: fitThing(a.matterName) },
      phrase3: { value: what },
      thing4: { value: fitThing(note) },
    },
  };
}

/**
 * 爽约: a booked appointment nobody served by the end of its slot is closed as no-show (one conditional UPDATE,
 * safe on several instances), and its resident told once. No case is opened; they may book again.
 */
export async function markWindowNoShows(app: FastifyInstance, now = new Date()): Promise<number> {
  return app.database.db.transaction(async (tx) => {
    const closed = await tx
      .update(windowAppointments)
      .set({ status: 'no_show', updatedAt: now })
      .where(and(eq(windowAppointments.status, 'booked'), lte(windowAppointments.endsAt, now)))
      .returning();
    for (const a of closed)
      await notifyUser(
        tx,
        app,
        appointmentMessage(a, '已过号', '预约时段内未到网点办理，如需办理请重新预约', 'no-show'),
      );
    return closed.length;
  });
}

/**
 * 预约提醒: each booked appointment whose slot starts within the coming day is reminded once per slot (the
 * dedupe key names the slot's start, so a rescheduled appointment is reminded of its new time).
 */
export async function remindWindowAppointments(app: FastifyInstance, now = new Date()): Promise<number> {
  const due = await app.database.db
    .select()
    .from(windowAppointments)
    .where(
      and(
        eq(windowAppointments.status, 'booked'),
        gt(windowAppointments.startsAt, now),
        lte(windowAppointments.startsAt, new Date(now.getTime() + WINDOW_REMIND_BEFORE_MS)),
      ),
    )
    .limit(500);
  if (due.length === 0) return 0;
  let sent = 0;
  await app.database.db.transaction(async (tx) => {
    for (const a of due) {
      const at = formatEmsTime(a.startsAt).slice(0, 16);
      const r = await notifyUser(
        tx,
        app,
        appointmentMessage(
          a,
          '即将办理',
          `请于${at.slice(5)}带齐材料到网点`,
          `remind:${a.startsAt.toISOString()}`,
        ),
      );
      if (r !== 'duplicate') sent++;
    }
  });
  return sent;
}

export function scheduleWindowSweeps(app: FastifyInstance): void {
  scheduleSweep(app, 'window appointments not served marked no-show', SWEEP_EVERY_MS, () =>
    markWindowNoShows(app),
  );
  scheduleSweep(app, 'residents reminded of window appointments', SWEEP_EVERY_MS, () =>
    remindWindowAppointments(app),
  );
}
