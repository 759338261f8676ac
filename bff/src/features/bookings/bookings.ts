import { createHash } from 'node:crypto';
import {
  type Address,
  type BookingAction,
  type BookingActor,
  type BookingStatus,
  type BookingView,
  beijingDate,
  bookingActions,
  bookingStatusLabels,
  type CaseStatus,
  type Contact,
  type CreateBookingBody,
  caseStatusLabels,
  maskName,
  maskPhone,
  type RebookDraft,
} from '@zyt/shared';
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  type Booking,
  bookingEvents,
  bookings,
  cases,
  matterOutlets,
  matters,
  outlets,
  shipments,
  users,
} from '../../db/schema';
import type { EmsParty } from '../../integrations/ems/client';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';
import { piiContext } from '../me/users';

export const sealedContext = (bookingId: string, field: 'address' | 'contact') =>
  `bookings/${bookingId}/${field}`;

export const requestHash = (body: CreateBookingBody) =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** 预约号: Beijing date + a sequence, e.g. 261122000042 — short enough to read out on the phone. */
export const bookingNumber = (now: Date) =>
  sql<string>`${beijingDate(now).slice(2).replaceAll('-', '')} || lpad(nextval('booking_number_seq')::text, 6, '0')`;

/** The matter as bookable: it exists and supports door pickup (上门收件). */
export async function bookableMatter(db: DatabaseOrTransaction, code: string) {
  const [matter] = await db.select().from(matters).where(eq(matters.code, code));
  if (!matter) throw new AppError(404, 'MATTER_NOT_FOUND');
  if (!matter.doorPickup)
    throw new AppError(422, 'DOOR_PICKUP_NOT_SUPPORTED', undefined, [
      { field: 'matterCode', message: `“${matter.name}”不支持上门收件，请到网点办理` },
    ]);
  return matter;
}

const TARGET_TTL_MS = 60_000;

/**
 * Matter and serving outlets for (matter, county), cached briefly per process: the catalogue changes at most
 * with each sync (hourly), and every booking needs this. Refusals are not cached.
 */
export function createBookingTargets(db: DatabaseOrTransaction) {
  const cache = new Map<string, { at: number; value: Promise<BookingTarget> }>();
  return (matterCode: string, county: string): Promise<BookingTarget> => {
    const key = `${matterCode}|${county}`;
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < TARGET_TTL_MS) return hit.value;
    const value = (async () => {
      const matter = await bookableMatter(db, matterCode);
      return { matter, ...(await servingOutlets(db, { matterCode, county })) };
    })();
    cache.set(key, { at: Date.now(), value });
    value.catch(() => cache.delete(key));
    if (cache.size > 5000) cache.clear();
    return value;
  };
}
export type BookingTarget = {
  matter: typeof matters.$inferSelect;
  postOffice: typeof outlets.$inferSelect;
  centre: typeof outlets.$inferSelect;
};

/** The post office that serves door visits for a matter in a county (区县), and the centre materials go to. */
export async function servingOutlets(
  db: DatabaseOrTransaction,
  params: { matterCode: string; county: string },
) {
  const candidates = await db
    .select({ outlet: outlets, accepts: sql<boolean>`${matterOutlets.outletId} is not null` })
    .from(outlets)
    .leftJoin(
      matterOutlets,
      and(eq(matterOutlets.outletId, outlets.id), eq(matterOutlets.matterCode, params.matterCode)),
    )
    .where(eq(outlets.district, params.county))
    .orderBy(sql`${matterOutlets.outletId} is null`, asc(outlets.position));
  const postOffice = candidates.find((c) => c.outlet.kind === 'post_office')?.outlet;
  const centre = candidates.find((c) => c.outlet.kind === 'service_centre')?.outlet;
  if (!postOffice || !centre) {
    throw new AppError(422, 'AREA_NOT_SERVED', undefined, [
      { field: 'address.county', message: `${params.county}暂未开通上门收件服务` },
    ]);
  }
  return { postOffice, centre };
}

/** An outlet as an EMS party (its switchboard is the phone). */
export const outletParty = (o: typeof outlets.$inferSelect): EmsParty => ({
  name: o.name,
  phone: o.phone,
  prov: '广东省',
  city: '广州市',
  county: o.district,
  address: o.address,
});

