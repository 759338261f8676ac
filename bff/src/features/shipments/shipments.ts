import { eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { shipmentEvents, shipments } from '../../db/schema';
import { EmsError, type EmsParty } from '../../integrations/ems/client';
import {
  currentStatus,
  type EmsTrackEvent,
  eventKey,
  parseEmsTime,
  unifiedStatus,
} from '../../integrations/ems/tracking';
import type { JobQueue } from '../../jobs/queue';
import { PermanentJobError } from '../../jobs/queue';
import type { PiiCipher } from '../../lib/pii';

export const CREATE_EMS_ORDER = 'ems.create-order';

type Shipment = typeof shipments.$inferSelect;
/** Features that own a leg hear when its waybill exists (e.g. a booking's materials are handed over). */
const orderedListeners = new WeakMap<FastifyInstance, ((s: Shipment) => Promise<void>)[]>();
export function onShipmentOrdered(app: FastifyInstance, listener: (s: Shipment) => Promise<void>): void {
  orderedListeners.set(app, [...(orderedListeners.get(app) ?? []), listener]);
}

/** A leg whose status, delivery time or flags changed with the events just stored. */
export interface ShipmentChange {
  /** The row after the change. */
  shipment: Shipment;
  previousStatus: string;
}
/**
 * Features that own a leg hear of its changes inside the transaction that stored the events, so what they do
 * (a case delivered, a notification queued) commits with the events or not at all.
 */
type ChangeListener = (tx: DatabaseOrTransaction, changes: readonly ShipmentChange[]) => Promise<void>;
const changeListeners = new WeakMap<FastifyInstance, ChangeListener[]>();
export function onShipmentChanged(app: FastifyInstance, listener: ChangeListener): void {
  changeListeners.set(app, [...(changeListeners.get(app) ?? []), listener]);
}
export async function notifyShipmentChanges(
  app: FastifyInstance,
  tx: DatabaseOrTransaction,
  changes: readonly ShipmentChange[],
): Promise<void> {
  if (changes.length === 0) return;
  for (const listener of changeListeners.get(app) ?? []) await listener(tx, changes);
}

export type ShipmentLeg = (typeof shipments.$inferInsert)['leg'];

const partiesContext = (id: string, role: 'sender' | 'receiver') => `shipments/${id}/${role}`;

/**
 * Records an EMS leg and enqueues the order for it, in the caller's transaction: the order is created after
 * the state change commits, or not at all. Returns our order number (EMS `logisticsOrderNo`).
 */
export async function requestShipment(
  tx: DatabaseOrTransaction,
  deps: { jobs: JobQueue; pii: PiiCipher },
  params: {
    leg: ShipmentLeg;
    subjectId: string;
    sender: EmsParty;
    receiver: EmsParty;
    weightGrams?: number;
    /** The courier collects at the sender's door (上门揽收) within this window. */
    pickup: { from: Date; to: Date };
  },
): Promise<string> {
  const id = crypto.randomUUID();
  await tx.insert(shipments).values({
    id,
    leg: params.leg,
    subjectId: params.subjectId,
    senderSealed: deps.pii.encrypt(JSON.stringify(params.sender), partiesContext(id, 'sender')),
    receiverSealed: deps.pii.encrypt(JSON.stringify(params.receiver), partiesContext(id, 'receiver')),
    weightGrams: params.weightGrams ?? 500,
    pickupFrom: params.pickup.from,
    pickupTo: params.pickup.to,
  });
  await deps.jobs.enqueue(tx, CREATE_EMS_ORDER, { shipmentId: id });
  return id;
}

/** EMS order numbers are compact: our UUID without dashes (32 chars). */
export const logisticsOrderNo = (shipmentId: string) => shipmentId.replaceAll('-', '');

export function defineShipmentJobs(app: FastifyInstance): void {
  const { db } = app.database;

  async function order(s: Shipment): Promise<Shipment> {
    try {
      const order = await app.ems.createOrder({
        logisticsOrderNo: logisticsOrderNo(s.id),
        ecommerceUserId: s.subjectId.slice(0, 50),
        weight: s.weightGrams,
        pickupType: '1',
        pickupPreBeginTime: s.pickupFrom ?? undefined,
        pickupPreEndTime: s.pickupTo ?? undefined,
        paymentMode: '1', // 寄付月结: the government pays (政府买单)
        sender: JSON.parse(app.pii.decrypt(s.senderSealed, partiesContext(s.id, 'sender'))) as EmsParty,
        receiver: JSON.parse(app.pii.decrypt(s.receiverSealed, partiesContext(s.id, 'receiver'))) as EmsParty,
        cargos: [{ cargoName: '政务材料', cargoQuantity: 1 }],
      });
      const [ordered] = await db
        .update(shipments)
        .set({ waybillNo: order.waybillNo, orderedAt: sql`now()`, lastError: null })
        .where(eq(shipments.id, s.id))
        .returning();
      return ordered!;
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
    // EMS down for a while loses nothing: backoff 1-2 s, 2-4 s, 4-8 s … keeps trying for about 9 hours.
    retryLimit: 14,
    retryDelaySeconds: 1,
    // Each poller takes a batch per 0.5 s at most: 4 × 100 keeps up with a surge (see `pnpm bench`, jobs.ems).
    batchSize: 100,
    workers: 4,
    async handle({ shipmentId }) {
      const [s] = await db.select().from(shipments).where(eq(shipments.id, shipmentId));
      if (!s) return;
      // Ordered already (a re-run): skip EMS, still tell the listeners (their steps are idempotent).
      const ordered = s.waybillNo ? s : await order(s);
      for (const listener of orderedListeners.get(app) ?? []) await listener(ordered);
    },
  });
}

/**
 * Stores tracking events, each once (pushes repeat and arrive out of order), and moves each affected
 * shipment to the status its whole event history implies (reversals included). Returns how many were new.
 */
export async function storeTrackEvents(
  db: DatabaseOrTransaction,
  events: readonly EmsTrackEvent[],
): Promise<number> {
  if (events.length === 0) return 0;
  const inserted = await db
    .insert(shipmentEvents)
    .values(
      events.map((e) => ({
        eventKey: eventKey(e),
        waybillNo: e.waybillNo,
        opCode: e.opCode,
        opName: e.opName,
        opTime: parseEmsTime(e.opTime),
        status: unifiedStatus(e.opCode) ?? 'reversal',
        deliverCode: e.deliverCode || null,
        attemptDeliveryCode: e.attemptDeliveryCode || null,
        orgName: e.opOrgName,
        raw: e,
      })),
    )
    .onConflictDoNothing({ target: shipmentEvents.eventKey })
    .returning({ waybillNo: shipmentEvents.waybillNo });
  const waybills = [...new Set(inserted.map((r) => r.waybillNo))];
  if (waybills.length === 0) return 0;
  const history = await db
    .select({ raw: shipmentEvents.raw, waybillNo: shipmentEvents.waybillNo })
    .from(shipmentEvents)
    .where(inArray(shipmentEvents.waybillNo, waybills));
  for (const waybillNo of waybills) {
    const status = currentStatus(
      history.filter((h) => h.waybillNo === waybillNo).map((h) => h.raw as EmsTrackEvent),
    );
    await db.update(shipments).set({ status }).where(eq(shipments.waybillNo, waybillNo));
  }
  return inserted.length;
}
