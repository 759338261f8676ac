import type { MissingItem, WindowAppointmentStatus, WindowIntakeStatus } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import {
  check,
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
import { cases } from './cases';
import { outlets } from './catalogue';
import { users } from './users';

export const windowAppointmentNumbers = pgSequence('window_appointment_number_seq', { startWith: 1 });

/**
 * Window slots of a post office (网点就近办): shorter than door-visit windows and kept apart from them (the
 * same outlet's agents and its window are different queues). `booked` never exceeds `capacity`.
 */
export const windowSlots = pgTable(
  'window_slots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    outletId: text('outlet_id').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    capacity: integer('capacity').notNull(),
    booked: integer('booked').notNull().default(0),
  },
  (t) => [
    uniqueIndex('window_slots_outlet_start_idx').on(t.outletId, t.startsAt),
    check('window_slots_capacity_check', sql`${t.booked} between 0 and ${t.capacity}`),
  ],
);

/** A resident's window appointment (预约到网点办理). The matter is a snapshot, as for door visits. */
export const windowAppointments = pgTable(
  'window_appointments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key').notNull(),
    outletId: text('outlet_id')
      .notNull()
      .references(() => outlets.id),
    slotId: uuid('slot_id')
      .notNull()
      .references(() => windowSlots.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    matterCode: text('matter_code').notNull(),
    matterName: text('matter_name').notNull(),
    status: text('status').$type<WindowAppointmentStatus>().notNull().default('booked'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('window_appointments_user_key_idx').on(t.userId, t.idempotencyKey),
    index('window_appointments_outlet_day_idx').on(t.outletId, t.startsAt),
    index('window_appointments_user_idx').on(t.userId, t.createdAt),
    /** The reminder and no-show sweeps look at booked appointments only, by their slot. */
    index('window_appointments_booked_idx').on(t.startsAt, t.endsAt).where(sql`${t.status} = 'booked'`),
    check(
      'window_appointments_status_check',
      sql`${t.status} in ('booked', 'served', 'cancelled', 'no_show')`,
    ),
  ],
);
export type WindowAppointment = typeof windowAppointments.$inferSelect;

/**
 * One applicant served at a window by a clerk: an appointment or a walk-in. The applicant as checked at the
 * window (name, ID number, phone, address) is sealed. A review with anything missing ends it 材料不齐 with one
 * list (一次性告知); a complete one collects the materials and opens the outlet-window case. The receipt's
 * 查询码 comes from the platform with the case number.
 */
export const windowIntakes = pgTable(
  'window_intakes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    outletId: text('outlet_id')
      .notNull()
      .references(() => outlets.id),
    clerkId: uuid('clerk_id')
      .notNull()
      .references(() => users.id),
    /** One intake per appointment. */
    appointmentId: uuid('appointment_id')
      .references(() => windowAppointments.id)
      .unique(),
    /** The resident's account (appointments); null for a walk-in. */
    userId: uuid('user_id').references(() => users.id),
    matterCode: text('matter_code').notNull(),
    matterName: text('matter_name').notNull(),
    matterVersion: text('matter_version').notNull(),
    /** JSON {name, idNumber, phone, address}, sealed. */
    applicantSealed: text('applicant_sealed').notNull(),
    status: text('status').$type<WindowIntakeStatus>().notNull().default('reviewing'),
    review: jsonb('review').$type<{ materialId: string; present: boolean; copies: number }[]>(),
    missingItems: jsonb('missing_items').$type<MissingItem[]>(),
    caseId: uuid('case_id')
      .references(() => cases.id)
      .unique(),
    shipmentId: uuid('shipment_id'),
    /** 查询码 of the acceptance receipt, from the platform with the PROJID. */
    queryCode: text('query_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    collectedAt: timestamp('collected_at', { withTimezone: true }),
  },
  (t) => [
    index('window_intakes_outlet_idx').on(t.outletId, t.createdAt),
    check('window_intakes_status_check', sql`${t.status} in ('reviewing', 'incomplete', 'collected')`),
  ],
);
export type WindowIntake = typeof windowIntakes.$inferSelect;