/** Applies a transition in one conditional UPDATE: it happens only from a state the action allows. */
export async function transition(
  tx: DatabaseOrTransaction,
  params: {
    bookingId: string;
    action: BookingAction;
    actor: BookingActor;
    actorId?: string;
    note?: string;
    set?: Partial<typeof bookings.$inferInsert>;
    /** Extra condition, e.g. only the agent who accepted the visit may move it. */
    where?: ReturnType<typeof eq>;
  },
): Promise<Booking> {
  const rule = bookingActions[params.action];
  const [row] = await tx
    .update(bookings)
    .set({ ...params.set, status: rule.to, updatedAt: sql`now()` })
    .where(and(eq(bookings.id, params.bookingId), inArray(bookings.status, [...rule.from]), params.where))
    .returning();
  if (!row) {
    const [current] = await tx
      .select({ status: bookings.status, agentId: bookings.agentId })
      .from(bookings)
      .where(eq(bookings.id, params.bookingId));
    if (!current) throw new AppError(404, 'BOOKING_NOT_FOUND');
    const label = bookingStatusLabels[current.status as BookingStatus];
    if ((rule.from as readonly string[]).includes(current.status))
      throw new AppError(403, 'FORBIDDEN', '该上门任务已由其他专员处理');
    throw new AppError(
      409,
      'BOOKING_STATE_CONFLICT',
      `预约当前状态为“${label}”，不能进行此操作，请刷新后查看`,
    );
  }
  await tx.insert(bookingEvents).values({
    bookingId: row.id,
    status: rule.to,
    actor: params.actor,
    actorId: params.actorId,
    note: params.note,
  });
  return row;
}

/** A booking with its events and waybill, in one round trip. */
export async function loadBooking(db: DatabaseOrTransaction, where: SQL) {
  const [row] = await db
    .select({
      booking: bookings,
      waybillNo: shipments.waybillNo,
      events: sql<
        { status: string; at: string; actor: 'resident' | 'agent' | 'system'; note: string | null }[]
      >`coalesce((
        select json_agg(json_build_object('status', e.status, 'at', e.at, 'actor', e.actor, 'note', e.note) order by e.id)
        from booking_events e where e.booking_id = ${bookings.id}), '[]'::json)`,
    })
    .from(bookings)
    .leftJoin(shipments, eq(shipments.id, bookings.shipmentId))
    .where(where);
  if (!row) return undefined;
  const events = row.events.map((e, i) => ({
    id: i,
    bookingId: row.booking.id,
    actorId: null,
    ...e,
    at: new Date(e.at),
  }));
  return { booking: row.booking, events, waybillNo: row.waybillNo };
}

export async function eventsOf(db: DatabaseOrTransaction, bookingIds: string[]) {
  if (bookingIds.length === 0) return [];
  return db
    .select()
    .from(bookingEvents)
    .where(inArray(bookingEvents.bookingId, bookingIds))
    .orderBy(asc(bookingEvents.id));
}

/** What a resident's booking screens show beside the booking: who is coming, and the case it became. */
export type BookingExtras = Pick<BookingView, 'agent' | 'case'>;

/** The agent and the case of each booking (by booking id), in two queries whatever the number of bookings. */
export async function bookingExtras(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  rows: readonly Booking[],
): Promise<Map<string, BookingExtras>> {
  const agentIds = [...new Set(rows.flatMap((r) => (r.agentId ? [r.agentId] : [])))];
  const [caseRows, agents] = await Promise.all([
    rows.length
      ? db
          .select({ id: cases.id, bookingId: cases.bookingId, status: cases.status })
          .from(cases)
          .where(
            inArray(
              cases.bookingId,
              rows.map((r) => r.id),
            ),
          )
      : [],
    agentIds.length
      ? db
          .select({
            id: users.id,
            nameSealed: users.nameSealed,
            staffNo: users.staffNo,
            phoneSealed: users.phoneSealed,
          })
          .from(users)
          .where(inArray(users.id, agentIds))
      : [],
  ]);
  const agentById = new Map(
    agents.map((a) => [
      a.id,
      {
        // Staff show their name at the door, as on their badge; their own phone is masked like anyone's.
        name: a.nameSealed ? pii.decrypt(a.nameSealed, piiContext(a.id, 'name')) : '政邮专员',
        staffNo: a.staffNo,
        phone: a.phoneSealed ? maskPhone(pii.decrypt(a.phoneSealed, piiContext(a.id, 'phone'))) : null,
      },
    ]),
  );
  const caseByBooking = new Map(
    caseRows.map((c) => [
      c.bookingId,
      { id: c.id, status: c.status as CaseStatus, statusLabel: caseStatusLabels[c.status as CaseStatus] },
    ]),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        agent: r.agentId ? (agentById.get(r.agentId) ?? null) : null,
        case: caseByBooking.get(r.id) ?? null,
      },
    ]),
  );
}

