import fastifyJwt from '@fastify/jwt';
import type { Role } from '@zyt/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors';

/**
 * Who may call a route. Every route under /api/v1 must say it (`config.access`); the app refuses to start
 * otherwise, so a forgotten guard cannot ship.
 * - `public`: anyone, no token
 * - `signed-in`: any valid access token
 * - a list of roles: a valid token carrying one of them
 */
export type Access = 'public' | 'signed-in' | readonly Role[];

export interface AccessClaims {
  sub: string;
  roles: Role[];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** The signed-in user's id; set on every route that is not public. */
    userId: string;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: AccessClaims;
    user: AccessClaims;
  }
}

function tokenError(err: { code?: string }): AppError {
  if (err.code === 'FST_JWT_NO_AUTHORIZATION_IN_HEADER') return new AppError(401, 'UNAUTHENTICATED');
  if (err.code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED') return new AppError(401, 'TOKEN_EXPIRED');
  return new AppError(401, 'TOKEN_INVALID');
}

export default fp(
  async function access(app: FastifyInstance, opts: { secret: string; accessTokenTtlSeconds: number }) {
    await app.register(fastifyJwt, {
      secret: opts.secret,
      sign: { expiresIn: opts.accessTokenTtlSeconds, algorithm: 'HS256' },
      verify: { algorithms: ['HS256'] },
    });
    app.decorateRequest('userId', '');

    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/api/') && route.config?.access === undefined) {
        throw new Error(`Route ${route.method} ${route.url} must declare config.access`);
      }
    });

    app.addHook('onRequest', async (req: FastifyRequest) => {
      const rule = req.routeOptions.config?.access;
      if (rule === undefined || rule === 'public') return;
      try {
        await req.jwtVerify();
      } catch (err) {
        throw tokenError(err as { code?: string });
      }
      req.userId = req.user.sub;
      if (rule !== 'signed-in' && !req.user.roles.some((r) => rule.includes(r)))
        throw new AppError(403, 'FORBIDDEN');
    });
  },
  { name: 'access' },
);
