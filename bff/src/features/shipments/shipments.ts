import { and, eq, getTableColumns, isNotNull, notInArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { type DatabaseOrTransaction, rowsOf } from '../../db/client';
import { type ShipmentFlag, shipmentEvents, shipments } from '../../db/schema';
import { EmsError, type EmsParty } from '../../integrations/ems/client';
import {
  currentStatus,
  deliveredAt,
  deliveryFlags,
  type EmsTrackEvent,
  effectiveTimeline,
  eventKey,
  parseEmsTime,
  unifiedStatus,
} from '../../integrations/ems/tracking';
import type { JobQueue } from '../../jobs/queue';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';
import { Batcher } from '../../lib/batcher';
import type { PiiCipher } from '../../lib/pii';
import { scheduleSweep } from '../../lib/sweep';

export const CREATE_EMS_ORDER = 'ems.create-order';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** 040001 for one waybill EMS has not pushed about for a while. */
export const POLL_EMS_TRACKING = 'ems.poll-tracking';

type Shipment = typeof shipments.$inferSelect;

/** A leg whose status, delivery time or flags changed with the events just stored. */
export interface ShipmentChange {
  /** The row after the change. */
  shipment: Shipment;
  previousStatus: string;
}
type OrderedListener = (s: Shipment) => Promise<void>;
type ChangeListener = (tx: DatabaseOrTransaction, changes: readonly ShipmentChange[]) => Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Decorated on the app by defineShipmentJobs, so route plugins and jobs see the same lists. */
    shipmentListeners: { ordered: OrderedListener[]; changed: ChangeListener[] };
  }
}

/** Features that own a leg hear when its waybill exists (e.g. a booking's materials are handed over). */
export function onShipmentOrdered(app: FastifyInstance, listener: OrderedListener): void {
  app.shipmentListeners.ordered.push(listener);
}
/**
 * Features that own a leg hear of its changes inside the transaction that stored the events, so what they do
 * (a case delivered, a notification queued) commits with the events or not at all.
 */
export function onShipmentChanged(app: FastifyInstance, listener: ChangeListener): void {
  app.shipmentListeners.changed.push(listener);
}
export async function notifyShipmentChanges(
  app: FastifyInstance,
  tx: DatabaseOrTransaction,
  changes: readonly ShipmentChange[],
): Promise<void> {
  if (changes.length === 0) return;
  for (const listener of app.shipmentListeners.changed) await listener(tx, changes);
}

export type ShipmentLeg = (typeof shipments.$inferInsert)['leg'];
/** What a leg serves; the database checks the referenced row exists. */
export type ShipmentSubject = { kind: 'case'; id: string } | { kind: 'booking'; id: string };

const partiesContext = (id: string, role: 'sender' | 'receiver') => `shipments/${id}/${role}`;

export interface ShipmentRequest {
  leg: ShipmentLeg;
  subject: ShipmentSubject;
  /** The service centre that pays for it (政府买单): where materials go, where results leave from. */
  centreId: string;
  sender: EmsParty;
  receiver: EmsParty;
  weightGrams?: number;
  /** The courier collects at the sender's door (上门揽收) within this window. */
  pickup: { from: Date; to: Date };
}

/**
 * Records an EMS leg and enqueues the order for it, in the caller's transaction: the order is created after
 * the state change commits, or not at all. Returns our order number (EMS `logisticsOrderNo`).
 */
export async function requestShipment(
  tx: DatabaseOrTransaction,
  deps: { jobs: JobQueue; pii: PiiCipher },
  params: ShipmentRequest,
): Promise<string> {
  const [id] = await requestShipments(tx, deps, [params]);
  return id!;
}