/** Statuses in which the agent is on the visit and the resident may call them. */
const reachableStatuses: readonly BookingStatus[] = ['assigned', 'en_route', 'arrived', 'reviewing'];

/** The agent's full work phone while the visit is on (the screens show it masked). */
export async function agentPhoneFor(db: DatabaseOrTransaction, pii: PiiCipher, b: Booking): Promise<string> {
  if (!b.agentId || !reachableStatuses.includes(b.status as BookingStatus))
    throw new AppError(409, 'AGENT_NOT_REACHABLE');
  const [agent] = await db
    .select({ phoneSealed: users.phoneSealed })
    .from(users)
    .where(eq(users.id, b.agentId));
  if (!agent?.phoneSealed)
    throw new AppError(409, 'AGENT_NOT_REACHABLE', '专员未登记工作电话，请拨打网点电话联系');
  return pii.decrypt(agent.phoneSealed, piiContext(b.agentId, 'phone'));
}

/** The earlier booking as the start of a new one, for its owner (see RebookDraft). */
export function rebookDraft(b: Booking, pii: PiiCipher): RebookDraft {
  const address = JSON.parse(pii.decrypt(b.addressSealed, sealedContext(b.id, 'address'))) as Address;
  const contact = JSON.parse(pii.decrypt(b.contactSealed, sealedContext(b.id, 'contact'))) as Contact;
  return {
    matterCode: b.matterCode,
    address,
    contact,
    entrust: b.entrust ? { scope: b.entrust.scope, validUntil: b.entrust.validUntil } : null,
    missingItems: b.missingItems ?? [],
  };
}

/** The booking as its people see it. `reveal` (the agent on the visit) shows address and contact in full. */
export function toBookingView(
  b: Booking,
  events: (typeof bookingEvents.$inferSelect)[],
  pii: PiiCipher,
  opts: { reveal: boolean; waybillNo?: string | null } & Partial<BookingExtras>,
): BookingView {
  const address = JSON.parse(pii.decrypt(b.addressSealed, sealedContext(b.id, 'address'))) as Address;
  const contact = JSON.parse(pii.decrypt(b.contactSealed, sealedContext(b.id, 'contact'))) as Contact;
  return {
    id: b.id,
    number: b.number,
    status: b.status as BookingStatus,
    statusLabel: bookingStatusLabels[b.status as BookingStatus],
    matter: { code: b.matterCode, name: b.matterName },
    window: {
      kind: b.windowKind,
      start: b.windowStart?.toISOString() ?? null,
      end: b.windowEnd?.toISOString() ?? null,
    },
    dueAt: b.dueAt?.toISOString() ?? null,
    address: opts.reveal
      ? address
      : { ...address, detail: `${[...address.detail].slice(0, 4).join('')}****` },
    contact: opts.reveal ? contact : { name: maskName(contact.name), phone: maskPhone(contact.phone) },
    entrust: b.entrust ?? null,
    missingItems: b.missingItems ?? null,
    caseNumber: b.caseNumber,
    waybillNo: opts.waybillNo ?? null,
    cancelReason: b.cancelReason,
    agent: opts.agent ?? null,
    case: opts.case ?? null,
    events: events
      .filter((e) => e.bookingId === b.id)
      .map((e) => ({
        status: e.status as BookingStatus,
        at: e.at.toISOString(),
        actor: e.actor,
        note: e.note,
      })),
    createdAt: b.createdAt.toISOString(),
  };
}
