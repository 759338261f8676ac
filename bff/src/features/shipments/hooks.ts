import type { FastifyInstance } from 'fastify';
import { decodeTrackPush, EmsPushError, trackPushReply } from '../../integrations/ems/tracking';
import { storeTrackEvents } from './shipments';

/**
 * EMS tracking push (040002). The ciphertext, opened with our signKey, is what authenticates EMS. We answer
 * 00000 only after every event is stored; anything else makes EMS push the batch again, so nothing is lost.
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
      const stored = await app.database.db.transaction((tx) => storeTrackEvents(tx, decoded.events));
      req.log.info({ serialNo: decoded.serialNo, events: decoded.events.length, stored }, 'EMS push stored');
      return trackPushReply(decoded.serialNo, senderNo, true, 'ok');
    },
  );
}
