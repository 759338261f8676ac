import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  BagBatchList,
  BagBatchParams,
  BagCodeParams,
  BagConfirmation,
  BagScanResponse,
  BagStatsResponse,
  BindBagBody,
  ConfirmBagBody,
  CreateBagBatchBody,
  CreatedBagBatch,
  ReceiveBagBody,
  Role,
  StaffBagView,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../lib/errors';
import { idempotencyKeyOf } from '../../lib/idempotency';
import { getVisibleVisit } from '../bookings/visitQueries';
import { caseOfBooking } from '../cases/cases';
import {
  batchCodes,
  batchView,
  bindAtDoor,
  bindAtWindow,
  codeOf,
  confirmBag,
  createBatch,
  dropOutlets,
  listBatches,
  receiveBag,
  resolveBag,
  staffBagView,
} from './bags';
import { formatBagCode } from './codes';
import { bagStats } from './jobs';
import { labelSheet } from './labels';
import { leadCaseOfBundle } from './supplements';

const API_PREFIX = '/api/v1';
const batchStaff = [Role.supervisor, Role.centreClerk];

/** 替你跑: courier bags that carry missing materials (补正材料) to the service centre for free. See shared/src/api/bags.ts. */
export default async function bagRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/bags/:code',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['bags'],
        summary:
          'Resolve a scanned or typed bag code: the case and what is missing (bound bag) or my cases needing supplements (unbound)',
        params: BagCodeParams,
        response: { 200: BagScanResponse, ...errorResponses(400, 401, 404, 409, 410, 429) },
      },
    },
    async (req) => {
      const code = codeOf(app, req.params.code);
      const now = new Date();
      const resolved = await resolveBag(db, { code, userId: req.userId, now });
      return { ...resolved, outlets: await dropOutlets(db) };
    },
  );

  app.post(
    '/bags/:code/confirm',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['bags'],
        summary:
          'Send the bag (once): what is in it, EMS pickup at an address and window or drop at an outlet; send an Idempotency-Key header',
        params: BagCodeParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: ConfirmBagBody,
        response: {
          200: BagConfirmation,
          201: BagConfirmation,
          ...errorResponses(400, 401, 404, 409, 410, 422, 429),
        },
      },
    },
    async (req, reply) => {
      const key = idempotencyKeyOf(req.headers);
      const code = codeOf(app, req.params.code);
      const { created, confirmation } = await confirmBag(app, {
        code,
        userId: req.userId,
        key,
        body: req.body,
        now: new Date(),
      });
      return reply.code(created ? 201 : 200).send(confirmation);
    },
  );

  app.post(
    '/staff/bag-batches',
    {
      config: { access: batchStaff },
      schema: {
        tags: ['bags'],
        summary: 'Create a batch of bags (count, valid until); returns their codes',
        body: CreateBagBatchBody,
        response: { 201: CreatedBagBatch, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (req, reply) => {
      const { batch, codes } = await createBatch(db, {
        ...req.body,
        createdBy: req.userId,
        secret: app.config.bags.codeSecret,
        now: new Date(),
      });
      const view = batchView(batch, [{ batchId: batch.id, state: 'issued', n: codes.length }], API_PREFIX);
      return reply.code(201).send({ ...view, codes: codes.map(formatBagCode) });
    },
  );

  app.get(
    '/staff/bag-batches',
    {
      config: { access: batchStaff },
      schema: {
        tags: ['bags'],
        summary: 'Batches of bags, newest first, with counts by state',
        response: { 200: BagBatchList, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await listBatches(db, API_PREFIX) }),
  );

  app.get(
    '/staff/bag-batches/:id/labels.svg',
    {
      config: { access: batchStaff },
      schema: {
        tags: ['bags'],
        summary: 'Printable A4 label sheet of a batch (SVG): a QR of each bag URL and its code in text',
        params: BagBatchParams,
        response: { 200: Type.String(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req, reply) => {
      const found = await batchCodes(db, req.params.id);
      if (!found) throw new AppError(404, 'NOT_FOUND', '没有找到这批快递袋');
      const svg = await labelSheet({
        codes: found.codes,
        urlBase: app.config.bags.urlBase,
        validUntil: found.batch.validUntil,
      });
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="bags-${found.batch.id.slice(0, 8)}.svg"`)
        .send(svg);
    },
  );

  app.get(
    '/staff/bags/:code',
    {
      config: { access: [Role.centreClerk, Role.supervisor, Role.postalAgent] },
      schema: {
        tags: ['bags'],
        summary: 'One bag as staff see it: state, case, supplement items and what the resident ticked',
        params: BagCodeParams,
        response: { 200: StaffBagView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => staffBagView(app, db, codeOf(app, req.params.code), new Date()),
  );

  app.post(
    '/staff/bags/:code/bind',
    {
      config: { access: [Role.centreClerk, Role.supervisor, Role.postalAgent] },
      schema: {
        tags: ['bags'],
        summary:
          'Hand out a bag bound to a supplement: the centre window by case number, the agent by their visit',
        params: BagCodeParams,
        body: BindBagBody,
        response: { 200: StaffBagView, ...errorResponses(400, 401, 403, 404, 409, 410) },
      },
    },
    async (req) => {
      const code = codeOf(app, req.params.code);
      const now = new Date();
      const roles = req.user.roles;
      if ('caseNumber' in req.body) {
        if (!roles.includes(Role.centreClerk) && !roles.includes(Role.supervisor))
          throw new AppError(403, 'FORBIDDEN', '只有政务中心窗口可以按办件编号绑定快递袋');
        await bindAtWindow(db, { code, caseNumber: req.body.caseNumber, now });
      } else {
        if (!roles.includes(Role.postalAgent))
          throw new AppError(403, 'FORBIDDEN', '只有上门的政邮专员可以把快递袋绑定到上门订单');
        const visit = await getVisibleVisit(db, {
          id: req.body.bookingId,
          agentId: req.userId,
          outletId: null,
        });
        if (visit.agentId !== req.userId) throw new AppError(404, 'BOOKING_NOT_FOUND');
        const caseOfVisit = visit.bundle
          ? await leadCaseOfBundle(db, visit.id)
          : await caseOfBooking(db, visit.id);
        await bindAtDoor(db, { code, caseOfVisit, now });
      }
      return staffBagView(app, db, code, now);
    },
  );

  app.post(
    '/staff/bags/:code/receive',
    {
      config: { access: [Role.centreClerk] },
      schema: {
        tags: ['bags'],
        summary:
          'The bag arrived at the centre: tick every item. Complete → pushed to the platform; incomplete → one new complete list',
        params: BagCodeParams,
        body: ReceiveBagBody,
        response: { 200: StaffBagView, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => {
      const code = codeOf(app, req.params.code);
      const now = new Date();
      await receiveBag(app, { code, clerkId: req.userId, items: req.body.items, now });
      return staffBagView(app, db, code, now);
    },
  );

  app.get(
    '/supervision/bag-stats',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary: '替你跑 figures: bags by state, uses, receipts complete or not, deadlines missed',
        response: { 200: BagStatsResponse, ...errorResponses(401, 403) },
      },
    },
    async () => bagStats(db, new Date()),
  );
}
