import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse, GrantRolesBody, MeResponse, Role, staffRoles } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, notFound } from '../../lib/errors';
import { setRoles, toMe } from '../me/users';

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
}
