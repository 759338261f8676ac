import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse, Role } from '@zyt/shared';
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { bookings, slaBreaches } from '../../db/schema';

const Breach = Type.Object({
  kind: Type.Union([Type.Literal('visit_late'), Type.Literal('visit_not_reached')]),
  label: Type.String(),
  bookingId: Type.String(),
  bookingNumber: Type.String(),
  matterName: Type.String(),
  dueAt: Type.String(),
  reachedAt: Type.Union([Type.String(), Type.Null()]),
  minutesLate: Type.Integer(),
});

/** Supervisors (监管): every visit that missed its time — reached late, or still not reached. */
export default async function supervisionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/supervision/breaches',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['supervision'],
        summary: 'SLA breaches: door visits reached late or not reached in time',
        response: { 200: Type.Object({ items: Type.Array(Breach) }), 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async () => {
      const now = Date.now();
      const late = await db
        .select({ breach: slaBreaches, number: bookings.number, matterName: bookings.matterName })
        .from(slaBreaches)
        .innerJoin(bookings, eq(bookings.id, slaBreaches.subjectId))
        .where(eq(slaBreaches.kind, 'visit_late'))
        .orderBy(desc(slaBreaches.dueAt))
        .limit(200);
      const outstanding = await db
        .select()
        .from(bookings)
        .where(
          and(
            inArray(bookings.status, ['assigned', 'en_route']),
            isNull(bookings.arrivedAt),
            lt(bookings.dueAt, sql`now()`),
          ),
        )
        .orderBy(bookings.dueAt)
        .limit(200);
      return {
        items: [
          ...outstanding.map((b) => ({
            kind: 'visit_not_reached' as const,
            label: b.windowKind === 'asap' ? '接单后1小时内未上门' : '预约时段内未上门',
            bookingId: b.id,
            bookingNumber: b.number,
            matterName: b.matterName,
            dueAt: b.dueAt!.toISOString(),
            reachedAt: null,
            minutesLate: Math.ceil((now - b.dueAt!.getTime()) / 60_000),
          })),
          ...late.map((l) => ({
            kind: 'visit_late' as const,
            label: '上门超时',
            bookingId: l.breach.subjectId,
            bookingNumber: l.number,
            matterName: l.matterName,
            dueAt: l.breach.dueAt.toISOString(),
            reachedAt: l.breach.resolvedAt?.toISOString() ?? null,
            minutesLate: Math.ceil(
              ((l.breach.resolvedAt?.getTime() ?? now) - l.breach.dueAt.getTime()) / 60_000,
            ),
          })),
        ],
      };
    },
  );
}
