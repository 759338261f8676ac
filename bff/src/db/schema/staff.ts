import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bookings } from './bookings';
import { users } from './users';

/**
 * Where a staff member works: a postal agent's post office (网点: its door visits are theirs to take) or a
 * centre clerk's service centre (the bags it receives). Set by supervisors; one outlet per person.
 */
export const staffOutlets = pgTable('staff_outlets', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  outletId: text('outlet_id').notNull(),
  assignedBy: uuid('assigned_by'),
  assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * 交接: the sealed bag of collected door-visit materials an agent hands in at the post office, by its bag code or
 * EMS waybill, on its way to a service centre, where a clerk confirms receipt item by item (chain of custody).
 * Separate from the courier bags of 替你跑.
 */
export const handovers = pgTable(
  'handovers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => users.id),
    fromOutletId: text('from_outlet_id').notNull(),
    toCentreId: text('to_centre_id').notNull(),
    status: text('status').$type<'in_transit' | 'received'>().notNull().default('in_transit'),
    sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull().defaultNow(),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    receivedBy: uuid('received_by'),
    /** A supervisor followed up the items found missing or damaged (the finding is closed). */
    findingHandledBy: uuid('finding_handled_by'),
    findingHandledAt: timestamp('finding_handled_at', { withTimezone: true }),
    findingNote: text('finding_note'),
  },
  (t) => [
    uniqueIndex('handovers_code_idx').on(t.code),
    index('handovers_centre_idx').on(t.toCentreId, t.status),
  ],
);

/** One collected material in a handover bag, and what the centre found. */
export const handoverItems = pgTable(
  'handover_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    handoverId: uuid('handover_id')
      .notNull()
      .references(() => handovers.id, { onDelete: 'cascade' }),
    bookingId: uuid('booking_id')
      .notNull()
      .references(() => bookings.id),
    materialId: text('material_id').notNull(),
    name: text('name').notNull(),
    copies: integer('copies').notNull(),
    position: integer('position').notNull(),
    state: text('state').$type<'received' | 'missing' | 'damaged'>(),
    note: text('note'),
  },
  (t) => [
    index('handover_items_handover_idx').on(t.handoverId, t.position),
    // A collected material goes into one bag only.
    uniqueIndex('handover_items_booking_material_idx').on(t.bookingId, t.materialId),
  ],
);
