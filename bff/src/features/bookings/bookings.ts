import { createHash } from 'node:crypto';
import {
  type Address,
  type BookingAction,
  type BookingActor,
  type BookingEventKind,
  type BookingStatus,
  type BookingView,
  beijingDate,
  bookingActions,
  bookingStatusLabels,
  type CaseStatus,
  type Contact,
  type CreateBookingBody,
  canReschedule,
  caseStatusLabels,
  type GeoPoint,
  maskName,
  maskPhone,
  type RebookDraft,
  type VisitWindowInput,
} from '@zyt/shared';
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { type Database, type DatabaseOrTransaction, preparedStatement } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import {
  type Booking,
  bookingEvents,
  bookings,
  bundles,
  cases,
  matterOutlets,
  matters,
  outlets,
  shipments,
  users,
} from '../../db/schema';
import type { OpeningHours } from '../../db/schema/catalogue';
import type { EmsParty } from '../../integrations/ems/client';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';
import { bundleExists, type CheckedBundleBooking } from '../bundles/bundles';
import { piiContext } from '../me/users';
import { releaseSlot, takeSlot } from './slots';

export const sealedContext = (
  bookingId: string,
  field: 'address' | 'contact' | 'note' | 'location' | 'bundle_form',
) => `bookings/${bookingId}/${field}`;

export const requestHash = (body: CreateBookingBody) =>
  createHash('sha256').update(JSON.stringify(body)).digest('hex');

/** 预约号: Beijing date + a sequence, e.g. 261122000042 — short enough to read out on the phone. */
export const bookingNumber = (now: Date) =>
  sql<string>`${beijingDate(now).slice(2).replaceAll('-', '')} || lpad(nextval('booking_number_seq')::text, 6, '0')`;

/** The matter as bookable: it exists and supports door pickup (上门收件). */
export async function bookableMatter(db: DatabaseOrTransaction, code: string) {
  const [matter] = await db.select().from(matters).where(eq(matters.code, code));
  if (!matter) throw new AppError(404, 'MATTER_NOT_FOUND');
  // A resident books as a person: an enterprise (法人) matter is applied for by the enterprise itself.
  if (matter.applicantType === 'enterprise')
    throw new AppError(422, 'MATTER_FOR_ENTERPRISES', undefined, [
      { field: 'matterCode', message: `“${matter.name}”的服务对象是企业（法人），需由企业作为申请人办理` },
    ]);
  if (!matter.doorPickup)
    throw new AppError(422, 'DOOR_PICKUP_NOT_SUPPORTED', undefined, [
      { field: 'matterCode', message: `“${matter.name}”不支持上门收件，请到网点办理` },
    ]);
  return matter;
}

const TARGET_TTL_MS = 60_000;

/**
 * What a booking is for, cached briefly per process: the catalogue changes at most with each sync (hourly), and
 * every booking asks. `isBundle`: whether a code is a bundle (一件事) rather than a matter; `target`: the matter or
 * bundle and the outlets serving the county. Refusals are not cached.
 */
