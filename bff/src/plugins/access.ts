import fastifyJwt from '@fastify/jwt';
import { type Role, staffRoles } from '@zyt/shared';
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
  /** The sign-in session (refresh-token family) the token was issued in: sign-out ends it. */
  sid: string;
}

/** What the database says about a token's user and session now. */
export interface SessionState {
  /** The session was not signed out (or revoked) and has not expired. */
  active: boolean;
  /** The user's roles now (a supervisor may have removed one since the token was issued). */
  roles: Role[];
}

export interface AccessOptions {
  secret: string;
  accessTokenTtlSeconds: number;
  /**
   * Looks a token's session up. Staff routes ask on every request, so sign-out and role removal take effect
   * at once; other routes use an answer up to `sessionCacheMs` old. Without it, the token alone decides.
   */
  sessionState?: (claims: { userId: string; sessionId: string }) => Promise<SessionState | undefined>;
  sessionCacheMs?: number;
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

/** A bounded cache of session answers for non-staff routes (oldest entries dropped first). */
function sessionCache(maxAgeMs: number, maxEntries = 10_000) {
  const entries = new Map<string, { at: number; state: SessionState | undefined }>();
  return {
    get(key: string): SessionState | undefined | null {
      const hit = entries.get(key);
      if (!hit || Date.now() - hit.at > maxAgeMs) return null;
      return hit.state;
    },
    set(key: string, state: SessionState | undefined) {
      entries.delete(key);
      entries.set(key, { at: Date.now(), state });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isStaffRule = (rule: Access) => Array.isArray(rule) && rule.some((r) => staffRoles.includes(r));

export default fp(
  async function access(app: FastifyInstance, opts: AccessOptions) {
    await app.register(fastifyJwt, {
      secret: opts.secret,
      sign: { expiresIn: opts.accessTokenTtlSeconds, algorithm: 'HS256' },
      verify: { algorithms: ['HS256'] },
    });
    app.decorateRequest('userId', '');
    const cache = sessionCache(opts.sessionCacheMs ?? 60_000);

    async function check(req: FastifyRequest, rule: Exclude<Access, 'public'>) {
      try {
        await req.jwtVerify();
      } catch (err) {
        throw tokenError(err as { code?: string });
      }
      req.userId = req.user.sub;
      if (opts.sessionState) {
        if (typeof req.user.sid !== 'string' || !UUID.test(req.user.sid))
          throw new AppError(401, 'TOKEN_INVALID');
        const key = `${req.user.sub}/${req.user.sid}`;
        let state = isStaffRule(rule) ? null : cache.get(key);
        if (state === null) {
          state = await opts.sessionState({ userId: req.user.sub, sessionId: req.user.sid });
          cache.set(key, state);
        }
        if (!state?.active) throw new AppError(401, 'TOKEN_INVALID');
        req.user.roles = state.roles;
      }
      if (rule !== 'signed-in' && !req.user.roles.some((r) => rule.includes(r)))
        throw new AppError(403, 'FORBIDDEN');
    }

    // The check is attached to each route that needs it, not run (and skipped) on every request: public routes
    // (health, hooks, sign-in) pay nothing. Route-level onRequest hooks run after the app-wide ones (security
    // headers first) and ahead of any the route has or a later plugin attaches (rate limits need req.userId).
    app.addHook('onRoute', (route) => {
      const rule = route.config?.access;
      if (route.url.startsWith('/api/') && rule === undefined) {
        throw new Error(`Route ${route.method} ${route.url} must declare config.access`);
      }
      if (rule === undefined || rule === 'public') return;
      const existing = route.onRequest ? [route.onRequest].flat() : [];
      route.onRequest = [(req: FastifyRequest) => check(req, rule), ...existing] as never;
    });
  },
  { name: 'access' },
);
