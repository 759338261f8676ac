import type { BindingStatus, ClaimChannel, EnterpriseRole, EnterpriseSizeClass } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bookings } from './bookings';
import { cases } from './cases';
import { users } from './users';

/**
 * An enterprise as the registry (企业登记信息) confirmed it when someone first bound to it. Public registry data:
 * the legal representative appears only masked, as the registry gives it.
 */
export const enterprises = pgTable('enterprises', {
  /** 统一社会信用代码, upper case. */
  creditCode: text('credit_code').primaryKey(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  legalRepresentativeMasked: text('legal_representative_masked').notNull(),
  /** The code fails the GB 32100 check character (an early pilot-era code): legal, shown with a warning. */
  pilotCode: boolean('pilot_code').notNull().default(false),
  lookedUpAt: timestamp('looked_up_at', { withTimezone: true }).notNull().defaultNow(),
});
export type Enterprise = typeof enterprises.$inferSelect;

/**
 * 企业绑定: a person acting for an enterprise. The legal representative binds at once as its admin; anyone else
 * asks (pending) and the admin approves or refuses; an admin may revoke a clerk. A person has at most one live
 * (pending or active) binding per enterprise; refused and revoked ones stay as history.
 */
export const enterpriseMembers = pgTable(
  'enterprise_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    creditCode: text('credit_code')
      .notNull()
      .references(() => enterprises.creditCode),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').$type<EnterpriseRole>().notNull(),
    status: text('status').$type<BindingStatus>().notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** The admin who approved, refused or revoked (null for the legal representative's own binding). */
    decidedBy: uuid('decided_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('enterprise_members_live_idx')
      .on(t.creditCode, t.userId)
      .where(sql`${t.status} in ('pending', 'active')`),
    index('enterprise_members_user_idx').on(t.userId, t.requestedAt),
    check('enterprise_members_role_check', sql`${t.role} in ('admin', 'clerk')`),
    check('enterprise_members_status_check', sql`${t.status} in ('pending', 'active', 'refused', 'revoked')`),
  ],
);
export type EnterpriseMember = typeof enterpriseMembers.$inferSelect;

/**
 * 免申即享 policy round (政策批次) the platform published. Its screened list is imported by a job in one
 * transaction (all or nothing): `open` once every row is in.
 */
export const subsidyRounds = pgTable('subsidy_rounds', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The platform's round id. */
  platformRoundId: text('platform_round_id').notNull().unique(),
  name: text('name').notNull(),
  rule: text('rule').notNull(),
  /**
   * The rule as a rate of last year's subsidy (e.g. 50), when the platform publishes one: enterprises the
   * screening missed may then claim by post (邮寄申领), the amount computed from what they state.
   */
  ratePercent: integer('rate_percent'),
  matterCode: text('matter_code').notNull(),
  deadline: timestamp('deadline', { withTimezone: true }).notNull(),
  listSize: integer('list_size').notNull(),
  status: text('status').$type<'importing' | 'open'>().notNull().default('importing'),
  importedRows: integer('imported_rows'),
  importedAt: timestamp('imported_at', { withTimezone: true }),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
export type SubsidyRound = typeof subsidyRounds.$inferSelect;

/** One enterprise on a round's screened list: the amount and how the platform computed it. */
export const subsidyScreened = pgTable(
  'subsidy_screened',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => subsidyRounds.id),
    creditCode: text('credit_code').notNull(),
    enterpriseName: text('enterprise_name').notNull(),
    amountFen: integer('amount_fen').notNull(),
    basis: text('basis').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.roundId, t.creditCode] }),
    index('subsidy_screened_code_idx').on(t.creditCode),
  ],
);

/**
 * An enterprise's confirmation of a screened amount: it becomes the enterprise's case (APPLY_TYPE 1) on the
 * platform. One per enterprise and round. The bank account is sealed; only its last four digits are kept clear.
 */
export const subsidyConfirmations = pgTable(
  'subsidy_confirmations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => subsidyRounds.id),
    creditCode: text('credit_code')
      .notNull()
      .references(() => enterprises.creditCode),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    amountFen: integer('amount_fen').notNull(),
    sizeClass: text('size_class').$type<EnterpriseSizeClass>().notNull(),
    headcount: integer('headcount').notNull(),
    bankName: text('bank_name').notNull(),
    bankAccountSealed: text('bank_account_sealed').notNull(),
    bankAccountLast4: text('bank_account_last4').notNull(),
    contactPhoneSealed: text('contact_phone_sealed').notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('subsidy_confirmations_round_code_idx').on(t.roundId, t.creditCode),
    uniqueIndex('subsidy_confirmations_case_idx').on(t.caseId),
  ],
);
export type SubsidyConfirmation = typeof subsidyConfirmations.$inferSelect;

/** Deadline reminders sent (one per round and person): the sweep never sends twice. */
export const subsidyReminders = pgTable(
  'subsidy_reminders',
  {
    roundId: uuid('round_id')
      .notNull()
      .references(() => subsidyRounds.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    creditCode: text('credit_code').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.userId, t.creditCode] })],
);

/**
 * 邮寄申领: an enterprise not on a round's screened list claims with materials. One per enterprise and round
 * (a retry with the same Idempotency-Key answers the same claim). It becomes the enterprise's case (APPLY_TYPE
 * 1, the clerk as operator); the materials travel by EMS pickup (shipmentId), a door visit (bookingId), or the
 * enterprise's own post with a cover sheet (coverCode) the centre enters on arrival (materialsReceivedAt).
 * Bank account, contact and address are sealed.
 */
export const subsidyClaims = pgTable(
  'subsidy_claims',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => subsidyRounds.id),
    creditCode: text('credit_code')
      .notNull()
      .references(() => enterprises.creditCode),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    idempotencyKey: text('idempotency_key').notNull(),
    requestHash: text('request_hash').notNull(),
    channel: text('channel').$type<ClaimChannel>().notNull(),
    lastYearFen: integer('last_year_fen').notNull(),
    ratePercent: integer('rate_percent').notNull(),
    amountFen: integer('amount_fen').notNull(),
    headcount: integer('headcount').notNull(),
    bankName: text('bank_name').notNull(),
    bankAccountSealed: text('bank_account_sealed').notNull(),
    bankAccountLast4: text('bank_account_last4').notNull(),
    contactSealed: text('contact_sealed').notNull(),
    addressSealed: text('address_sealed').notNull(),
    /** The centre the materials go to. An outlet id by value (the catalogue sync replaces outlets). */
    centreOutletId: text('centre_outlet_id').notNull(),
    /** Self-post: the 12-digit code on the printed cover sheet. */
    coverCode: text('cover_code').unique(),
    bookingId: uuid('booking_id').references(() => bookings.id),
    shipmentId: uuid('shipment_id'),
    /** The centre entered the cover sheet's code: the materials are on its desk. */
    materialsReceivedAt: timestamp('materials_received_at', { withTimezone: true }),
    receivedBy: uuid('received_by').references(() => users.id),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('subsidy_claims_round_code_idx').on(t.roundId, t.creditCode),
    uniqueIndex('subsidy_claims_case_idx').on(t.caseId),
    check('subsidy_claims_channel_check', sql`${t.channel} in ('ems_pickup', 'door_visit', 'self_post')`),
  ],
);
export type SubsidyClaim = typeof subsidyClaims.$inferSelect;