export function createBookingTargets(db: DatabaseOrTransaction) {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();
  function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit && Date.now() - hit.at < TARGET_TTL_MS) return hit.value as Promise<T>;
    const value = load();
    cache.set(key, { at: Date.now(), value });
    value.catch(() => cache.delete(key));
    if (cache.size > 5000) cache.clear();
    return value;
  }
  const isBundle = (code: string) => cached(`bundle|${code}`, () => bundleExists(db, code));
  const target = (code: string, county: string): Promise<BookingTarget> =>
    cached(`target|${code}|${county}`, async () => {
      const matter = (await isBundle(code))
        ? (await db.select().from(bundles).where(eq(bundles.code, code)))[0]!
        : await bookableMatter(db, code);
      return { matter, ...(await servingOutlets(db, { matterCode: code, county })) };
    });
  return { isBundle, target };
}
export type BookingTarget = {
  /** The matter, or the bundle (一件事) booked as one: code, name and version are snapshotted. */
  matter: Pick<typeof matters.$inferSelect, 'code' | 'name' | 'version'>;
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
    .where(and(eq(outlets.district, params.county), isNull(outlets.retiredAt)))
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

/** An outlet as an EMS party (its switchboard is the phone), placed by the catalogue's province/city/county. */
export const outletParty = (o: typeof outlets.$inferSelect): EmsParty => ({
  name: o.name,
  phone: o.phone,
  prov: o.province,
  city: o.city,
  county: o.district,
  address: o.address,
});

/**
 * Where the resident's next booking form starts: the address of their latest booking, in full (only its
 * owner asks), or null when they have none.
 */
export async function lastAddress(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  userId: string,
): Promise<Address | null> {
  const [b] = await db
    .select({ id: bookings.id, addressSealed: bookings.addressSealed })
    .from(bookings)
    .where(eq(bookings.userId, userId))
    .orderBy(desc(bookings.createdAt))
    .limit(1);
  return b ? (JSON.parse(pii.decrypt(b.addressSealed, sealedContext(b.id, 'address'))) as Address) : null;
}

/** Applies a transition in one conditional UPDATE: it happens only from a state the action allows. */
export async function transition(
  tx: DatabaseOrTransaction,
  params: {
    bookingId: string;
    action: BookingAction;
    actor: BookingActor;
    actorId?: string;
    note?: string;
    set?: PgUpdateSetSource<typeof bookings>;
    /** Extra condition, e.g. only the agent who accepted the visit may move it. */
    where?: SQL;
    /** The event's kind when it says more than a status change (e.g. handed_back). */
    kind?: BookingEventKind;
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
    kind: params.kind ?? 'status_changed',
    status: rule.to,
    actor: params.actor,
    actorId: params.actorId,
    note: params.note,
  });
  return row;
}

/** A booking with its events, waybill, agent and case, in one round trip (the resident's detail screen). */
export async function loadBooking(db: DatabaseOrTransaction, pii: PiiCipher, where: SQL) {
  const [row] = await db
    .select({
      booking: bookings,
      waybillNo: shipments.waybillNo,
      agent: agentColumns,
      case: { id: cases.id, status: cases.status },
      events: sql<
        {
          kind: BookingEventKind;
          status: string;
          at: string;
          actor: 'resident' | 'agent' | 'system';
          note: string | null;
        }[]
      >`coalesce((
        select json_agg(json_build_object('kind', e.kind, 'status', e.status, 'at', e.at, 'actor', e.actor, 'note', e.note) order by e.id)
        from booking_events e where e.booking_id = ${bookings.id}), '[]'::json)`,
    })
    .from(bookings)
    .leftJoin(shipments, eq(shipments.id, bookings.shipmentId))
    .leftJoin(users, eq(users.id, bookings.agentId))
    .leftJoin(cases, eq(cases.bookingId, bookings.id))
    .where(where);
  if (!row) return undefined;
  const events = row.events.map((e, i) => ({
    id: i,
    bookingId: row.booking.id,
    actorId: null,
    ...e,
    at: new Date(e.at),
  }));
  return {
    booking: row.booking,
    events,
    waybillNo: row.waybillNo,
    extras: {
      agent: row.agent ? agentView(pii, row.agent) : null,
      case: row.case ? caseView(row.case) : null,
    } satisfies BookingExtras,
  };
}

export async function eventsOf(db: DatabaseOrTransaction, bookingIds: string[]) {
  if (bookingIds.length === 0) return [];
  return db
    .select()
    .from(bookingEvents)
    .where(inArray(bookingEvents.bookingId, bookingIds))
    .orderBy(asc(bookingEvents.id));
}

const agentColumns = {
  id: users.id,
  nameSealed: users.nameSealed,
  staffNo: users.staffNo,
  phoneSealed: users.phoneSealed,
};

/** The visiting agent as the resident sees them. */
function agentView(
  pii: PiiCipher,
  a: { id: string; nameSealed: string | null; staffNo: string | null; phoneSealed: string | null },
): NonNullable<BookingExtras['agent']> {
  return {
    // Staff show their name at the door, as on their badge; their own phone is masked like anyone's.
    name: a.nameSealed ? pii.decrypt(a.nameSealed, piiContext(a.id, 'name')) : '政邮专员',
    staffNo: a.staffNo,
    phone: a.phoneSealed ? maskPhone(pii.decrypt(a.phoneSealed, piiContext(a.id, 'phone'))) : null,
  };
}

