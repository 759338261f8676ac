import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** A person signed in through WeChat. Name and ID number are sealed (AES-256-GCM), never stored in the clear. */
export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  openid: text('openid').notNull().unique(),
  unionid: text('unionid'),
  roles: text('roles').array().notNull().default(sql`'{resident}'::text[]`),
  consentVersion: text('consent_version'),
  consentAt: timestamp('consent_at', { withTimezone: true }),
  nameSealed: text('name_sealed'),
  idNumberSealed: text('id_number_sealed'),
  realNameAt: timestamp('real_name_at', { withTimezone: true }),
  /** Staff only: the 工号 a resident checks at the door, and the work phone they call (sealed). */
  staffNo: text('staff_no').unique(),
  phoneSealed: text('phone_sealed'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type User = typeof users.$inferSelect;
