import type { WorkItemEventKind, WorkItemKind, WorkItemStatus } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { rectificationTickets } from './evaluations';
import { users } from './users';

/**
 * Supervisors' workbench (监管工作台): one row per thing that needs a person, found from the live tables
 * (breaches, flagged legs, dead-lettered jobs, stuck cases, rectification tickets). `subjectKey` names what
 * was found; at most one item per key is not closed, and a closed one is listed again only if the problem
 * arises again after it was closed. Nothing closes an item but a person (no automatic "resolved").
 */
export const workItems = pgTable(
  'work_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').$type<WorkItemKind>().notNull(),
    subjectKey: text('subject_key').notNull(),
    sourceKind: text('source_kind').notNull(),
    title: text('title').notNull(),
    detail: text('detail').notNull(),
    caseId: uuid('case_id'),
    bookingId: uuid('booking_id'),
    ticketId: uuid('ticket_id').references(() => rectificationTickets.id),
    matterName: text('matter_name'),
    caseNumber: text('case_number'),
    bookingNumber: text('booking_number'),
    waybillNo: text('waybill_no'),
    dueAt: timestamp('due_at', { withTimezone: true }),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    status: text('status').$type<WorkItemStatus>().notNull().default('open'),
    assigneeId: uuid('assignee_id').references(() => users.id),
    closedBy: uuid('closed_by').references(() => users.id),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    outcome: text('outcome'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('work_items_open_subject_idx').on(t.subjectKey).where(sql`${t.status} <> 'closed'`),
    index('work_items_subject_idx').on(t.subjectKey, t.closedAt),
    index('work_items_status_idx').on(t.status, t.kind),
    index('work_items_assignee_idx').on(t.assigneeId, t.status),
    check(
      'work_items_kind_check',
      sql`${t.kind} in ('sla_breach', 'flagged_delivery', 'logistics_exception', 'dead_letter', 'stuck_case', 'ticket')`,
    ),
    check('work_items_status_check', sql`${t.status} in ('open', 'acknowledged', 'closed')`),
    check(
      'work_items_closed_check',
      sql`${t.status} <> 'closed' or (${t.closedAt} is not null and ${t.outcome} is not null)`,
    ),
  ],
);
export type WorkItem = typeof workItems.$inferSelect;

/**
 * Every step on a work item, who and when (append-only: the migration refuses UPDATE and DELETE). `actorId`
 * is null for what the workbench found by itself.
 */
export const workItemEvents = pgTable(
  'work_item_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    itemId: uuid('item_id')
      .notNull()
      .references(() => workItems.id),
    kind: text('kind').$type<WorkItemEventKind>().notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    assigneeId: uuid('assignee_id').references(() => users.id),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('work_item_events_item_idx').on(t.itemId, t.at)],
);
export type WorkItemEventRow = typeof workItemEvents.$inferSelect;