const caseView = (c: { id: string; status: string }): NonNullable<BookingExtras['case']> => ({
  id: c.id,
  status: c.status as CaseStatus,
  statusLabel: caseStatusLabels[c.status as CaseStatus],
});

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
    agentIds.length ? db.select(agentColumns).from(users).where(inArray(users.id, agentIds)) : [],
  ]);
  const agentById = new Map(agents.map((a) => [a.id, agentView(pii, a)]));
  const caseByBooking = new Map(caseRows.map((c) => [c.bookingId, caseView(c)]));
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
    // 一件事一次办: booked again as the same bundle, situation and form (POST /bookings checks them again).
    bundle: b.bundle
      ? {
          code: b.matterCode,
          name: b.matterName,
          situation: { id: b.bundle.situation, name: b.bundle.situationName },
          form: b.bundleFormSealed
            ? (JSON.parse(pii.decrypt(b.bundleFormSealed, sealedContext(b.id, 'bundle_form'))) as Record<
                string,
                string
              >)
            : {},
        }
      : null,
  };
}

/** The booking as its people see it. `reveal` (the agent on the visit) shows address and contact in full. */
export function toBookingView(
  b: Booking,
  events: (typeof bookingEvents.$inferSelect)[],
  pii: PiiCipher,
  opts: { reveal: boolean; owner?: boolean; waybillNo?: string | null } & Partial<BookingExtras>,
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
    bundle: b.bundle
      ? {
          code: b.matterCode,
          name: b.matterName,
          situation: { id: b.bundle.situation, name: b.bundle.situationName },
        }
      : null,
    events: events
      .filter((e) => e.bookingId === b.id)
      .map((e) => ({
        kind: e.kind,
        status: e.status as BookingStatus,
        at: e.at.toISOString(),
        actor: e.actor,
        note: e.note,
      })),
    createdAt: b.createdAt.toISOString(),
    // The resident wrote the note for the agent: they see it, and the agent does while the visit is theirs.
    note:
      b.noteSealed && (opts.reveal || opts.owner)
        ? pii.decrypt(b.noteSealed, sealedContext(b.id, 'note'))
        : null,
    location:
      b.locationSealed && (opts.reveal || opts.owner)
        ? (JSON.parse(pii.decrypt(b.locationSealed, sealedContext(b.id, 'location'))) as GeoPoint)
        : null,
  };
}

/** A resident's own booking with its events and waybill; anyone else's is "not found", not "forbidden". */
export async function getOwnBooking(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  params: { userId: string; id: string },
) {
  const found = await loadBooking(
    db,
    pii,
    and(eq(bookings.id, params.id), eq(bookings.userId, params.userId))!,
  );
  if (!found) throw new AppError(404, 'BOOKING_NOT_FOUND');
  return found;
}

/** A resident's own booking row; anyone else's is "not found". */
export async function getOwnBookingRow(db: DatabaseOrTransaction, params: { userId: string; id: string }) {
  const [b] = await db
    .select()
    .from(bookings)
    .where(and(eq(bookings.id, params.id), eq(bookings.userId, params.userId)));
  if (!b) throw new AppError(404, 'BOOKING_NOT_FOUND');
  return b;
}

/** A resident's latest bookings (newest first), with their events and waybills. */
export async function listOwnBookings(db: DatabaseOrTransaction, params: { userId: string; limit: number }) {
  const rows = await db
    .select()
    .from(bookings)
    .where(eq(bookings.userId, params.userId))
    .orderBy(desc(bookings.createdAt))
    .limit(params.limit);
  const events = await eventsOf(
    db,
    rows.map((r) => r.id),
  );
  const ids = rows.map((r) => r.shipmentId).filter((s): s is string => !!s);
  const found =
    ids.length === 0
      ? []
      : await db
          .select({ id: shipments.id, w: shipments.waybillNo })
          .from(shipments)
          .where(inArray(shipments.id, ids));
  const waybills = new Map(found.map((f) => [f.id, f.w]));
  return rows.map((booking) => ({
    booking,
    events: events.filter((e) => e.bookingId === booking.id),
    waybillNo: booking.shipmentId ? (waybills.get(booking.shipmentId) ?? null) : null,
  }));
}

