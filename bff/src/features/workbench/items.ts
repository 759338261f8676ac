import {
  Role,
  staffRoles,
  type WorkItemDetail,
  type WorkItemListQuery,
  type WorkItemSummary,
  workItemKindLabels,
} from '@zyt/shared';
import { and, asc, count, desc, eq, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { users, type WorkItem, workItemEvents, workItems } from '../../db/schema';
import { formatEmsTime } from '../../integrations/ems/time';
import { fitThing } from '../../integrations/wechat/subscribe';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';
import { assignTicket } from '../evaluations/tickets';
import { notifyUser } from '../notifications/notify';
import { staffLabel } from '../supervision/findings';
import { followTickets } from './sync';

export interface Actor {
  id: string;
  roles: readonly string[];
}
const isSupervisor = (a: Actor) => a.roles.includes(Role.supervisor);

/** The mini-program page an assignee is sent to. */
export const workbenchPage = (itemId: string) => `staff/pages/workbench/index?id=${itemId}`;

/** Staff labels (工号 and masked name) for the ids given; 系统 for none. */
async function labeller(db: DatabaseOrTransaction, pii: PiiCipher, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const rows = wanted.length
    ? await db
        .select({ id: users.id, staffNo: users.staffNo, nameSealed: users.nameSealed })
        .from(users)
        .where(inArray(users.id, wanted))
    : [];
  const labels = new Map(rows.map((u) => [u.id, staffLabel(u, pii)]));
  return (id: string | null) => (id ? (labels.get(id) ?? '工作人员') : '系统');
}

function summary(i: WorkItem, label: (id: string | null) => string): WorkItemSummary {
  return {
    id: i.id,
    kind: i.kind,
    sourceKind: i.sourceKind,
    status: i.status,
    title: i.title,
    detail: i.detail,
    matterName: i.matterName,
    caseNumber: i.caseNumber,
    bookingNumber: i.bookingNumber,
    waybillNo: i.waybillNo,
    dueAt: i.dueAt?.toISOString() ?? null,
    raisedAt: i.raisedAt.toISOString(),
    openedAt: i.createdAt.toISOString(),
    assignee: i.assigneeId ? { id: i.assigneeId, label: label(i.assigneeId) } : null,
    ticketId: i.ticketId,
    closed:
      i.status === 'closed' && i.closedAt
        ? { by: label(i.closedBy), at: i.closedAt.toISOString(), outcome: i.outcome ?? '' }
        : null,
  };
}

/**
 * The workbench list: supervisors see every item, other staff the items assigned to them. Not-closed items
 * first (oldest problem first), then closed ones (latest closed first).
 */
export async function listWorkItems(
  db: DatabaseOrTransaction,
  params: { actor: Actor; query: WorkItemListQuery; pii: PiiCipher },
) {
  const { actor, query } = params;
  const visible = isSupervisor(actor) ? undefined : eq(workItems.assigneeId, actor.id);
  const status = query.status ?? 'active';
  const where = and(
    visible,
    query.kind ? eq(workItems.kind, query.kind) : undefined,
    status === 'active'
      ? ne(workItems.status, 'closed')
      : status === 'all'
        ? undefined
        : eq(workItems.status, status),
    query.assignee === 'none'
      ? isNull(workItems.assigneeId)
      : query.assignee
        ? eq(workItems.assigneeId, query.assignee)
        : undefined,
    query.mine ? eq(workItems.assigneeId, actor.id) : undefined,
  );
  const [rows, perKind, [mine]] = await Promise.all([
    db
      .select()
      .from(workItems)
      .where(where)
      .orderBy(
        sql`${workItems.status} = 'closed'`,
        sql`case when ${workItems.status} = 'closed' then null else ${workItems.raisedAt} end`,
        desc(workItems.closedAt),
        asc(workItems.id),
      )
      .limit(500),
    db
      .select({ kind: workItems.kind, n: count() })
      .from(workItems)
      .where(and(visible, ne(workItems.status, 'closed')))
      .groupBy(workItems.kind),
    db
      .select({ n: count() })
      .from(workItems)
      .where(and(eq(workItems.assigneeId, actor.id), ne(workItems.status, 'closed'))),
  ]);
  const label = await labeller(
    db,
    params.pii,
    rows.flatMap((r) => [r.assigneeId, r.closedBy]),
  );
  return {
    items: rows.map((r) => summary(r, label)),
    counts: Object.fromEntries(perKind.map((k) => [k.kind, Number(k.n)])),
    mine: Number(mine?.n ?? 0),
  };
}

/** An item the actor may see; one that is not theirs reads as one that does not exist. */
async function visibleItem(db: DatabaseOrTransaction, id: string, actor: Actor): Promise<WorkItem> {
  const [item] = await db.select().from(workItems).where(eq(workItems.id, id));
  if (!item || (!isSupervisor(actor) && item.assigneeId !== actor.id))
    throw new AppError(404, 'WORKBENCH_ITEM_NOT_FOUND');
  return item;
}

export async function workItemDetail(
  db: DatabaseOrTransaction,
  params: { id: string; actor: Actor; pii: PiiCipher },
): Promise<WorkItemDetail> {
  await visibleItem(db, params.id, params.actor);
  await db.transaction((tx) => followTickets(tx, params.id));
  const item = await visibleItem(db, params.id, params.actor);
  const events = await db
    .select()
    .from(workItemEvents)
    .where(eq(workItemEvents.itemId, item.id))
    .orderBy(asc(workItemEvents.at), asc(workItemEvents.id));
  const label = await labeller(db, params.pii, [
    item.assigneeId,
    item.closedBy,
    ...events.flatMap((e) => [e.actorId, e.assigneeId]),
  ]);
  const open = item.status !== 'closed';
  const mine = item.assigneeId === params.actor.id;
  const supervisor = isSupervisor(params.actor);
  return {
    ...summary(item, label),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      by: label(e.actorId),
      at: e.at.toISOString(),
      note: e.note,
      assignee: e.assigneeId ? label(e.assigneeId) : null,
    })),
    canAssign: open && supervisor,
    canAcknowledge: item.status === 'open' && mine,
    canNote: open && (supervisor || mine),
    canClose: open && item.kind !== 'ticket' && (supervisor || mine),
  };
}

