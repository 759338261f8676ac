import {
  addWorkingDays,
  endOfBeijingDay,
  Role,
  type TicketCallbackBody,
  type TicketDetail,
  type TicketStatus,
  type TicketSummary,
} from '@zyt/shared';
import { and, desc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { DatabaseOrTransaction } from '../../db/client';
import { cases, evaluations, type RectificationTicket, rectificationTickets, users } from '../../db/schema';
import type { JobQueue } from '../../jobs/queue';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';
import { staffLabel } from '../supervision/findings';
import { VOID_EVALUATION } from './jobs';

/** Where a rating's free text is sealed (AES-256-GCM context). */
export const commentContext = (evaluationId: string) => `evaluations/${evaluationId}/comment`;

/** A bad rating's ticket, due at the end (Beijing) of the n-th working day after the rating. In the caller's transaction. */
export async function openTicket(
  tx: DatabaseOrTransaction,
  params: { evaluationId: string; now: Date; workingDays: number },
): Promise<RectificationTicket> {
  const due = addWorkingDays(params.now, params.workingDays);
  const [t] = await tx
    .insert(rectificationTickets)
    .values({
      evaluationId: params.evaluationId,
      dueAt: endOfBeijingDay(due.date),
      dueDate: due.date,
      dueProvisional: due.provisional,
    })
    .returning();
  return t!;
}

export interface Actor {
  id: string;
  roles: readonly string[];
}
const isSupervisor = (a: Actor) => a.roles.includes(Role.supervisor);
const staffRoles: readonly string[] = [Role.postalAgent, Role.centreClerk, Role.supervisor];

async function labels(db: DatabaseOrTransaction, pii: PiiCipher, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const rows = wanted.length
    ? await db
        .select({ id: users.id, staffNo: users.staffNo, nameSealed: users.nameSealed })
        .from(users)
        .where(inArray(users.id, wanted))
    : [];
  return (id: string | null) => {
    const u = rows.find((r) => r.id === id);
    return u ? staffLabel(u, pii) : '工作人员';
  };
}

const ticketRows = (db: DatabaseOrTransaction, where?: SQL) =>
  db
    .select({ t: rectificationTickets, e: evaluations, c: cases })
    .from(rectificationTickets)
    .innerJoin(evaluations, eq(evaluations.id, rectificationTickets.evaluationId))
    .innerJoin(cases, eq(cases.id, evaluations.caseId))
    .where(where)
    .orderBy(desc(rectificationTickets.createdAt), desc(rectificationTickets.id));
type TicketRow = Awaited<ReturnType<typeof ticketRows>>[number];

function summary(row: TicketRow, label: (id: string | null) => string, now: Date): TicketSummary {
  const { t, e, c } = row;
  const finishedAt = t.closedAt ?? (t.status === 'voided' ? t.appealAt : null);
  return {
    id: t.id,
    status: t.status,
    caseNumber: c.projId,
    matterName: c.matterName,
    stage: e.stage,
    level: e.level,
    tags: e.tags,
    dueAt: t.dueAt.toISOString(),
    dueDate: t.dueDate,
    dueProvisional: t.dueProvisional,
    overdue: t.status !== 'voided' && (finishedAt ?? now).getTime() > t.dueAt.getTime(),
    assignee: t.assigneeId ? { id: t.assigneeId, label: label(t.assigneeId) } : null,
    createdAt: t.createdAt.toISOString(),
  };
}

/** Supervisors see every ticket; other staff the ones assigned to them. Open ones first by due date. */
export async function listTickets(
  db: DatabaseOrTransaction,
  params: { actor: Actor; status?: TicketStatus; pii: PiiCipher; now: Date },
): Promise<TicketSummary[]> {
  const where = and(
    params.status ? eq(rectificationTickets.status, params.status) : undefined,
    isSupervisor(params.actor) ? undefined : eq(rectificationTickets.assigneeId, params.actor.id),
  );
  const rows = await ticketRows(db, where);
  const label = await labels(
    db,
    params.pii,
    rows.map((r) => r.t.assigneeId),
  );
  const open = (s: TicketStatus) => (s === 'open' || s === 'assigned' ? 0 : 1);
  return rows
    .map((r) => summary(r, label, params.now))
    .sort(
      (a, b) =>
        open(a.status) - open(b.status) || (open(a.status) === 0 ? a.dueAt.localeCompare(b.dueAt) : 0),
    );
}

async function ticketRow(db: DatabaseOrTransaction, id: string, actor: Actor): Promise<TicketRow> {
  const [row] = await ticketRows(db, eq(rectificationTickets.id, id));
  // A ticket that is not yours reads as one that does not exist.
  if (!row || (!isSupervisor(actor) && row.t.assigneeId !== actor.id))
    throw new AppError(404, 'TICKET_NOT_FOUND');
  return row;
}

export async function ticketDetail(
  db: DatabaseOrTransaction,
  params: { id: string; actor: Actor; pii: PiiCipher; now: Date },
): Promise<TicketDetail> {
  const row = await ticketRow(db, params.id, params.actor);
  const { t, e } = row;
  const label = await labels(db, params.pii, [
    t.assigneeId,
    t.assignedBy,
    t.callbackBy,
    t.closedBy,
    t.appealBy,
  ]);
  const working = t.status === 'open' || t.status === 'assigned';
  return {
    ...summary(row, label, params.now),
    indicators: e.indicators,
    comment: e.commentSealed ? params.pii.decrypt(e.commentSealed, commentContext(e.id)) : null,
    assigned: t.assignedAt ? { by: label(t.assignedBy), at: t.assignedAt.toISOString() } : null,
    callback:
      t.callbackAt && t.callbackOutcome
        ? {
            by: label(t.callbackBy),
            at: t.callbackAt.toISOString(),
            outcome: t.callbackOutcome,
            note: t.callbackNote ?? '',
          }
        : null,
    closed: t.closedAt ? { by: label(t.closedBy), at: t.closedAt.toISOString(), reply: t.reply ?? '' } : null,
    appeal: t.appealAt
      ? { by: label(t.appealBy), at: t.appealAt.toISOString(), reason: t.appealReason ?? '' }
      : null,
    canAssign: working && isSupervisor(params.actor),
    canWork: t.status === 'assigned' && (isSupervisor(params.actor) || t.assigneeId === params.actor.id),
  };
}

/** One conditional UPDATE: a ticket that moved meanwhile is a conflict, never a silent overwrite. */
async function update(
  db: DatabaseOrTransaction,
  id: string,
  from: TicketStatus[],
  set: PgUpdateSetSource<typeof rectificationTickets>,
  also?: SQL,
) {
  const [t] = await db
    .update(rectificationTickets)
    .set(set)
    .where(and(eq(rectificationTickets.id, id), inArray(rectificationTickets.status, from), also))
    .returning();
  return t;
}

/** A supervisor names the staff member who rectifies (reassigning keeps the ticket's history of who assigned). */
export async function assignTicket(
  db: DatabaseOrTransaction,
  params: { id: string; actor: Actor; assigneeId: string },
): Promise<void> {
  await ticketRow(db, params.id, params.actor);
  const [assignee] = await db
    .select({ roles: users.roles })
    .from(users)
    .where(eq(users.id, params.assigneeId));
  if (!assignee?.roles.some((r) => staffRoles.includes(r)))
    throw new AppError(400, 'TICKET_ASSIGNEE_INVALID');
  const t = await update(db, params.id, ['open', 'assigned'], {
    status: 'assigned',
    assigneeId: params.assigneeId,
    assignedBy: params.actor.id,
    assignedAt: sql`now()`,
  });
  if (!t) throw new AppError(409, 'TICKET_STATE_CONFLICT');
}

async function workable(db: DatabaseOrTransaction, id: string, actor: Actor) {
  const { t } = await ticketRow(db, id, actor);
  if (t.status === 'open') throw new AppError(409, 'TICKET_NOT_ASSIGNED');
  if (t.status !== 'assigned') throw new AppError(409, 'TICKET_STATE_CONFLICT');
  if (!isSupervisor(actor) && t.assigneeId !== actor.id) throw new AppError(403, 'TICKET_NOT_YOURS');
  return t;
}

/** The call-back (回访) to the resident and what it found; a repeat records the latest call. */
export async function recordCallback(
  db: DatabaseOrTransaction,
  params: { id: string; actor: Actor } & TicketCallbackBody,
): Promise<void> {
  await workable(db, params.id, params.actor);
  const t = await update(db, params.id, ['assigned'], {
    callbackBy: params.actor.id,
    callbackAt: sql`now()`,
    callbackOutcome: params.outcome,
    callbackNote: params.note.trim(),
  });
  if (!t) throw new AppError(409, 'TICKET_STATE_CONFLICT');
}

/** Closes a ticket with the reply the resident reads; only after a recorded call-back. */
export async function closeTicket(
  db: DatabaseOrTransaction,
  params: { id: string; actor: Actor; reply: string },
): Promise<void> {
  const current = await workable(db, params.id, params.actor);
  if (!current.callbackAt) throw new AppError(409, 'TICKET_CALLBACK_REQUIRED');
  const t = await update(
    db,
    params.id,
    ['assigned'],
    {
      status: 'closed',
      reply: params.reply.trim(),
      closedBy: params.actor.id,
      closedAt: sql`now()`,
    },
    isNotNull(rectificationTickets.callbackAt),
  );
  if (!t) throw new AppError(409, 'TICKET_STATE_CONFLICT');
}

/**
 * A supervisor voids a malicious rating through a recorded appeal (恶意差评申诉): the ticket ends as voided and
 * the rating no longer counts in the published figures; the platform is told by a job. All in one transaction.
 */
export async function voidByAppeal(
  db: DatabaseOrTransaction,
  jobs: JobQueue,
  params: { id: string; actor: Actor; reason: string },
): Promise<void> {
  await ticketRow(db, params.id, params.actor);
  await db.transaction(async (tx) => {
    const t = await update(tx, params.id, ['open', 'assigned'], {
      status: 'voided',
      appealReason: params.reason.trim(),
      appealBy: params.actor.id,
      appealAt: sql`now()`,
    });
    if (!t) throw new AppError(409, 'TICKET_STATE_CONFLICT');
    await tx.update(evaluations).set({ voided: true }).where(eq(evaluations.id, t.evaluationId));
    await jobs.enqueue(tx, VOID_EVALUATION, {
      evaluationId: t.evaluationId,
      voidedAt: (t.appealAt ?? new Date()).toISOString(),
    });
  });
}