/** Booking needs a verified real name (实名认证). */
const realNameStatement = preparedStatement((db) =>
  db
    .select({ realNameAt: users.realNameAt })
    .from(users)
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare('has_real_name'),
);

export async function hasRealName(db: Database, userId: string): Promise<boolean> {
  const [user] = await realNameStatement(db).execute({ userId });
  return !!user?.realNameAt;
}

/** The window asked for: "as soon as possible", or a place taken in one of the outlet's slots. */
export async function visitWindow(
  tx: DatabaseOrTransaction,
  params: { input: VisitWindowInput; outletId: string; hours: readonly OpeningHours[]; now: Date },
) {
  const { input, outletId, hours, now } = params;
  if (input.kind === 'asap')
    return { windowKind: 'asap' as const, slotId: null, windowStart: now, windowEnd: null, dueAt: null };
  const slot = await takeSlot(tx, { slotId: input.slotId, outletId, now, hours });
  if (!slot)
    throw new AppError(409, 'SLOT_UNAVAILABLE', undefined, [
      { field: 'window.slotId', message: '该时段已约满或已过期，请重新选择' },
    ]);
  return {
    windowKind: 'slot' as const,
    slotId: slot.id,
    windowStart: slot.startsAt,
    windowEnd: slot.endsAt,
    dueAt: slot.endsAt,
  };
}

export type CreatedBooking =
  | { replayed: false; booking: Booking; events: (typeof bookingEvents.$inferSelect)[] }
  | { replayed: true; booking: Booking };

/**
 * Creates a booking and its first event in one transaction, taking a slot place if one was asked for. A key
 * used before (a retry, or a concurrent one that won) answers with that booking; the same key with another
 * request is refused.
 */
/**
 * Writes a requested door visit and its `created` event in the caller's transaction: the one way a booking row
 * is made, whether the resident books it or an enterprise's claim by post (邮寄申领) asks for it.
 */
export async function insertBooking(
  tx: DatabaseOrTransaction,
  params: {
    userId: string;
    idempotencyKey: string;
    requestHash: string;
    target: Pick<BookingTarget, 'matter' | 'postOffice'>;
    visit: Pick<CreateBookingBody, 'address' | 'window' | 'entrust' | 'note' | 'location'>;
    contact: Contact;
    pii: PiiCipher;
    now: Date;
    bundle?: CheckedBundleBooking;
    eventNote: string | null;
  },
) {
  const { userId, target, visit, contact, pii, now, bundle } = params;
  const id = crypto.randomUUID();
  const [booking] = await tx
    .insert(bookings)
    .values({
      id,
      number: bookingNumber(now),
      userId,
      idempotencyKey: params.idempotencyKey,
      requestHash: params.requestHash,
      matterCode: target.matter.code,
      matterName: target.matter.name,
      matterVersion: target.matter.version,
      status: 'requested',
      ...(await visitWindow(tx, {
        input: visit.window,
        outletId: target.postOffice.id,
        hours: target.postOffice.hours,
        now,
      })),
      county: visit.address.county,
      outletId: target.postOffice.id,
      addressSealed: pii.encrypt(JSON.stringify(visit.address), sealedContext(id, 'address')),
      contactSealed: pii.encrypt(JSON.stringify(contact), sealedContext(id, 'contact')),
      noteSealed: visit.note?.trim() ? pii.encrypt(visit.note.trim(), sealedContext(id, 'note')) : null,
      locationSealed: visit.location
        ? pii.encrypt(JSON.stringify(visit.location), sealedContext(id, 'location'))
        : null,
      entrust: visit.entrust ? { ...visit.entrust, recordedAt: now.toISOString() } : null,
      bundle: bundle
        ? {
            situation: bundle.situation.id,
            situationName: bundle.situation.name,
            matterCodes: bundle.situation.matterCodes,
          }
        : null,
      bundleFormSealed: bundle
        ? pii.encrypt(JSON.stringify(bundle.form), sealedContext(id, 'bundle_form'))
        : null,
    })
    .returning();
  const [event] = await tx
    .insert(bookingEvents)
    .values({
      bookingId: id,
      kind: 'created',
      status: 'requested',
      actor: 'resident',
      actorId: userId,
      note: params.eventNote,
    })
    .returning();
  return { booking: booking!, event: event! };
}

