import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Stage events from the government platform (callbacks and polls), each stored once. */
export const govCaseEvents = pgTable(
  'gov_case_events',
  {
    eventId: text('event_id').primaryKey(),
    projId: text('proj_id').notNull(),
    ourId: text('our_id').notNull(),
    stage: text('stage').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('gov_case_events_proj_idx').on(t.projId, t.occurredAt),
    // A stage learnt by polling (no event id) and later by callback is the same event: one row.
    uniqueIndex('gov_case_events_natural_idx').on(t.projId, t.stage, t.occurredAt),
  ],
);

/** Nonces of signed callbacks seen within the replay window; shared by every BFF instance. */
export const govNonces = pgTable('gov_nonces', {
  nonce: text('nonce').primaryKey(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
});
