import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './users';

export type CaseStatus =
  | 'submitting'
  | 'received'
  | 'in_progress'
  | 'supplement_required'
  | 'suspended'
  | 'completed'
  | 'result_shipping'
  | 'delivered'
  | 'refused'
  | 'returned';

/**
 * A government case (办件) as we follow it, from the moment the materials are collected. Its id is the id we
 * gave the platform (ourId: the booking's id), so the booking, the platform's PROJID and every EMS leg whose
 * subject is that id make one timeline. The row holds the current state derived from the platform's stage
 * events (latest by occurredAt wins, so late or out-of-order callbacks cannot move it backwards) and the
 * deadlines computed on the official working-day calendar.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    bookingId: uuid('booking_id'),
    /** PROJID; null until the platform has taken the submission. */
    projId: text('proj_id').unique(),
    matterCode: text('matter_code').notNull(),
    matterName: text('matter_name').notNull(),
    promisedWorkingDays: integer('promised_working_days').notNull(),
    status: text('status').$type<CaseStatus>().notNull().default('submitting'),
    /** The platform's stage code (1, 2, 3, 4, 11, 12, 99) and when it was reached. */
    stage: text('stage'),
    stageAt: timestamp('stage_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    /** End (Beijing) of the promised working day: acceptance + promisedWorkingDays. */
    promisedBy: timestamp('promised_by', { withTimezone: true }),
    promisedProvisional: boolean('promised_provisional').notNull().default(false),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    result: jsonb('result').$type<{
      kind: 'physical' | 'electronic';
      documentName: string;
      issuedAt: string;
    }>(),
    /** Result delivery deadline: end of the 2nd working day after issue (送达时限). */
    deliverBy: timestamp('deliver_by', { withTimezone: true }),
    deliverByProvisional: boolean('deliver_by_provisional').notNull().default(false),
    resultShipmentId: uuid('result_shipment_id'),
    supplement: jsonb('supplement').$type<{
      items: { name: string; reason: string; materialId?: string }[];
      requestedAt: string;
      deadline: string;
    }>(),
    /** 不予受理 / 退件 / 挂起 reason. */
    reason: text('reason'),
    /** Last time the platform told us anything (callback or poll): silent cases are polled. */
    lastHeardAt: timestamp('last_heard_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cases_user_idx').on(t.userId, t.createdAt),
    index('cases_status_heard_idx').on(t.status, t.lastHeardAt),
  ],
);
export type Case = typeof cases.$inferSelect;

/**
 * Postage the government pays, one row per piece (计件), for monthly settlement with the post (政府买单).
 * One row per shipment, written when EMS gives the waybill.
 */
export const settlementItems = pgTable('settlement_items', {
  shipmentId: uuid('shipment_id').primaryKey(),
  caseId: uuid('case_id').notNull(),
  waybillNo: text('waybill_no').notNull(),
  leg: text('leg').notNull(),
  payer: text('payer').$type<'government'>().notNull().default('government'),
  basis: text('basis').$type<'per_piece' | 'flat_rate'>().notNull().default('per_piece'),
  amountFen: integer('amount_fen').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One-time subscribe-message grants (一次性订阅): each "accept" in WeChat's dialog allows one message of that
 * template. We send only against a grant, so nobody gets a message they did not agree to.
 */
export const subscribeGrants = pgTable(
  'subscribe_grants',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    remaining: integer('remaining').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);
