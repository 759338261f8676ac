import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './users';

/**
 * WeChat subscribe messages (订阅消息). `dedupeKey` makes each message at most once (e.g. `case:<id>:accepted`);
 * `not_subscribed` records WeChat's 43101 (the user did not subscribe), which is final, not retried.
 */
export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  templateId: text('template_id').notNull(),
  dedupeKey: text('dedupe_key').notNull().unique(),
  page: text('page'),
  data: jsonb('data').$type<Record<string, { value: string }>>().notNull(),
  status: text('status')
    .$type<'pending' | 'sent' | 'not_subscribed' | 'failed'>()
    .notNull()
    .default('pending'),
  errcode: integer('errcode'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
});
