import { sql } from 'drizzle-orm';
import {
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { cases } from './cases';
import { shipments } from './shipments';
import { users } from './users';

/** One thing to supplement, as stored: `id` is what the resident and the centre tick. */
export interface StoredSupplementItem {
  id: string;
  name: string;
  reason: string;
  specification: string | null;
  materialId?: string;
}

/**
 * A supplement request (补齐补正) of one case that a courier bag can carry: the platform's 补正 list (source
 * platform, one row per platform request, keyed by its requestedAt), what a door visit under 容缺受理 left
 * missing (door), what a door visit that ended 材料不齐 listed, sent later by bag (visit), or what the centre
 * found still missing in a bag (centre: one new complete list, 一次性告知).
 * Open until a bag carrying it is received; then received (complete) or superseded (incomplete).
 */
export const supplements = pgTable(
  'supplements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    source: text('source').$type<'platform' | 'door' | 'visit' | 'centre'>().notNull(),
    /** The platform request this belongs to (its requestedAt), for platform rows and their centre follow-ups. */
    govRequestedAt: text('gov_requested_at'),
    items: jsonb('items').$type<StoredSupplementItem[]>().notNull(),
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    status: text('status').$type<'open' | 'received' | 'superseded'>().notNull().default('open'),
    /** The incomplete supplement this list follows. */
    previousId: uuid('previous_id'),
    /**
     * 一件事一次办: one bag carries the materials several cases of a bundle application miss. Each case keeps
     * its own list (items by the bundle's merged-list id, materialId its matter's own); the bag is bound to
     * the first (the lead) and every list of the bag carries the lead's id here (the lead its own).
     */
    groupId: uuid('group_id'),
    /** When the platform took the completed supplement (pushSupplement). */
    pushedAt: timestamp('pushed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('supplements_case_idx').on(t.caseId, t.createdAt),
    index('supplements_open_deadline_idx').on(t.status, t.deadline),
    index('supplements_group_idx').on(t.groupId),
    uniqueIndex('supplements_platform_request_idx')
      .on(t.caseId, t.govRequestedAt)
      .where(sql`${t.source} = 'platform'`),
    check('supplements_source_check', sql`${t.source} in ('platform', 'door', 'visit', 'centre')`),
    check('supplements_status_check', sql`${t.status} in ('open', 'received', 'superseded')`),
  ],
);
export type Supplement = typeof supplements.$inferSelect;

/** A batch of courier bags (替你跑) staff had printed, valid to the end of a Beijing day. */
export const bagBatches = pgTable('bag_batches', {
  id: uuid('id').primaryKey().defaultRandom(),
  count: integer('count').notNull(),
  validUntil: date('valid_until', { mode: 'string' }).notNull(),
  note: text('note'),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type BagStateName = 'issued' | 'bound' | 'sent' | 'received';

/**
 * One courier bag by its code (12 Crockford base32 characters without dashes, the last 4 a keyed tag). Bound
 * once (to one supplement), sent once (its EMS leg), received once at the centre.
 */
export const bags = pgTable(
  'bags',
  {
    code: text('code').primaryKey(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => bagBatches.id),
    state: text('state').$type<BagStateName>().notNull().default('issued'),
    supplementId: uuid('supplement_id').references(() => supplements.id),
    /** Who bound it: the centre window, the agent at the door, or the resident scanning an unbound bag. */
    boundBy: text('bound_by').$type<'centre' | 'agent' | 'resident'>(),
    boundAt: timestamp('bound_at', { withTimezone: true }),
    /** Confirm: what the resident put in, how it leaves, and the idempotency key and request hash. */
    ticked: jsonb('ticked').$type<string[]>(),
    handover: jsonb('handover').$type<
      | { kind: 'pickup'; window: { start: string; end: string } }
      | { kind: 'outlet'; outletId: string; outletName: string }
    >(),
    confirmKey: text('confirm_key'),
    confirmHash: text('confirm_hash'),
    shipmentId: uuid('shipment_id').references(() => shipments.id),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    receivedBy: uuid('received_by'),
    /** Centre receipt: complete, or the items still missing (they went into a new supplement). */
    receipt: jsonb('receipt').$type<{ complete: boolean; missing: StoredSupplementItem[] }>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('bags_batch_idx').on(t.batchId),
    uniqueIndex('bags_supplement_idx').on(t.supplementId),
    uniqueIndex('bags_shipment_idx').on(t.shipmentId),
    check('bags_state_check', sql`${t.state} in ('issued', 'bound', 'sent', 'received')`),
    check(
      'bags_bound_check',
      sql`(${t.state} = 'issued') = (${t.supplementId} is null)
        and (${t.state} in ('sent', 'received')) = (${t.shipmentId} is not null)`,
    ),
  ],
);
export type Bag = typeof bags.$inferSelect;
