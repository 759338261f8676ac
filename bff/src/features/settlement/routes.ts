import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  Role,
  SettlementCentreList,
  SettlementCentreParams,
  SettlementContractBody,
  SettlementContractView,
  SettlementMonthParams,
  SettlementReconciliation,
  SettlementStatement,
  StatementExportQuery,
  StatementQuery,
} from '@zyt/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorResponses } from '../../lib/errors';
import { contractFor, contractView, saveContract, settlementCentre, settlementCentres } from './contracts';
import { exportContentType, exportDisposition, statementCsv, statementXlsx } from './exports';
import { beijingMonth } from './months';
import { reconciliationOf, reconciliationView, requestReconciliation } from './reconcile';
import { monthlyStatement, statementBasis } from './statements';

/** Supervisors settle for every centre; a centre clerk sees their own centre's statements. */
const readers = [Role.supervisor, Role.centreClerk];
const actorOf = (req: FastifyRequest) => ({ id: req.userId, roles: req.user.roles });

/**
 * 政府买单 (settlement with the post): contracts per service centre (计件 or 包干), a monthly statement of every
 * leg the centre pays for, its CSV/XLSX export, and reconciliation against the post's monthly bill.
 */
export default async function settlementRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/staff/settlement/centres',
    {
      config: { access: readers },
      schema: {
        tags: ['settlement'],
        summary: 'The service centres I may settle for, each with the contract in force this month',
        response: { 200: SettlementCentreList, ...errorResponses(401, 403) },
      },
    },
    async (req) => {
      const month = beijingMonth(new Date());
      const centres = await settlementCentres(db, actorOf(req));
      const items = [];
      for (const c of centres) {
        const contract = await contractFor(db, { centreId: c.id, month });
        items.push({ ...c, contract: contract ? contractView(contract) : null });
      }
      return { items };
    },
  );

  app.put(
    '/staff/settlement/centres/:centreId/contract',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['settlement'],
        summary:
          'Set a centre’s contract from a month on: per piece (a price per leg kind) or lump sum (per month)',
        params: SettlementCentreParams,
        body: SettlementContractBody,
        response: { 200: SettlementContractView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const centre = await settlementCentre(db, actorOf(req), req.params.centreId);
      return contractView(await saveContract(db, { centreId: centre.id, body: req.body, by: req.userId }));
    },
  );

  app.get(
    '/staff/settlement/centres/:centreId/statements/:month',
    {
      config: { access: readers },
      schema: {
        tags: ['settlement'],
        summary: 'A closed month’s statement: totals by leg kind and the legs (a page of them)',
        params: SettlementMonthParams,
        querystring: StatementQuery,
        response: { 200: SettlementStatement, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req) => {
      const centre = await settlementCentre(db, actorOf(req), req.params.centreId);
      return monthlyStatement(db, {
        centre,
        month: req.params.month,
        now: new Date(),
        limit: req.query.limit ?? 100,
        offset: req.query.offset ?? 0,
      });
    },
  );

  app.get(
    '/staff/settlement/centres/:centreId/statements/:month/export',
    {
      config: { access: readers },
      schema: {
        tags: ['settlement'],
        summary:
          'Download a closed month’s statement as CSV or XLSX (every leg, totals, and any reconciliation findings)',
        params: SettlementMonthParams,
        // No response schema: the body is the file, streamed; errors keep the usual shape.
        querystring: StatementExportQuery,
      },
    },
    async (req, reply) => {
      const centre = await settlementCentre(db, actorOf(req), req.params.centreId);
      const { month } = req.params;
      const contract = await statementBasis(db, { centre, month, now: new Date() });
      const { format } = req.query;
      const body =
        format === 'csv'
          ? statementCsv(db, { centre, month, contract })
          : statementXlsx(db, { centre, month, contract });
      return reply
        .header('content-type', exportContentType[format])
        .header('content-disposition', exportDisposition(centre, month, format))
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  app.post(
    '/staff/settlement/centres/:centreId/reconciliations/:month',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['settlement'],
        summary: 'Reconcile a closed month against the post’s monthly bill (fetched by a job; poll the GET)',
        params: SettlementMonthParams,
        response: { 202: SettlementReconciliation, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const centre = await settlementCentre(db, actorOf(req), req.params.centreId);
      const row = await db.transaction((tx) =>
        requestReconciliation(tx, app, { centre, month: req.params.month, by: req.userId, now: new Date() }),
      );
      return reply.code(202).send(reconciliationView(row));
    },
  );

  app.get(
    '/staff/settlement/centres/:centreId/reconciliations/:month',
    {
      config: { access: readers },
      schema: {
        tags: ['settlement'],
        summary: 'The month’s reconciliation: pending, done with every mismatch and its kind, or failed',
        params: SettlementMonthParams,
        response: { 200: SettlementReconciliation, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const centre = await settlementCentre(db, actorOf(req), req.params.centreId);
      return reconciliationView(await reconciliationOf(db, { centreId: centre.id, month: req.params.month }));
    },
  );
}
