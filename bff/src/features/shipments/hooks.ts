import type { FastifyInstance } from 'fastify';
import { decodeTrackPush, EmsPushError, trackPushReply } from '../../integrations/ems/tracking';
import { applyTrackEvents } from './shipments';

/**
 * EMS tracking push (040002). The ciphertext, opened with our signKey, is what authenticates EMS. We answer
 * 00000 only after the events, the legs they move and what the owning features do about it have committed
 * together; anything else makes EMS push the batch again, so nothing is lost and nothing is half-stored.
 */
export default async function emsHookRoutes(app: FastifyInstance) {
  const { senderNo, signKey } = app.config.ems;

  app.post(
    '/hooks/ems/track',
    { config: { access: 'public' }, schema: { tags: ['hooks'], summary: 'EMS tracking push (040002)' } },
    async (req, reply) => {
      let decoded: ReturnType<typeof decodeTrackPush>;
      try {
        decoded = decodeTrackPush(req.body, { senderNo, signKey });
      } catch (err) {
        if (!(err instanceof EmsPushError)) throw err;
        req.log.warn({ reason: err.reason }, 'EMS push refused');
        return reply.code(400).send(trackPushReply(err.serialNo ?? '', senderNo, false, err.reason));
      }
      let stored: number;
      let changed: number;
      try {
        const result = await app.database.db.transaction((tx) => applyTrackEvents(app, tx, decoded.events));
        stored = result.stored;
        changed = result.changed.length;
      } catch (err) {
        // Only the message: a driver error can carry the statement's parameters (the proxy's ID among them).
        req.log.error(
          { serialNo: decoded.serialNo, err: { message: (err as Error).message } },
          'EMS push not stored',
        );
        return reply.code(500).send(trackPushReply(decoded.serialNo, senderNo, false, 'NOT_STORED'));
      }
      req.log.info(
        { serialNo: decoded.serialNo, events: decoded.events.length, stored, changed },
        'EMS push stored',
      );
      return trackPushReply(decoded.serialNo, senderNo, true, 'ok');
    },
  );
}
