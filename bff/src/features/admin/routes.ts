import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ErrorResponse,
  GrantRolesBody,
  MeResponse,
  Role,
  StaffContactBody,
  staffRoles,
  validateMobile,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { isUniqueViolation } from '../../db/errors';
import { AppError, notFound } from '../../lib/errors';
import { setRoles, storeStaffContact, toMe } from '../me/users';

export default async function adminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // Staff roles are granted by a supervisor, never self-assigned. Everyone keeps the resident role.
  app.put(
    '/admin/users/:userId/roles',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['admin'],
        summary: 'Set the staff roles of a user (supervisor only)',
        params: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
        body: GrantRolesBody,
        response: {
          200: MeResponse,
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          422: ErrorResponse,
        },
      },
    },
    async (req) => {
      const refused = req.body.roles.filter((r) => r !== Role.resident && !staffRoles.includes(r));
      if (refused.length > 0) {
        throw new AppError(
          422,
          'ROLE_NOT_GRANTABLE',
          undefined,
          refused.map((r) => ({ field: 'roles', message: `角色 ${r} 不能由此授予` })),
        );
      }
      const roles = [...new Set([Role.resident, ...req.body.roles])];
      const user = await setRoles(app.database.db, { userId: req.params.userId, roles });
      if (!user) throw notFound();
      req.log.info({ target: user.id, roles }, 'roles set');
      return toMe(user, app.pii);
    },
  );

  // Staff show residents who is coming: a 工号 and a work phone (sealed; residents see it masked).
  app.put(
    '/admin/users/:userId/staff-contact',
    {
      config: { access: [Role.supervisor] },
      schema: {
        tags: ['admin'],
        summary: 'Record the 工号 and work phone of a staff member (supervisor only)',
        params: Type.Object({ userId: Type.String({ format: 'uuid' }) }),
        body: StaffContactBody,
        response: {
          204: Type.Null(),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
          404: ErrorResponse,
          409: ErrorResponse,
          422: ErrorResponse,
        },
      },
    },
    async (req, reply) => {
      const phone = validateMobile(req.body.phone);
      if (!phone.ok)
        throw new AppError(422, 'VALIDATION_FAILED', phone.message, [
          { field: 'phone', message: phone.message },
        ]);
      let user: Awaited<ReturnType<typeof storeStaffContact>>;
      try {
        user = await storeStaffContact(app.database.db, app.pii, {
          userId: req.params.userId,
          staffNo: req.body.staffNo.toUpperCase(),
          phone: phone.value,
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError(409, 'STAFF_NO_TAKEN');
        throw err;
      }
      if (!user) throw notFound();
      req.log.info({ target: user.id }, 'staff contact set');
      return reply.code(204).send(null);
    },
  );
}
