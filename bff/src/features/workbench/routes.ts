import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AssignWorkItemBody,
  CloseWorkItemBody,
  NoteWorkItemBody,
  Role,
  WorkItemDetail,
  WorkItemList,
  WorkItemListQuery,
  WorkItemParams,
} from '@zyt/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../lib/errors';
import {
  acknowledgeWorkItem,
  assignWorkItem,
  closeWorkItem,
  listWorkItems,
  noteWorkItem,
  workItemDetail,
} from './items';
import { syncWorkbench } from './sync';

const staff = [Role.supervisor, Role.postalAgent, Role.centreClerk];
const actorOf = (req: FastifyRequest) => ({ id: req.userId, roles: req.user.roles });

/**
 * 监管工作台: one list of everything that needs a person — SLA breaches, flagged deliveries, logistics
 * exceptions, dead-lettered jobs, stuck cases, rectification tickets. Supervisors assign each to a named staff
 * member, who acknowledges, notes and closes it with an outcome; every step is an event (who and when).
 */
export default async function workbenchRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/workbench/items',
    {
      config: { access: staff },
      schema: {
        tags: ['workbench'],
        summary:
          'Work items (supervisors: all; other staff: assigned to them), filtered, with counts per kind',
        querystring: WorkItemListQuery,
        response: { 200: WorkItemList, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => {
      // What was found since the last look becomes items first: the list never misses a live problem.
      await syncWorkbench(app, new Date());
      return listWorkItems(db, { actor: actorOf(req), query: req.query, pii: app.pii });
    },
  );

  app.get(
    '/workbench/items/:id',
    {
      config: { access: staff },
      schema: {
        tags: ['workbench'],
        summary: 'One work item with every step, who and when',
        params: WorkItemParams,
        response: { 200: WorkItemDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => workItemDetail(db, { id: req.params.id, actor: actorOf(req), pii: app.pii }),
  );

  const stepSchema = <B>(summary: string, body: B) => ({
    tags: ['workbench'],
    summary,
    params: WorkItemParams,
    body,
    response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
  });
  /** Who did what is in the item's events; the log names only the step and the item. */
  const done = (reply: FastifyReply, itemId: string, step: string) => {
    reply.log.info({ workItemId: itemId, step }, 'work item step');
    return reply.code(204).send(null);
  };

  app.post(
    '/workbench/items/:id/assign',
    {
      config: { access: [Role.supervisor] },
      schema: stepSchema('Name the staff member who acts (supervisors); they are told', AssignWorkItemBody),
    },
    async (req, reply) => {
      await assignWorkItem(app, { id: req.params.id, actor: actorOf(req), assigneeId: req.body.assigneeId });
      return done(reply, req.params.id, 'assign');
    },
  );

  app.post(
    '/workbench/items/:id/acknowledge',
    {
      config: { access: staff },
      schema: {
        tags: ['workbench'],
        summary: 'The assignee acknowledges (确认接手)',
        params: WorkItemParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      await acknowledgeWorkItem(db, { id: req.params.id, actor: actorOf(req) });
      return done(reply, req.params.id, 'acknowledge');
    },
  );

  app.post(
    '/workbench/items/:id/notes',
    { config: { access: staff }, schema: stepSchema('Add a note', NoteWorkItemBody) },
    async (req, reply) => {
      await noteWorkItem(db, { id: req.params.id, actor: actorOf(req), note: req.body.note });
      return done(reply, req.params.id, 'note');
    },
  );

  app.post(
    '/workbench/items/:id/close',
    {
      config: { access: staff },
      schema: stepSchema('Close with the outcome (tickets close on their own page)', CloseWorkItemBody),
    },
    async (req, reply) => {
      await closeWorkItem(db, { id: req.params.id, actor: actorOf(req), outcome: req.body.outcome });
      return done(reply, req.params.id, 'close');
    },
  );
}
