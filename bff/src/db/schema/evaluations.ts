import type { CallbackOutcome, EvaluationStage, TicketStatus } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
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
import { users } from './users';

/**
 * 好差评: one evaluation per case and stage (一事一评), unique on (case, stage) so a retried submit cannot rate
 * twice. The free text is sealed (a resident may name people in it). `reportedAt` is set once the platform
 * took it (the report is a job queued in the same transaction).
 */
export const evaluations = pgTable(
  'evaluations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    stage: text('stage').$type<EvaluationStage>().notNull(),
    level: integer('level').notNull(),
    indicators: jsonb('indicators').$type<Record<string, number>>().notNull(),
    tags: jsonb('tags').$type<string[]>().notNull(),
    commentSealed: text('comment_sealed'),
    /** The door visit's agent, for on-site ratings. */
    agentId: uuid('agent_id').references(() => users.id),
    /** Hash of what was submitted: the same submit again is answered with this evaluation, a different one refused. */
    requestHash: text('request_hash').notNull(),
    voided: boolean('voided').notNull().default(false),
    reportedAt: timestamp('reported_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evaluations_case_stage_idx').on(t.caseId, t.stage),
    index('evaluations_created_idx').on(t.createdAt),
    check('evaluations_level_check', sql`${t.level} between 1 and 5`),
    check('evaluations_stage_check', sql`${t.stage} in ('visit', 'completion', 'delivery')`),
  ],
);
export type Evaluation = typeof evaluations.$inferSelect;

/**
 * The rectification ticket a bad evaluation opens (整改工单): assigned to a named staff member by a supervisor,
 * due a number of working days after the rating, closed only after a call-back (回访) with its outcome, or
 * voided through a recorded appeal (恶意差评申诉). Every step keeps who and when.
 */
export const rectificationTickets = pgTable(
  'rectification_tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    evaluationId: uuid('evaluation_id')
      .notNull()
      .unique()
      .references(() => evaluations.id),
    status: text('status').$type<TicketStatus>().notNull().default('open'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    dueDate: text('due_date').notNull(),
    dueProvisional: boolean('due_provisional').notNull(),
    assigneeId: uuid('assignee_id').references(() => users.id),
    assignedBy: uuid('assigned_by').references(() => users.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    callbackBy: uuid('callback_by').references(() => users.id),
    callbackAt: timestamp('callback_at', { withTimezone: true }),
    callbackOutcome: text('callback_outcome').$type<CallbackOutcome>(),
    callbackNote: text('callback_note'),
    /** What the resident reads on their evaluation. */
    reply: text('reply'),
    closedBy: uuid('closed_by').references(() => users.id),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    appealReason: text('appeal_reason'),
    appealBy: uuid('appeal_by').references(() => users.id),
    appealAt: timestamp('appeal_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('rectification_tickets_status_idx').on(t.status, t.dueAt),
    check(
      'rectification_tickets_closed_check',
      sql`${t.status} <> 'closed' or (${t.callbackAt} is not null and ${t.reply} is not null)`,
    ),
  ],
);
export type RectificationTicket = typeof rectificationTickets.$inferSelect;