/** A step on an item that is still open; the conditional update makes a race a conflict, never a overwrite. */
async function step(
  tx: DatabaseOrTransaction,
  item: WorkItem,
  set: PgUpdateSetSource<typeof workItems>,
  also?: SQL,
) {
  const [row] = await tx
    .update(workItems)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(workItems.id, item.id), ne(workItems.status, 'closed'), also))
    .returning();
  if (!row) throw new AppError(409, 'WORKBENCH_ITEM_CLOSED');
  return row;
}

/**
 * A supervisor names who acts (reassigning asks the new assignee to acknowledge again). A ticket's item
 * assigns the ticket by the ticket's own rules. The assignee is told by subscribe message (if they agreed
 * to hear) and finds the item under 指派给我. One transaction.
 */
export async function assignWorkItem(
  app: FastifyInstance,
  params: { id: string; actor: Actor; assigneeId: string },
): Promise<void> {
  const { db } = app.database;
  await db.transaction(async (tx) => {
    const item = await visibleItem(tx, params.id, params.actor);
    if (item.status === 'closed') throw new AppError(409, 'WORKBENCH_ITEM_CLOSED');
    const [assignee] = await tx
      .select({ roles: users.roles })
      .from(users)
      .where(eq(users.id, params.assigneeId));
    if (!assignee?.roles.some((r) => (staffRoles as readonly string[]).includes(r)))
      throw new AppError(400, 'WORKBENCH_ASSIGNEE_INVALID');
    if (item.ticketId)
      await assignTicket(tx, { id: item.ticketId, actor: params.actor, assigneeId: params.assigneeId });
    await step(tx, item, { assigneeId: params.assigneeId, status: 'open' });
    const [event] = await tx
      .insert(workItemEvents)
      .values({ itemId: item.id, kind: 'assigned', actorId: params.actor.id, assigneeId: params.assigneeId })
      .returning();
    await notifyUser(tx, app, {
      userId: params.assigneeId,
      kind: 'work_assigned',
      dedupeKey: `work-item:${item.id}:assigned:${event!.id}`,
      page: workbenchPage(item.id),
      data: {
        character_string1: {
          value: (item.caseNumber ?? item.bookingNumber ?? item.id.slice(0, 8)).slice(0, 32),
        },
        thing2: { value: fitThing(item.title) },
        phrase3: { value: '待处理' },
        time4: { value: formatEmsTime(new Date()).slice(0, 16) },
        thing5: { value: fitThing(`${workItemKindLabels[item.kind]}已指派给您，请及时处理`) },
      },
    });
  });
}

/** The assignee says they are on it; again is a no-op. */
export async function acknowledgeWorkItem(
  db: DatabaseOrTransaction,
  params: { id: string; actor: Actor },
): Promise<void> {
  await db.transaction(async (tx) => {
    const item = await visibleItem(tx, params.id, params.actor);
    if (item.status === 'closed') throw new AppError(409, 'WORKBENCH_ITEM_CLOSED');
    if (!item.assigneeId) throw new AppError(409, 'WORKBENCH_NOT_ASSIGNED');
    if (item.assigneeId !== params.actor.id) throw new AppError(403, 'WORKBENCH_NOT_ASSIGNEE');
    if (item.status === 'acknowledged') return;
    await step(tx, item, { status: 'acknowledged' }, eq(workItems.assigneeId, params.actor.id));
    await tx
      .insert(workItemEvents)
      .values({ itemId: item.id, kind: 'acknowledged', actorId: params.actor.id });
  });
}

export async function noteWorkItem(
  db: DatabaseOrTransaction,
  params: { id: string; actor: Actor; note: string },
): Promise<void> {
  const note = params.note.trim();
  await db.transaction(async (tx) => {
    const item = await visibleItem(tx, params.id, params.actor);
    if ([...note].length < 2) throw new AppError(400, 'WORKBENCH_NOTE_REQUIRED');
    if (item.status === 'closed') throw new AppError(409, 'WORKBENCH_ITEM_CLOSED');
    await step(tx, item, {});
    await tx
      .insert(workItemEvents)
      .values({ itemId: item.id, kind: 'noted', actorId: params.actor.id, note });
  });
}

/** Closed by a person with what was done; tickets close on their own page (call-back first). */
export async function closeWorkItem(
  db: DatabaseOrTransaction,
  params: { id: string; actor: Actor; outcome: string | undefined },
): Promise<void> {
  const outcome = (params.outcome ?? '').trim();
  await db.transaction(async (tx) => {
    const item = await visibleItem(tx, params.id, params.actor);
    if (item.kind === 'ticket') throw new AppError(409, 'WORKBENCH_TICKET_CLOSES_ON_TICKET');
    if ([...outcome].length < 2) throw new AppError(400, 'WORKBENCH_OUTCOME_REQUIRED');
    if (item.status === 'closed') throw new AppError(409, 'WORKBENCH_ITEM_CLOSED');
    await step(tx, item, { status: 'closed', closedBy: params.actor.id, closedAt: sql`now()`, outcome });
    await tx
      .insert(workItemEvents)
      .values({ itemId: item.id, kind: 'closed', actorId: params.actor.id, note: outcome });
  });
}