export async function createBooking(
  db: Database,
  params: {
    userId: string;
    idempotencyKey: string;
    body: CreateBookingBody;
    contact: Contact;
    target: BookingTarget;
    pii: PiiCipher;
    now: Date;
    /** 一件事一次办: the checked situation and form (see checkBundleBooking). */
    bundle?: CheckedBundleBooking;
  },
): Promise<CreatedBooking> {
  const { userId, idempotencyKey, body, contact, target, pii, now, bundle } = params;
  const hash = requestHash(body);
  try {
    return await db.transaction(async (tx) => {
      const { booking, event } = await insertBooking(tx, {
        userId,
        idempotencyKey,
        requestHash: hash,
        target,
        visit: body,
        contact,
        pii,
        now,
        bundle,
        eventNote:
          [body.entrust ? '委托全程代办' : null, bundle ? `一件事：${bundle.situation.name}` : null]
            .filter(Boolean)
            .join('；') || null,
      });
      return { replayed: false as const, booking, events: [event] };
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // Only a repeated key needs this lookup: it is made when the insert hits the (user, key) index.
    const [existing] = await db
      .select()
      .from(bookings)
      .where(and(eq(bookings.userId, userId), eq(bookings.idempotencyKey, idempotencyKey)));
    if (!existing) throw err;
    if (existing.requestHash !== hash) throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED');
    return { replayed: true, booking: existing };
  }
}

/** The resident cancels (until the agent is on the way); the slot place is given back. */
export async function cancelBooking(
  db: Database,
  params: { userId: string; id: string; reason?: string },
): Promise<Booking> {
  const mine = await getOwnBookingRow(db, params);
  return db.transaction(async (tx) => {
    const cancelled = await transition(tx, {
      bookingId: mine.id,
      action: 'cancel',
      actor: 'resident',
      actorId: params.userId,
      note: params.reason,
      set: { cancelReason: params.reason ?? '居民取消' },
    });
    await releaseSlot(tx, cancelled.slotId);
    return cancelled;
  });
}

/** The resident changes the visit time (until the agent is on the way): new place taken, old one given back. */
export async function rescheduleBooking(
  db: Database,
  params: { userId: string; id: string; window: VisitWindowInput; now: Date },
): Promise<Booking> {
  const mine = await getOwnBookingRow(db, params);
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(bookings).where(eq(bookings.id, mine.id)).for('update');
    if (!current || !canReschedule(current.status as BookingStatus)) {
      throw new AppError(409, 'BOOKING_STATE_CONFLICT', '专员已出发，不能再改约；如需调整请联系专员');
    }
    const [outlet] = await tx
      .select({ hours: outlets.hours })
      .from(outlets)
      .where(eq(outlets.id, current.outletId));
    const next = await visitWindow(tx, {
      input: params.window,
      outletId: current.outletId,
      hours: outlet?.hours ?? [],
      now: params.now,
    });
    await releaseSlot(tx, current.slotId);
    // An accepted "as soon as possible" visit keeps its 1-hour promise from acceptance.
    const dueAt =
      next.windowKind === 'asap' && current.acceptedAt
        ? new Date(current.acceptedAt.getTime() + 3600_000)
        : next.dueAt;
    const [updated] = await tx
      .update(bookings)
      .set({ ...next, dueAt })
      .where(eq(bookings.id, current.id))
      .returning();
    // The status stays; the event says the time changed.
    await tx.insert(bookingEvents).values({
      bookingId: current.id,
      kind: 'rescheduled',
      status: current.status,
      actor: 'resident',
      actorId: params.userId,
    });
    return updated!;
  });
}