/** Many legs at once (a centre's list of results): one insert and one enqueue statement, same guarantees. */
export async function requestShipments(
  tx: DatabaseOrTransaction,
  deps: { jobs: JobQueue; pii: PiiCipher },
  list: readonly ShipmentRequest[],
): Promise<string[]> {
  if (list.length === 0) return [];
  const rows = list.map((params) => {
    const id = crypto.randomUUID();
    return {
      id,
      leg: params.leg,
      subjectKind: params.subject.kind,
      caseId: params.subject.kind === 'case' ? params.subject.id : null,
      bookingId: params.subject.kind === 'booking' ? params.subject.id : null,
      centreOutletId: params.centreId,
      senderSealed: deps.pii.encrypt(JSON.stringify(params.sender), partiesContext(id, 'sender')),
      receiverSealed: deps.pii.encrypt(JSON.stringify(params.receiver), partiesContext(id, 'receiver')),
      weightGrams: params.weightGrams ?? 500,
      pickupFrom: params.pickup.from,
      pickupTo: params.pickup.to,
    };
  });
  await tx.insert(shipments).values(rows);
  if (rows.length === 1) await deps.jobs.enqueue(tx, CREATE_EMS_ORDER, { shipmentId: rows[0]!.id });
  else
    await deps.jobs.enqueueMany(
      tx,
      CREATE_EMS_ORDER,
      rows.map((r) => ({ shipmentId: r.id })),
    );
  return rows.map((r) => r.id);
}

/** EMS order numbers are compact: our UUID without dashes (32 chars). */
export const logisticsOrderNo = (shipmentId: string) => shipmentId.replaceAll('-', '');

export function defineShipmentJobs(app: FastifyInstance): void {
  app.decorate('shipmentListeners', { ordered: [], changed: [] });
  const { db } = app.database;

  // The order jobs running at once (hundreds in a surge) load and save their legs together: one statement per
  // flush rather than two round trips per order (see `pnpm bench`, jobs.ems and results.bulk).
  const loadShipment = new Batcher<string, Shipment | undefined>(async (ids) => {
    const rows = await db
      .select()
      .from(shipments)
      .where(sql`${shipments.id} = any(${`{${ids.join(',')}}`}::uuid[])`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id));
  });
  const saveWaybill = new Batcher<
    { id: string; waybill_no: string },
    (Shipment & { scannedEarly: boolean }) | undefined
  >(async (items) => {
    const rows = await db
      .update(shipments)
      .set({ waybillNo: sql`v.waybill_no`, orderedAt: sql`now()`, lastHeardAt: sql`now()`, lastError: null })
      .from(sql`jsonb_to_recordset(${JSON.stringify(items)}::jsonb) as v(id uuid, waybill_no text)`)
      .where(sql`${shipments.id} = v.id`)
      .returning({
        ...getTableColumns(shipments),
        scannedEarly: sql<boolean>`exists (select 1 from ${shipmentEvents} where ${shipmentEvents.waybillNo} = v.waybill_no)`,
      });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return items.map((i) => byId.get(i.id));
  });

  async function order(s: Shipment): Promise<Shipment> {
    try {
      const order = await app.ems.createOrder({
        logisticsOrderNo: logisticsOrderNo(s.id),
        ecommerceUserId: (s.caseId ?? s.bookingId ?? s.id).slice(0, 50),
        weight: s.weightGrams,
        pickupType: '1',
        pickupPreBeginTime: s.pickupFrom ?? undefined,
        pickupPreEndTime: s.pickupTo ?? undefined,
        paymentMode: '1', // 寄付月结: the government pays (政府买单)
        // The monthly bill is split by 项目号: each centre reconciles its own pieces.
        projectId: s.centreOutletId ?? undefined,
        sender: JSON.parse(app.pii.decrypt(s.senderSealed, partiesContext(s.id, 'sender'))) as EmsParty,
        receiver: JSON.parse(app.pii.decrypt(s.receiverSealed, partiesContext(s.id, 'receiver'))) as EmsParty,
        cargos: [{ cargoName: '政务材料', cargoQuantity: 1 }],
      });
      const saved = await saveWaybill.run({ id: s.id, waybill_no: order.waybillNo });
      if (!saved) throw new Error(`shipment ${s.id} vanished before its waybill was saved`);
      const { scannedEarly, ...ordered } = saved;
      // Rarely, EMS pushes the first scans before we saved the waybill: they are stored, so apply them now.
      if (scannedEarly)
        await db.transaction(async (tx) =>
          notifyShipmentChanges(app, tx, await refreshLegs(tx, [order.waybillNo])),
        );
      return ordered;
    } catch (err) {
      if (!(err instanceof EmsError)) throw err;
      await db
        .update(shipments)
        .set({ lastError: `${err.retCode} ${err.retMsg}`.slice(0, 500) })
        .where(eq(shipments.id, s.id));
      if (!err.retryable) throw new PermanentJobError(`EMS refused the order: ${err.retCode} ${err.retMsg}`);
      throw err;
    }
  }

  app.jobs.define<{ shipmentId: string }>({
    name: CREATE_EMS_ORDER,
    // EMS down for a day loses nothing: retried on the outage schedule (about four days in all).
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    expireInSeconds: jobTimeoutSeconds(app.config.ems.timeoutMs),
    // Each poller takes a batch per 0.5 s at most: 4 × 100 keeps up with a surge (see `pnpm bench`, jobs.ems).
    batchSize: 100,
    workers: 4,
    async handle({ shipmentId }) {
      // Our own ids; a malformed one must not fail the others' statement.
      if (!UUID.test(shipmentId)) throw new Error(`not a shipment id: ${shipmentId}`);
      const s = await loadShipment.run(shipmentId);
      if (!s) return;
      // Ordered already (a re-run): skip EMS, still tell the listeners (their steps are idempotent).
      const ordered = s.waybillNo ? s : await order(s);
      for (const listener of app.shipmentListeners.ordered) await listener(ordered);
    },
  });

  app.jobs.define<{ waybillNo: string }>({
    name: POLL_EMS_TRACKING,
    // The sweep asks again once the leg is still silent, so a few quick retries are enough.
    retrySchedule: [5, 10, 20],
    expireInSeconds: jobTimeoutSeconds(app.config.ems.timeoutMs),
    batchSize: 20,
    workers: 1,
    async handle({ waybillNo }) {
      let events: EmsTrackEvent[];
      try {
        // Outside the transaction: never hold a database connection across a call to EMS.
        events = (await app.ems.queryTracking(waybillNo)).filter((e) => e.waybillNo === waybillNo);
      } catch (err) {
        if (err instanceof EmsError && !err.retryable) {
          throw new PermanentJobError(`EMS refused the query: ${err.retCode} ${err.retMsg}`);
        }
        throw err;
      }
      await db.transaction(async (tx) => {
        await applyTrackEvents(app, tx, events);
        // Heard, even when nothing was new: the leg is not silent for another while.
        await tx.update(shipments).set({ lastHeardAt: sql`now()` }).where(eq(shipments.waybillNo, waybillNo));
      });
    },
  });
}

