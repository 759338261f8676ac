import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AgentFiguresResponse,
  AssignOutletBody,
  CreateHandoverBody,
  HandoverList,
  HandoverView,
  PendingHandoverList,
  ReceiveHandoverBody,
  Role,
  StaffList,
  StaffMember,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../lib/errors';
import { agentFigures } from './figures';
import {
  createHandover,
  handoverForCentre,
  handoverView,
  incomingHandovers,
  listOwnHandovers,
  pendingHandovers,
  receiveHandover,
} from './handovers';
import { assignOutlet, listStaff, staffOutlet } from './outlets';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const CodeParams = Type.Object({
  code: Type.String({ minLength: 6, maxLength: 32, pattern: '^[A-Za-z0-9-]+$' }),
});

/**
 * Staff at their outlets: supervisors set who works where and read per-agent figures; agents record the sealed
 * bag of collected materials (交接); centre clerks confirm receipt item by item (chain of custody).
 */
export default async function staffRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  async function myOutlet(userId: string) {
    const outlet = await staffOutlet(db, userId);
    if (!outlet) throw new AppError(409, 'OUTLET_NOT_ASSIGNED');
    return outlet;
  }

  app.get(
    '/supervision/staff',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary: 'Postal agents and centre clerks, with the outlet each works at',
        response: { 200: StaffList, ...errors },
      },
    },
    async () => ({ items: await listStaff(db, app.pii) }),
  );

  app.put(
    '/supervision/staff/:userId/outlet',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary:
          "Set a staff member's outlet: a post office for an agent or an outlet clerk, a service centre for a centre clerk",
        params: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
        body: AssignOutletBody,
        response: { 200: StaffMember, ...errors },
      },
    },
    async (req) => {
      await assignOutlet(db, { userId: req.params.userId, outletId: req.body.outletId, by: req.userId });
      const member = (await listStaff(db, app.pii)).find((s) => s.id === req.params.userId);
      if (!member) throw new AppError(404, 'STAFF_NOT_FOUND');
      return member;
    },
  );

  app.get(
    '/supervision/agents/figures',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary: 'Per-agent figures over the last `days` days: visits, on-time share, hand-backs',
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })) }),
        response: { 200: AgentFiguresResponse, ...errors },
      },
    },
    async (req) => {
      const to = new Date();
      const from = new Date(to.getTime() - (req.query.days ?? 30) * 24 * 3600_000);
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        items: await agentFigures(db, app.pii, { from, to }),
      };
    },
  );

  app.get(
    '/staff/handovers/pending',
    {
      config: { access: [Role.postalAgent] },
      schema: {
        tags: ['handovers'],
        summary: 'My collected visits not yet in a sealed bag',
        response: { 200: PendingHandoverList, ...errors },
      },
    },
    async (req) => ({ items: await pendingHandovers(db, req.userId) }),
  );

  app.get(
    '/staff/handovers',
    {
      config: { access: [Role.postalAgent] },
      schema: {
        tags: ['handovers'],
        summary: 'My latest sealed bags and whether the centre received them',
        response: { 200: HandoverList, ...errors },
      },
    },
    async (req) => ({ items: await listOwnHandovers(db, req.userId) }),
  );

  app.post(
    '/staff/handovers',
    {
      config: { access: [Role.postalAgent] },
      schema: {
        tags: ['handovers'],
        summary:
          'Record the sealed bag of collected materials (bag code or EMS waybill) handed in at my post office',
        body: CreateHandoverBody,
        response: { 201: HandoverView, ...errors },
      },
    },
    async (req, reply) => {
      const outlet = await myOutlet(req.userId);
      const h = await createHandover(db, {
        agentId: req.userId,
        outletId: outlet.id,
        code: req.body.code,
        bookingIds: req.body.bookingIds,
      });
      return reply.code(201).send(await handoverView(db, h));
    },
  );

  app.get(
    '/centre/handovers',
    {
      config: { access: [Role.centreClerk] },
      schema: {
        tags: ['handovers'],
        summary: 'Bags on their way to my service centre',
        response: { 200: HandoverList, ...errors },
      },
    },
    async (req) => ({ items: await incomingHandovers(db, (await myOutlet(req.userId)).id) }),
  );

  app.get(
    '/centre/handovers/:code',
    {
      config: { access: [Role.centreClerk] },
      schema: {
        tags: ['handovers'],
        summary: 'One bag by its code (bag code or waybill), if it is bound for my centre',
        params: CodeParams,
        response: { 200: HandoverView, ...errors },
      },
    },
    async (req) =>
      handoverView(
        db,
        await handoverForCentre(db, { code: req.params.code, centreId: (await myOutlet(req.userId)).id }),
      ),
  );

  app.post(
    '/centre/handovers/:code/receive',
    {
      config: { access: [Role.centreClerk] },
      schema: {
        tags: ['handovers'],
        summary: 'Confirm receipt item by item; missing or damaged items become a finding for supervisors',
        params: CodeParams,
        body: ReceiveHandoverBody,
        response: { 200: HandoverView, ...errors },
      },
    },
    async (req) => {
      const outlet = await myOutlet(req.userId);
      const h = await receiveHandover(db, {
        code: req.params.code,
        centreId: outlet.id,
        clerkId: req.userId,
        items: req.body.items,
      });
      return handoverView(db, h);
    },
  );
}
