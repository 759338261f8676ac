import type { ShipmentFlagCode, ShipmentLeg } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { bookings } from './bookings';
import { cases } from './cases';

/** Something about a leg a supervisor must see (未妥投, 他人代收 without relation/ID, 驿站/门卫, 退回, 异常). */
export interface ShipmentFlag {
  code: ShipmentFlagCode;
  /** opTime of the event that raised it (ISO). */
  at: string;
  /** Plain Chinese, e.g. 未妥投：收件人不在. */
  detail: string;
}

/**
 * One EMS leg (materials → centre, supplement → centre, result → applicant). Our id is EMS's
 * `logisticsOrderNo`, so a retried create never makes two orders. Sender and receiver carry names, phones
 * and addresses: sealed (AES-256-GCM) as JSON.
 */
export const shipments = pgTable(
  'shipments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    leg: text('leg').$type<ShipmentLeg>().notNull(),
    /**
     * What the leg serves, checked by the database: a case (materials, result) or a booking. Exactly the
     * column of its kind is set (later: supplement_id).
     */
    subjectKind: text('subject_kind').$type<'case' | 'booking'>().notNull(),
    caseId: uuid('case_id').references((): AnyPgColumn => cases.id),
    bookingId: uuid('booking_id').references(() => bookings.id),
    /**
     * The service centre that pays for the leg (政府买单): the materials' and supplements' destination, the
     * result's sender. Sent to EMS as projectId, so its monthly bill is split by centre. Null on legs recorded
     * before settlement existed. An outlet id by value: the catalogue sync replaces the outlets table.
     */
    centreOutletId: text('centre_outlet_id'),
    senderSealed: text('sender_sealed').notNull(),
    receiverSealed: text('receiver_sealed').notNull(),
    weightGrams: integer('weight_grams').notNull().default(500),
    pickupFrom: timestamp('pickup_from', { withTimezone: true }),
    pickupTo: timestamp('pickup_to', { withTimezone: true }),
    /** Unified status; the raw EMS codes are in shipment_events. */
    status: text('status').notNull().default('pending'),
    waybillNo: text('waybill_no').unique(),
    orderedAt: timestamp('ordered_at', { withTimezone: true }),
    lastError: text('last_error'),
    /** opTime of the effective 704 (妥投), null while not delivered (or after a 743 voided it). */
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /** Raised from the effective timeline on every change; empty when all is well. */
    flags: jsonb('flags').$type<ShipmentFlag[]>().notNull().default([]),
    /** When we last heard about this waybill (push or 040001 poll): silent legs are polled. */
    lastHeardAt: timestamp('last_heard_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('shipments_case_idx').on(t.caseId),
    index('shipments_booking_idx').on(t.bookingId),
    check(
      'shipments_subject_check',
      sql`(${t.subjectKind} = 'case' and ${t.caseId} is not null and ${t.bookingId} is null)
        or (${t.subjectKind} = 'booking' and ${t.bookingId} is not null and ${t.caseId} is null)`,
    ),
    index('shipments_status_heard_idx').on(t.status, t.lastHeardAt),
    index('shipments_centre_ordered_idx').on(t.centreOutletId, t.orderedAt),
  ],
);

/** EMS tracking events (040002 pushes and 040001 queries), each stored once by `eventKey`. */
export const shipmentEvents = pgTable(
  'shipment_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventKey: text('event_key').notNull().unique(),
    waybillNo: text('waybill_no').notNull(),
    opCode: text('op_code').notNull(),
    opName: text('op_name'),
    opTime: timestamp('op_time', { withTimezone: true }).notNull(),
    status: text('status').notNull(),
    deliverCode: text('deliver_code'),
    attemptDeliveryCode: text('attempt_delivery_code'),
    orgName: text('org_name'),
    /** On a 704 signed by someone else: their relation to the addressee (与收件人关系), as the courier recorded it. */
    signerRelation: text('signer_relation'),
    /** …and their ID number, sealed (personal data); kept out of `raw`. */
    signerIdSealed: text('signer_id_sealed'),
    raw: jsonb('raw').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('shipment_events_waybill_time_idx').on(t.waybillNo, t.opTime)],
);

/**
 * A person handled a flagged leg (called the applicant about a proxy receipt, had it re-delivered…): who, when
 * and what they did. Until then the flag is open (待处理) in supervision; a flag raised after it reopens it.
 */
export const shipmentFlagHandlings = pgTable('shipment_flag_handlings', {
  shipmentId: uuid('shipment_id')
    .primaryKey()
    .references(() => shipments.id, { onDelete: 'cascade' }),
  handledBy: uuid('handled_by').notNull(),
  handledAt: timestamp('handled_at', { withTimezone: true }).notNull().defaultNow(),
  note: text('note').notNull(),
});
