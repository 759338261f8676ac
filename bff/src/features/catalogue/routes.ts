import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CatalogueSyncAccepted,
  ErrorResponse,
  MatterGuide,
  MatterPage,
  MatterParams,
  MatterSearchQuery,
  OutletDetail,
  OutletList,
  OutletParams,
  OutletsQuery,
  Role,
  ThemeList,
  ThemesQuery,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../lib/errors';
import {
  getCatalogueState,
  getMatterGuide,
  getOutlet,
  listOutlets,
  listThemes,
  matterExists,
  searchMatters,
} from './catalogue';
import { SYNC_CATALOGUE } from './sync';

const Point = Type.Object({
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});

/** A point needs both coordinates: one alone is a client bug worth reporting, not ignoring. */
function pointOf(query: { lat?: number; lng?: number }): { lat: number; lng: number } | undefined {
  const { lat, lng } = query;
  if (lat === undefined && lng === undefined) return undefined;
  if (lat === undefined || lng === undefined) {
    const field = lat === undefined ? 'lat' : 'lng';
    throw new AppError(400, 'VALIDATION_FAILED', undefined, [{ field, message: '经度和纬度需同时提供' }]);
  }
  return { lat, lng };
}

export interface CatalogueRoutesOptions {
  /** The clock for "today" and "open now" (Beijing time); tests set a date. */
  now?: () => Date;
}

/** Journey 1: search the catalogue, read a guide, find an outlet. Public: no sign-in to look things up. */
export default async function catalogueRoutes(fastify: FastifyInstance, opts: CatalogueRoutesOptions = {}) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;
  const now = opts.now ?? (() => new Date());

  app.get(
    '/matters',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalogue'],
        summary: 'Search matters (事项) by any part of the name, theme or department; filter and page',
        querystring: MatterSearchQuery,
        response: { 200: MatterPage, 400: ErrorResponse },
      },
    },
    async (req) => searchMatters(db, req.query),
  );

  app.get(
    '/matters/themes',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalogue'],
        summary: 'Themes (主题) with their number of matters, for filter chips',
        querystring: ThemesQuery,
        response: { 200: ThemeList, 400: ErrorResponse },
      },
    },
    async (req) => listThemes(db, req.query),
  );

  app.get(
    '/matters/:code',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalogue'],
        summary:
          'The guide (办事指南) of a matter: conditions, materials, time limit, fees, channels, outlets',
        params: MatterParams,
        response: { 200: MatterGuide, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req) => {
      const guide = await getMatterGuide(db, { code: req.params.code, now: now() });
      if (!guide) throw new AppError(404, 'MATTER_NOT_FOUND');
      return guide;
    },
  );

  app.get(
    '/outlets',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalogue'],
        summary: 'Outlets (网点), nearest first from lat/lng, with today’s hours (Beijing time)',
        querystring: OutletsQuery,
        response: { 200: OutletList, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req) => {
      const { district, matter, limit } = req.query;
      const point = pointOf(req.query);
      if (matter && !(await matterExists(db, matter))) throw new AppError(404, 'MATTER_NOT_FOUND');
      return listOutlets(db, { point, district, matter, limit, now: now() });
    },
  );

  app.get(
    '/outlets/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['catalogue'],
        summary: 'An outlet: weekly hours, phone and the matters it accepts',
        params: OutletParams,
        querystring: Point,
        response: { 200: OutletDetail, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req) => {
      const outlet = await getOutlet(db, { id: req.params.id, point: pointOf(req.query), now: now() });
      if (!outlet) throw new AppError(404, 'OUTLET_NOT_FOUND');
      return outlet;
    },
  );

  app.post(
    '/ops/catalogue/sync',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['ops'],
        summary: 'Sync the matter catalogue from the government platform now (queued)',
        response: { 202: CatalogueSyncAccepted, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (req, reply) => {
      const [jobId, state] = await Promise.all([
        app.jobs.enqueue(db, SYNC_CATALOGUE, { reason: 'requested' }),
        getCatalogueState(db),
      ]);
      req.log.info({ job: SYNC_CATALOGUE, jobId }, 'catalogue sync requested');
      return reply.code(202).send({
        jobId,
        current: state
          ? {
              version: state.version,
              syncedAt: state.syncedAt.toISOString(),
              checkedAt: state.checkedAt.toISOString(),
              matters: state.matterCount,
              outlets: state.outletCount,
            }
          : null,
      });
    },
  );
}
