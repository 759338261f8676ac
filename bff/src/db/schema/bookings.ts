import type { BookingEventKind } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users';

export const bookingNumbers = pgSequence('booking_number_seq', { startWith: 1 });

/**
 * A door visit (上门收件). The matter is a snapshot (the catalogue can change under it). Address and contact are
 * sealed (AES-256-GCM); `county` stays clear for routing. (user, idempotency key) is unique: a retried submit
 * finds the booking it already made.
 */
export const bookings = pgTable(
  'bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key').notNull(),
    /** Hash of the request body: the same key with a different booking is a client bug, refused. */
    requestHash: text('request_hash').notNull(),
    matterCode: text('matter_code').notNull(),
    matterName: text('matter_name').notNull(),
    matterVersion: text('matter_version').notNull(),
    status: text('status').notNull(),
    windowKind: text('window_kind').$type<'asap' | 'slot'>().notNull(),
    slotId: uuid('slot_id'),
    windowStart: timestamp('window_start', { withTimezone: true }),
    windowEnd: timestamp('window_end', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    county: text('county').notNull(),
    outletId: text('outlet_id').notNull(),
    addressSealed: text('address_sealed').notNull(),
    contactSealed: text('contact_sealed').notNull(),
    entrust: jsonb('entrust').$type<{ scope: string; validUntil: string; recordedAt: string }>(),
    agentId: uuid('agent_id').references(() => users.id),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    arrivedAt: timestamp('arrived_at', { withTimezone: true }),
    review: jsonb('review').$type<{ materialId: string; present: boolean; copies: number }[]>(),
    missingItems: jsonb('missing_items').$type<{ materialId: string; name: string; reason: string }[]>(),
    caseNumber: text('case_number'),
    shipmentId: uuid('shipment_id'),
    cancelReason: text('cancel_reason'),
    /** The resident's note for the agent, sealed (it may name people or describe the door). */
    noteSealed: text('note_sealed'),
    /** The door on the map ({lat, lng}, GCJ-02), sealed like the address. */
    locationSealed: text('location_sealed'),
    /**
     * 一件事一次办: the booking is for a bundle (matterCode/Name/Version are then the bundle's); its situation
     * with the matters that apply, snapshotted, and the merged form's answers, sealed (they name the child and
     * the parents). Null for a single matter.
     */
    bundle: jsonb('bundle').$type<{
      situation: string;
      situationName: string;
      matterCodes: string[];
    }>(),
    bundleFormSealed: text('bundle_form_sealed'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('bookings_user_idempotency_idx').on(t.userId, t.idempotencyKey),
    index('bookings_user_idx').on(t.userId, t.createdAt),
    index('bookings_queue_idx').on(t.status, t.dueAt),
    // Every EMS order looks up the booking whose materials it carries.
    index('bookings_shipment_idx').on(t.shipmentId),
  ],
);

/** Every step of a booking, for its timeline. */
export const bookingEvents = pgTable(
  'booking_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<BookingEventKind>().notNull(),
    status: text('status').notNull(),
    actor: text('actor').$type<'resident' | 'agent' | 'system'>().notNull(),
    actorId: uuid('actor_id'),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('booking_events_booking_idx').on(t.bookingId, t.id)],
);

/** Visit time slots per serving outlet; `booked` never exceeds `capacity` (checked in the UPDATE that takes one). */
export const bookingSlots = pgTable(
  'booking_slots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    outletId: text('outlet_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull(),
    booked: integer('booked').notNull().default(0),
  },
  (t) => [uniqueIndex('booking_slots_outlet_start_idx').on(t.outletId, t.startsAt)],
);

/** Service-level breaches for supervisors (e.g. an "as soon as possible" visit not reached within 1 hour). */
export const slaBreaches = pgTable(
  'sla_breaches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    subjectId: uuid('subject_id').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the late step finally happened (null while still outstanding). */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    detail: jsonb('detail'),
  },
  (t) => [uniqueIndex('sla_breaches_kind_subject_idx').on(t.kind, t.subjectId)],
);

/** Every read of personal data by staff (who, whose record, which fields). */
export const piiAccessLog = pgTable('pii_access_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  staffId: uuid('staff_id').notNull(),
  subjectType: text('subject_type').notNull(),
  subjectId: uuid('subject_id').notNull(),
  fields: text('fields').array().notNull(),
  purpose: text('purpose').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().default(sql`now()`),
});

export type Booking = typeof bookings.$inferSelect;

/**
 * Photos of the materials taken at the door (they may show ID cards): stored sealed, like all personal data,
 * and shown only to the agent on the visit and to supervisors.
 */
export const bookingPhotos = pgTable(
  'booking_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id').notNull(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    sealed: text('sealed').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('booking_photos_booking_idx').on(t.bookingId)],
);
