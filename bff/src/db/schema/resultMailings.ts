import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { cases } from './cases';
import { outlets } from './catalogue';

/**
 * 单程寄递: the result of a case applied for elsewhere (online, at a window) goes to this address by EMS, paid by
 * the government. Ordered by the resident (after the platform confirmed they are the applicant) or by the
 * service centre for many cases at once. One per case. Address and contact are personal data: sealed.
 */
export const resultMailings = pgTable(
  'result_mailings',
  {
    caseId: uuid('case_id')
      .primaryKey()
      .references(() => cases.id),
    /** window: chosen by the applicant at a post-office window (网点就近办), typed in by the outlet clerk. */
    orderedBy: text('ordered_by').$type<'resident' | 'centre' | 'window'>().notNull(),
    /** The resident, the centre clerk who sent the list, or the outlet clerk at the window. */
    orderedById: uuid('ordered_by_id').notNull(),
    /** A resident's Idempotency-Key and a hash of the request: a retry answers with the same case. */
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    /** The service centre the result leaves from (EMS sender). */
    centreOutletId: text('centre_outlet_id')
      .notNull()
      .references(() => outlets.id),
    county: text('county').notNull(),
    addressSealed: text('address_sealed').notNull(),
    contactSealed: text('contact_sealed').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('result_mailings_key_idx')
      .on(t.orderedById, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
    index('result_mailings_centre_idx').on(t.centreOutletId, t.createdAt),
    check('result_mailings_ordered_by_check', sql`${t.orderedBy} in ('resident', 'centre', 'window')`),
  ],
);
export type ResultMailing = typeof resultMailings.$inferSelect;
