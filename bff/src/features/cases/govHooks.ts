import { lt } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { govNonces } from '../../db/schema';
import { REPLAY_WINDOW_MS, verifySignatureAsync } from '../../integrations/gov/signing';
import { parseCaseCallback, parseRoundNotice } from '../../integrations/gov/types';
import { AppError } from '../../lib/errors';
import { receiveRound } from '../enterprises/subsidies';
import { applyStageEvents } from './cases';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/**
 * Stage callbacks from the government platform (收件, 受理, 审核, 办结, 补齐补正, 挂起, 不予受理, 退件). They are
 * signed like our requests to it (HMAC over method, path, timestamp, nonce and the exact body bytes). Each
 * event is stored once and moves the case in the same transaction; the platform re-sends until it gets a 2xx.
 */
export default async function govHookRoutes(app: FastifyInstance) {
  const { appId, appSecret } = app.config.gov;
  const { db } = app.database;

  // The signature covers the bytes as sent: keep them before parsing (this plugin's routes only).
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (req: FastifyRequest, body: string, done) => {
      req.rawBody = body;
      try {
        done(null, JSON.parse(body));
      } catch {
        done(new AppError(400, 'INVALID_JSON'), undefined);
      }
    },
  );

  /** Remembers a nonce for every instance; true when it was already used (a replay). */
  async function seenNonce(nonce: string): Promise<boolean> {
    await db.delete(govNonces).where(lt(govNonces.seenAt, new Date(Date.now() - 2 * REPLAY_WINDOW_MS)));
    const fresh = await db
      .insert(govNonces)
      .values({ nonce })
      .onConflictDoNothing()
      .returning({ nonce: govNonces.nonce });
    return fresh.length === 0;
  }

  /** Checks a callback's signature (and that its nonce is fresh); refused with 401 otherwise. */
  async function verify(req: FastifyRequest) {
    const verdict = await verifySignatureAsync({
      headers: req.headers,
      method: req.method,
      path: req.url,
      rawBody: req.rawBody ?? '',
      appSecret,
      expectedAppId: appId,
      now: Date.now(),
      seenNonce,
    });
    if (!verdict.ok) {
      req.log.warn({ reason: verdict.reason }, 'gov callback refused');
      throw new AppError(401, 'SIGNATURE_INVALID', undefined, [
        { field: 'signature', message: verdict.reason },
      ]);
    }
  }

  app.post(
    '/hooks/gov/rounds',
    {
      config: { access: 'public' },
      schema: { tags: ['hooks'], summary: 'Government platform publishes a 免申即享 round (signed)' },
    },
    async (req) => {
      await verify(req);
      const parsed = parseRoundNotice(req.body);
      if (!parsed.ok)
        throw new AppError(
          400,
          'SUBSIDY_ROUND_INVALID',
          undefined,
          parsed.errors.map((e) => ({ field: e.split(':')[0]!, message: e })),
        );
      const fresh = await db.transaction((tx) => receiveRound(tx, app, parsed.value));
      req.log.info({ roundId: parsed.value.roundId, duplicate: !fresh }, 'gov round notice stored');
      return { ok: true };
    },
  );

  app.post(
    '/hooks/gov/cases',
    {
      config: { access: 'public' },
      schema: { tags: ['hooks'], summary: 'Government platform case stage callback (signed)' },
    },
    async (req) => {
      await verify(req);
      const parsed = parseCaseCallback(req.body);
      if (!parsed.ok) {
        throw new AppError(
          400,
          'VALIDATION_FAILED',
          undefined,
          parsed.errors.map((e) => ({ field: e.split(':')[0]!, message: e })),
        );
      }
      const c = parsed.value;
      const stored = await db.transaction((tx) => applyStageEvents(tx, app, c.projId, [c]));
      req.log.info({ projId: c.projId, stage: c.stage, duplicate: stored === 0 }, 'gov callback stored');
      return { ok: true };
    },
  );
}
