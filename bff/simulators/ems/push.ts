import { randomUUID } from 'node:crypto';
import { sealLogitcs } from '../../src/integrations/ems/crypto';
import { formatEmsTime } from '../../src/integrations/ems/time';
import { type EmsPushBody, TRACK_PUSH_API_CODE } from '../../src/integrations/ems/tracking';

/** Builds a 040002 push body as EMS sends it, from the format the BFF decodes (src/integrations/ems/tracking). */
export function encodeTrackPush(
  events: readonly unknown[],
  cfg: { senderNo: string; signKey: string },
  serialNo: string = randomUUID().replaceAll('-', '').toUpperCase(),
): EmsPushBody {
  return {
    logitcsInterface: sealLogitcs(JSON.stringify(events), cfg.signKey),
    method: TRACK_PUSH_API_CODE,
    msgType: '0',
    senderNo: cfg.senderNo,
    serialNo,
    timeStamp: formatEmsTime(new Date()),
    version: 'V1.0.0',
  };
}
