import type { ApplicantKind, CaseChannel } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bookings } from './bookings';
import { outlets } from './catalogue';
import { shipments } from './shipments';
import { users } from './users';

export type CaseStatus =
  | 'awaiting_materials'
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

/** Why a case is stuck: a job working on it ran out of retries or was refused for good (dead-lettered). */
export interface CaseProblem {
  /** The job that gave up, e.g. bookings.submit-case, ems.create-order. */
  job: string;
  /** For staff and logs (no personal data): the last error. */
  detail: string;
  at: string;
}

/**
 * A government case (办件) as we follow it, from the moment it comes in (materials collected at the door, or
 * later an online application, an outlet window, an enterprise claim, a bundle). It has its own id, which is
 * the id we give the platform (ourId); cases opened before this id existed kept their booking's id. The
 * applicant is a person (the user, by resident ID) or an enterprise (by 统一社会信用代码) for which the user acts
 * as operator (经办人). Its booking, if any, is a real foreign key, and so is every EMS leg's reference to it. The row holds the current state derived from the platform's stage
 * events (latest by occurredAt wins, so late or out-of-order callbacks cannot move it backwards) and the
 * deadlines computed on the official working-day calendar.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /**
     * The person: the applicant, or the enterprise's operator (经办人). Null for a case a service centre ordered
     * result mailing for (单程寄递) whose applicant has no account with us: nobody to notify in the app.
     */
    userId: uuid('user_id').references(() => users.id),
    channel: text('channel').$type<CaseChannel>().notNull(),
    applicantKind: text('applicant_kind').$type<ApplicantKind>().notNull(),
    /** Enterprise applicants: public registry data, not personal data. */
    enterpriseName: text('enterprise_name'),
    enterpriseCreditCode: text('enterprise_credit_code'),
    bookingId: uuid('booking_id').references(() => bookings.id),
    /**
     * The service centre (政务服务中心) handling the case, when we know it: a door visit's materials go there, a
     * result mailing leaves from there. Supervisors' figures are by centre.
     */
    centreId: text('centre_id').references(() => outlets.id),
    /** 一件事一次办: the bundle booking this case is one matter of (one booking, a case per matter). */
    bundleBookingId: uuid('bundle_booking_id').references(() => bookings.id),
    /** PROJID; null until the platform has taken the submission. */
    projId: text('proj_id').unique(),
    matterCode: text('matter_code').notNull(),
    matterName: text('matter_name').notNull(),
    promisedWorkingDays: integer('promised_working_days').notNull(),
    status: text('status').$type<CaseStatus>().notNull().default('submitting'),
    /** The platform's stage code (1, 2, 3, 4, 11, 12, 99) and when it was reached. */
    stage: text('stage'),
    stageAt: timestamp('stage_at', { withTimezone: true }),
    /** When the platform took our submission (its PROJID came back); null for a case applied for elsewhere. */
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
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
    /**
     * 给付 cases (免申即享 confirmations, claims): working days from acceptance to payment (拨付), null for others.
     * payBy is the end of that Beijing day; payment is what the platform reported paid.
     */
    payWorkingDays: integer('pay_working_days'),
    payBy: timestamp('pay_by', { withTimezone: true }),
    payByProvisional: boolean('pay_by_provisional').notNull().default(false),
    payment: jsonb('payment').$type<{
      amountFen: number;
      paidOn: string;
      account: string;
      reportedAt: string;
    }>(),
    /** 不予受理 / 退件 / 挂起 reason. */
    reason: text('reason'),
    /** Work on the case is stuck (a dead-lettered job): residents see a plain sentence, supervisors a breach. */
    problem: jsonb('problem').$type<CaseProblem>(),
    /** Last time the platform told us anything (callback or poll): silent cases are polled. */
    lastHeardAt: timestamp('last_heard_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cases_user_idx').on(t.userId, t.createdAt),
    index('cases_status_heard_idx').on(t.status, t.lastHeardAt),
    // Supervisors' figures: the cases opened in a period, of one centre or of all.
    index('cases_centre_created_idx').on(t.centreId, t.createdAt),
    index('cases_created_idx').on(t.createdAt),
    uniqueIndex('cases_booking_idx').on(t.bookingId),
    uniqueIndex('cases_bundle_matter_idx').on(t.bundleBookingId, t.matterCode),
    // Each EMS order of a result moves its cases (several when a parcel carries one person's results).
    index('cases_result_shipment_idx').on(t.resultShipmentId),
    // The platform's callbacks name a case by the ourId we gave it (its id, as text; other channels' ids are
    // not UUIDs): found by this index before the PROJID is known.
    index('cases_our_id_idx').on(sql`(${t.id}::text)`),
    check(
      'cases_applicant_check',
      sql`(${t.applicantKind} = 'person' and ${t.enterpriseName} is null and ${t.enterpriseCreditCode} is null)
        or (${t.applicantKind} = 'enterprise' and ${t.enterpriseName} is not null and ${t.enterpriseCreditCode} is not null)`,
    ),
    check(
      'cases_channel_check',
      sql`${t.channel} in ('door_visit', 'online', 'outlet_window', 'enterprise_claim', 'bundle')`,
    ),
  ],
);
export type Case = typeof cases.$inferSelect;

/**
 * Postage the government pays, one row per piece (计件), for monthly settlement with the post (政府买单).
 * One row per shipment, written when EMS gives the waybill.
 */
export const settlementItems = pgTable(
  'settlement_items',
  {
    shipmentId: uuid('shipment_id')
      .primaryKey()
      .references(() => shipments.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    waybillNo: text('waybill_no').notNull(),
    leg: text('leg').notNull(),
    payer: text('payer').$type<'government'>().notNull().default('government'),
    basis: text('basis').$type<'per_piece' | 'flat_rate'>().notNull().default('per_piece'),
    amountFen: integer('amount_fen').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Supervisors' figures: the pieces ordered in a period.
    index('settlement_items_created_idx').on(t.createdAt),
  ],
);

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