/** Legs that can still move; delivered, returned and cancelled ones have nothing more to say. */
const FINAL_STATUSES = ['delivered', 'returned', 'cancelled'];
/** Legs enqueued per sweep at most; the rest wait for the next sweep (a minute later). */
const POLL_SWEEP_LIMIT = 500;

/**
 * Finds legs EMS has been silent about for `tracking.silentAfterMinutes` (pushes lost, or held on EMS's side)
 * and enqueues a 040001 query for each. One job per waybill per silent period (pg-boss singleton), so sweeps
 * on N instances, or a sweep while a query is still queued, ask EMS once. Returns how many were enqueued.
 */
export async function pollSilentShipments(app: FastifyInstance, now = new Date()): Promise<number> {
  const { silentAfterMinutes } = app.config.tracking;
  const silentSince = new Date(now.getTime() - silentAfterMinutes * 60_000);
  const heard = sql`coalesce(${shipments.lastHeardAt}, ${shipments.orderedAt})`;
  const silent = await app.database.db
    .select({ waybillNo: shipments.waybillNo })
    .from(shipments)
    .where(
      and(
        isNotNull(shipments.waybillNo),
        notInArray(shipments.status, FINAL_STATUSES),
        // As text: a Date bound to an expression (not a column) is not serialised by postgres.js.
        sql`${heard} < ${silentSince.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(heard)
    .limit(POLL_SWEEP_LIMIT);
  let enqueued = 0;
  for (const { waybillNo } of silent) {
    const id = await app.jobs.enqueue(
      app.database.db,
      POLL_EMS_TRACKING,
      { waybillNo },
      { singletonKey: waybillNo!, singletonSeconds: silentAfterMinutes * 60 },
    );
    if (id) enqueued++;
  }
  return enqueued;
}

const POLL_SWEEP_EVERY_MS = 60_000;

/** Sweeps for silent legs every minute once the app is ready. */
export function scheduleShipmentPolling(app: FastifyInstance): void {
  scheduleSweep(app, 'silent EMS legs', POLL_SWEEP_EVERY_MS, () => pollSilentShipments(app));
}

/** Stands in for a sealed proxy ID in a rebuilt history: flags need to know one was recorded, never what it is. */
const SEALED_ID = '(sealed)';

const asDate = (d: Date | string | null) => (d === null || d instanceof Date ? d : new Date(d));
const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
const sameFlags = (a: readonly ShipmentFlag[], b: readonly ShipmentFlag[]) =>
  a.length === b.length &&
  a.every((f, i) => f.code === b[i]!.code && f.at === b[i]!.at && f.detail === b[i]!.detail);

/** A PostgreSQL text[] literal of waybill numbers, bound as one parameter; only letters and digits get in. */
function textArray(values: readonly string[]): string {
  if (!values.every((v) => /^[0-9A-Z]+$/.test(v))) throw new Error('waybill numbers are letters and digits');
  return `{${values.join(',')}}`;
}

/**
 * Stores tracking events, each once (pushes repeat and arrive out of order), then recomputes every waybill they
 * touch from its whole history (effectiveTimeline: reversals void what they reverse): status, deliveredAt,
 * flags, lastHeardAt. A proxy's ID number is sealed into signer_id_sealed and kept out of `raw`.
 *
 * This is the push hot path: three statements whatever the batch size (insert with lock, history, one
 * UPDATE … FROM), each with one parameter. The shipment rows are locked (in id order) before the history is
 * read, so two concurrent pushes for one waybill recompute one after the other, the second seeing the first's
 * events (READ COMMITTED).
 */
export async function storeTrackEvents(
  tx: DatabaseOrTransaction,
  deps: { pii: PiiCipher },
  events: readonly EmsTrackEvent[],
): Promise<{ stored: number; changed: ShipmentChange[] }> {
  // One row per key, in key order: concurrent inserts then take unique-index locks in the same order.
  const byKey = new Map(events.map((e) => [eventKey(e), e]));
  if (byKey.size === 0) return { stored: 0, changed: [] };
  const rows = [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, e]) => {
      const { signerIdNo, ...raw } = e;
      return {
        event_key: key,
        waybill_no: e.waybillNo,
        op_code: e.opCode,
        op_name: e.opName,
        op_time: parseEmsTime(e.opTime).toISOString(),
        status: unifiedStatus(e.opCode) ?? 'reversal',
        deliver_code: e.deliverCode || null,
        attempt_delivery_code: e.attemptDeliveryCode || null,
        org_name: e.opOrgName,
        signer_relation: e.signerRelation || null,
        signer_id_sealed: signerIdNo
          ? deps.pii.encrypt(signerIdNo, `shipment_events/${key}/signer_id`)
          : null,
        raw,
      };
    });
  // Insert and lock in one statement (one round trip fewer per push). The lock is still taken after the
  // insert, and the history is read by the next statement, whose snapshot sees whatever a concurrent push
  // committed while we waited for the lock.
  const result = rowsOf<LegRow & { stored: number }>(
    await tx.execute(sql`
      with ins as (
        insert into ${shipmentEvents} (event_key, waybill_no, op_code, op_name, op_time, status, deliver_code,
          attempt_delivery_code, org_name, signer_relation, signer_id_sealed, raw)
        select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(event_key text, waybill_no text,
          op_code text, op_name text, op_time timestamptz, status text, deliver_code text,
          attempt_delivery_code text, org_name text, signer_relation text, signer_id_sealed text, raw jsonb)
        on conflict (event_key) do nothing
        returning waybill_no)
      select (select count(*) from ins)::int as stored, l.waybill_no, l.status, l.delivered_at, l.flags
      from (select 1) as one
      left join (
        select ${shipments.id}, ${shipments.waybillNo}, ${shipments.status}, ${shipments.deliveredAt}, ${shipments.flags}
        from ${shipments}
        where ${shipments.waybillNo} in (select waybill_no from ins)
        order by ${shipments.id}
        for update
      ) as l on true`),
  );
  const stored = result[0]?.stored ?? 0;
  const before = result.filter((r) => r.waybill_no !== null);
  if (before.length === 0) return { stored, changed: [] }; // nothing new, or not our waybills (yet)
  return { stored, changed: await recomputeLegs(tx, before) };
}

/** A leg as locked before recomputing it (raw row). */
interface LegRow {
  waybill_no: string;
  status: string;
  delivered_at: Date | string | null;
  flags: ShipmentFlag[];
}

/**
 * Brings legs up to date with every event stored for them (status, delivery time, flags) and returns those
 * that changed. Also run when a waybill is saved, for events EMS pushed before our order job recorded it.
 */
export async function refreshLegs(
  tx: DatabaseOrTransaction,
  waybills: readonly string[],
): Promise<ShipmentChange[]> {
  const before = rowsOf<LegRow>(
    await tx.execute(sql`
      select ${shipments.waybillNo}, ${shipments.status}, ${shipments.deliveredAt}, ${shipments.flags}
      from ${shipments}
      where ${shipments.waybillNo} = any(${textArray(waybills)}::text[])
      order by ${shipments.id}
      for update`),
  );
  if (before.length === 0) return []; // not our waybills (yet)
  return recomputeLegs(tx, before);
}

/** Recomputes legs locked by the caller from their whole history; returns those that changed. */
async function recomputeLegs(
  tx: DatabaseOrTransaction,
  before: readonly LegRow[],
): Promise<ShipmentChange[]> {
  // Only what the timeline needs, not the whole raw JSON: this reads every event of every touched leg.
  const history = rowsOf<{
    waybill_no: string;
    op_code: string;
    op_name: string | null;
    op_time: string;
    org_code: string | null;
    deliver_code: string | null;
    attempt_delivery_code: string | null;
    signer_relation: string | null;
    signer_id: boolean;
  }>(
    await tx.execute(sql`
      select waybill_no, op_code, op_name, raw->>'opTime' as op_time, raw->>'opOrgCode' as org_code,
        deliver_code, attempt_delivery_code, signer_relation, signer_id_sealed is not null as signer_id
      from ${shipmentEvents}
      where waybill_no = any(${textArray(before.map((b) => b.waybill_no))}::text[])
      order by id`),
  );
  const eventsOf = new Map<string, EmsTrackEvent[]>();
  for (const h of history) {
    const list = eventsOf.get(h.waybill_no) ?? [];
    if (list.length === 0) eventsOf.set(h.waybill_no, list);
    list.push({
      waybillNo: h.waybill_no,
      opTime: h.op_time,
      opCode: h.op_code,
      opName: h.op_name ?? '',
      opDesc: '',
      opOrgProvName: '',
      opOrgCity: '',
      opOrgCode: h.org_code ?? '',
      opOrgName: '',
      operatorNo: '',
      operatorName: '',
      deliverCode: h.deliver_code ?? undefined,
      attemptDeliveryCode: h.attempt_delivery_code ?? undefined,
      signerRelation: h.signer_relation ?? undefined,
      signerIdNo: h.signer_id ? SEALED_ID : undefined,
    });
  }

  const after = before.map((b) => {
    const timeline = effectiveTimeline(eventsOf.get(b.waybill_no) ?? []);
    return {
      waybill_no: b.waybill_no,
      status: currentStatus(timeline),
      delivered_at: deliveredAt(timeline)?.toISOString() ?? null,
      flags: deliveryFlags(timeline),
    };
  });
  const updated = await tx
    .update(shipments)
    .set({
      status: sql`v.status`,
      deliveredAt: sql`v.delivered_at`,
      flags: sql`v.flags`,
      lastHeardAt: sql`now()`,
    })
    .from(
      sql`jsonb_to_recordset(${JSON.stringify(after)}::jsonb) as v(waybill_no text, status text, delivered_at timestamptz, flags jsonb)`,
    )
    .where(sql`${shipments.waybillNo} = v.waybill_no`)
    .returning(getTableColumns(shipments));

  const previous = new Map(before.map((b) => [b.waybill_no, b]));
  const changed: ShipmentChange[] = [];
  for (const shipment of updated) {
    const was = previous.get(shipment.waybillNo!)!;
    if (
      was.status !== shipment.status ||
      !sameInstant(asDate(was.delivered_at), shipment.deliveredAt) ||
      !sameFlags(was.flags, shipment.flags)
    ) {
      changed.push({ shipment, previousStatus: was.status });
    }
  }
  return changed;
}

/**
 * Stores events and tells the features that own the changed legs, in the caller's transaction: a listener
 * that fails rolls the events back too, so the push is refused and EMS sends it again (nothing half-stored).
 */
export async function applyTrackEvents(
  app: FastifyInstance,
  tx: DatabaseOrTransaction,
  events: readonly EmsTrackEvent[],
): Promise<{ stored: number; changed: ShipmentChange[] }> {
  const result = await storeTrackEvents(tx, app, events);
  await notifyShipmentChanges(app, tx, result.changed);
  return result;
}
