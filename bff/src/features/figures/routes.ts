import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { FigureCentres, FiguresQuery, FiguresResponse, Role } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { errorResponses } from '../../lib/errors';
import { figuresCsv } from './csv';
import { figureCentres, figures } from './figures';

/**
 * Supervisors' figures (统计) by period and service centre, as JSON for the figures page and as the same table
 * in CSV. Read-only.
 */
export default async function figuresRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/supervision/figures/centres',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary: 'The service centres figures can be asked for',
        response: { 200: FigureCentres, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await figureCentres(db) }),
  );

  app.get(
    '/supervision/figures',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary:
          'Figures for a period (Beijing dates, both included) and centre: applications by channel, free mail, stage times (median, p90), per agent',
        querystring: FiguresQuery,
        response: { 200: FiguresResponse, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (req) => figures(db, app.pii, req.query),
  );

  app.get(
    '/supervision/figures.csv',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary: 'The same figures as a CSV table (UTF-8 with BOM)',
        querystring: FiguresQuery,
        response: { 200: Type.String(), ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (req, reply) => {
      const f = await figures(db, app.pii, req.query);
      const name = `figures-${f.from}-${f.to}${f.centre ? `-${f.centre.id}` : ''}.csv`;
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'private, no-store')
        .send(figuresCsv(f));
    },
  );
}
