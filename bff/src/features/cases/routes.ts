import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CaseDetailSchema, CaseListResponse, Role } from '@zyt/shared';
import { desc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { cases, shipments } from '../../db/schema';
import { AppError, errorResponses } from '../../lib/errors';
import { caseById } from './cases';
import { caseDetail, caseSummary } from './timeline';

/** 我的办件: a resident's cases, and one case's whole timeline. */
export default async function caseRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/cases',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['cases'],
        summary: 'My cases, newest first, with status chips',
        response: { 200: CaseListResponse, ...errorResponses(401) },
      },
    },
    async (req) => {
      const rows = await db
        .select({ c: cases, result: { status: shipments.status } })
        .from(cases)
        .leftJoin(shipments, eq(shipments.id, cases.resultShipmentId))
        .where(eq(cases.userId, req.userId))
        .orderBy(desc(cases.createdAt))
        .limit(100);
      return { items: rows.map((r) => caseSummary(r.c, r.result)) };
    },
  );

  app.get(
    '/cases/:id',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['cases'],
        summary: 'One case: promised date, next step, EMS legs and the whole timeline',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: CaseDetailSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => {
      // Supervisors may open any case (the timeline carries no personal data); residents only their own.
      const supervisor = req.user.roles.includes(Role.supervisor);
      const c = await caseById(db, req.params.id, supervisor ? undefined : req.userId);
      if (!c) throw new AppError(404, 'CASE_NOT_FOUND');
      return caseDetail(db, c);
    },
  );
}
