import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse, RefreshBody, TokenResponse, WechatLoginBody } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { User } from '../../db/schema';
import { WechatError } from '../../integrations/wechat/client';
import { AppError } from '../../lib/errors';
import { getUserById, toMe, upsertUserByOpenid } from '../me/users';
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken } from './tokens';

/** WeChat's answer → what our caller can do about it. */
function wechatFailure(err: WechatError): AppError {
  switch (err.errcode) {
    case 40029: // invalid code
    case 40163: // code already used
      return new AppError(400, 'WECHAT_CODE_INVALID');
    case 45011:
      return new AppError(429, 'WECHAT_RATE_LIMITED');
    case 40226:
      return new AppError(403, 'WECHAT_USER_BLOCKED');
    default:
      return new AppError(502, 'WECHAT_UNAVAILABLE');
  }
}

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  429: ErrorResponse,
  502: ErrorResponse,
};

export default async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  // `sid` names the session, so sign-out can end the access tokens issued in it too (plugins/access.ts).
  const tokensFor = async (user: User, refreshToken: string, sessionId: string) => ({
    accessToken: await app.jwt.sign({ sub: user.id, roles: user.roles as never, sid: sessionId }),
    expiresIn: app.config.accessTokenTtlSeconds,
    refreshToken,
    user: toMe(user, app.pii),
  });

  app.post(
    '/auth/wechat',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a wx.login code',
        body: WechatLoginBody,
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (req) => {
      // WeChat is called before any transaction opens: no network inside a database transaction.
      const session = await app.wechat.code2Session(req.body.code).catch((err: unknown) => {
        if (err instanceof WechatError) {
          req.log.warn({ errcode: err.errcode }, 'wechat code2Session failed');
          throw wechatFailure(err);
        }
        throw err;
      });
      const { user, refresh } = await db.transaction(async (tx) => {
        const user = await upsertUserByOpenid(tx, session);
        return {
          user,
          refresh: await issueRefreshToken(tx, { userId: user.id, ttlDays: app.config.refreshTokenTtlDays }),
        };
      });
      return tokensFor(user, refresh.token, refresh.familyId);
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Rotate the refresh token',
        body: RefreshBody,
        response: { 200: TokenResponse, ...errors },
      },
    },
    async (req) => {
      const result = await rotateRefreshToken(db, req.body.refreshToken, app.config.refreshTokenTtlDays);
      if (!result.ok) {
        if (result.reason === 'reused') req.log.warn('refresh token reused: family revoked');
        throw new AppError(
          401,
          result.reason === 'reused' ? 'REFRESH_TOKEN_REUSED' : 'REFRESH_TOKEN_INVALID',
        );
      }
      const user = await getUserById(db, result.userId);
      if (!user) throw new AppError(401, 'REFRESH_TOKEN_INVALID');
      return tokensFor(user, result.token, result.familyId);
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: revoke the refresh token family',
        body: RefreshBody,
        response: { 204: Type.Null(), 400: ErrorResponse },
      },
    },
    async (req, reply) => {
      await revokeRefreshToken(db, req.body.refreshToken);
      return reply.code(204).send(null);
    },
  );
}
