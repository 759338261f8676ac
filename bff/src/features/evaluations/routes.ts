import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AssignTicketBody,
  CaseEvaluations,
  CloseTicketBody,
  EvaluationFigures,
  EvaluationFiguresQuery,
  EvaluationStageParams,
  EvaluationView,
  Role,
  SubmitEvaluationBody,
  TicketCallbackBody,
  TicketDetail,
  TicketList,
  TicketListQuery,
  TicketParams,
  VoidTicketBody,
} from '@zyt/shared';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { formatEmsTime } from '../../integrations/ems/time';
import { errorResponses } from '../../lib/errors';
import { notifyUser } from '../notifications/notify';
import { caseEvaluations, submitEvaluation } from './evaluations';
import { evaluationFigures } from './figures';
import {
  assignTicket,
  closeTicket,
  listTickets,
  recordCallback,
  ticketDetail,
  voidByAppeal,
} from './tickets';

const staff = [Role.supervisor, Role.postalAgent, Role.centreClerk];
const actorOf = (req: FastifyRequest) => ({ id: req.userId, roles: req.user.roles });

/**
 * 好差评 (journey 7): residents rate each stage of their case once; a bad rating opens a rectification ticket
 * that a supervisor assigns, the assignee calls the resident back and closes with a reply; supervisors can
 * void a malicious rating by appeal. The figures are public.
 */
export default async function evaluationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/cases/:id/evaluations',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['evaluations'],
        summary: 'The stages of my case to rate (一事一评): reached or not, my rating and its reply',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: CaseEvaluations, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => caseEvaluations(db, { caseId: req.params.id, userId: req.userId, pii: app.pii }),
  );

  app.post(
    '/cases/:id/evaluations/:stage',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['evaluations'],
        summary: 'Rate one stage of my case, once (a repeat of the same rating answers 200 with it)',
        params: EvaluationStageParams,
        body: SubmitEvaluationBody,
        response: { 200: EvaluationView, 201: EvaluationView, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (req, reply) => {
      const { evaluation, created } = await db.transaction((tx) =>
        submitEvaluation(tx, app, {
          caseId: req.params.id,
          userId: req.userId,
          stage: req.params.stage,
          body: req.body,
          now: new Date(),
        }),
      );
      req.log.info({ evaluationId: evaluation.id, stage: evaluation.stage, created }, 'evaluation submitted');
      return reply.code(created ? 201 : 200).send(evaluation);
    },
  );

  app.get(
    '/public/evaluation-figures',
    {
      config: { access: 'public' },
      schema: {
        tags: ['evaluations'],
        summary: 'Published 好差评 figures: satisfaction rate, bad ratings rectified on time, call-back rate',
        querystring: EvaluationFiguresQuery,
        response: { 200: EvaluationFigures, ...errorResponses(400) },
      },
    },
    async (req) => evaluationFigures(db, req.query),
  );

  app.get(
    '/supervision/tickets',
    {
      config: { access: staff },
      schema: {
        tags: ['evaluations'],
        summary: 'Rectification tickets (supervisors: all; other staff: assigned to them)',
        querystring: TicketListQuery,
        response: { 200: TicketList, ...errorResponses(400, 401, 403) },
      },
    },
    async (req) => ({
      items: await listTickets(db, {
        actor: actorOf(req),
        status: req.query.status,
        pii: app.pii,
        now: new Date(),
      }),
    }),
  );

  app.get(
    '/supervision/tickets/:id',
    {
      config: { access: staff },
      schema: {
        tags: ['evaluations'],
        summary: 'One rectification ticket with the rating, who did what and when',
        params: TicketParams,
        response: { 200: TicketDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) =>
      ticketDetail(db, { id: req.params.id, actor: actorOf(req), pii: app.pii, now: new Date() }),
  );

  const stepSchema = <B>(summary: string, body: B) => ({
    tags: ['evaluations'],
    summary,
    params: TicketParams,
    body,
    response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
  });
  /** Who did what is in the ticket; the log says which step ran on which ticket (no personal data). */
  const done = (reply: FastifyReply, ticketId: string, step: string) => {
    reply.log.info({ ticketId, step }, 'ticket step');
    return reply.code(204).send(null);
  };

  app.post(
    '/supervision/tickets/:id/assign',
    {
      config: { access: [Role.supervisor] },
      schema: stepSchema('Name the staff member who rectifies (supervisors)', AssignTicketBody),
    },
    async (req, reply) => {
      const { id } = req.params;
      const { assigneeId } = req.body;
      await db.transaction(async (tx) => {
        await assignTicket(tx, { id, actor: actorOf(req), assigneeId });
        // The assignee is told (监管工作台 tells them the same way when it assigns a ticket's item).
        await notifyUser(tx, app, {
          userId: assigneeId,
          kind: 'work_assigned',
          dedupeKey: `ticket:${id}:assigned:${randomUUID()}`,
          page: `staff/pages/ticket/index?id=${id}`,
          data: {
            character_string1: { value: id.slice(0, 8) },
            thing2: { value: '差评整改工单' },
            phrase3: { value: '待处理' },
            time4: { value: formatEmsTime(new Date()).slice(0, 16) },
            thing5: { value: '请回访评价人并填写整改答复' },
          },
        });
      });
      return done(reply, id, 'assign');
    },
  );

  app.post(
    '/supervision/tickets/:id/callback',
    {
      config: { access: staff },
      schema: stepSchema('Record the call-back (回访) and its outcome', TicketCallbackBody),
    },
    async (req, reply) => {
      await recordCallback(db, { id: req.params.id, actor: actorOf(req), ...req.body });
      return done(reply, req.params.id, 'callback');
    },
  );

  app.post(
    '/supervision/tickets/:id/close',
    {
      config: { access: staff },
      schema: stepSchema('Close with the reply the resident reads (only after a call-back)', CloseTicketBody),
    },
    async (req, reply) => {
      await closeTicket(db, { id: req.params.id, actor: actorOf(req), reply: req.body.reply });
      return done(reply, req.params.id, 'close');
    },
  );

  app.post(
    '/supervision/tickets/:id/void',
    {
      config: { access: [Role.supervisor] },
      schema: stepSchema('Void a malicious rating through a recorded appeal (supervisors)', VoidTicketBody),
    },
    async (req, reply) => {
      await voidByAppeal(db, app.jobs, { id: req.params.id, actor: actorOf(req), reason: req.body.reason });
      return done(reply, req.params.id, 'void');
    },
  );
}
