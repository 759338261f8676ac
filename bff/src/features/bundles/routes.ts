import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BundleGuide, BundleList, BundleTimeline, ErrorResponse, Role } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../lib/errors';
import { getOwnBookingRow } from '../bookings/bookings';
import { getBundleGuide, listBundles } from './bundles';
import { bundleTimeline } from './timeline';

const Code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z-]+$' });

/** 一件事一次办: the bundles and their guides (public, like the catalogue), and a booked bundle's one timeline. */
export default async function bundleRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/bundles',
    {
      config: { access: 'public' },
      schema: {
        tags: ['bundles'],
        summary: '一件事一次办: the bundles the platform publishes',
        response: { 200: BundleList },
      },
    },
    async () => ({ items: await listBundles(db) }),
  );

  app.get(
    '/bundles/:code',
    {
      config: { access: 'public' },
      schema: {
        tags: ['bundles'],
        summary:
          "A bundle's guide: matters, situations (情形), the merged form and one merged materials list",
        params: Type.Object({ code: Code }),
        response: { 200: BundleGuide, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (req) => {
      const guide = await getBundleGuide(db, req.params.code);
      if (!guide) throw new AppError(404, 'BUNDLE_NOT_FOUND');
      return guide;
    },
  );

  app.get(
    '/bookings/:id/bundle',
    {
      config: { access: [Role.resident] },
      schema: {
        tags: ['bundles'],
        summary: "A bundle booking's one timeline: the visit, a case per matter, each certificate's parcel",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: BundleTimeline, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (req) => {
      const b = await getOwnBookingRow(db, { userId: req.userId, id: req.params.id });
      if (!b.bundle) throw new AppError(404, 'BOOKING_NOT_FOUND');
      return bundleTimeline(db, b);
    },
  );
}
