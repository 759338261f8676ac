import type { Address, Contact } from '@zyt/shared';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { cases } from '../../db/schema';
import { type GovDelivery, GovError } from '../../integrations/gov/types';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';
import { destinationOf } from '../cases/followUps';

/** 变更送达方式: tells the platform a case's result is to be mailed (a mailing added after the submission). */
export const CHANGE_DELIVERY = 'gov.change-delivery';

/** The platform's 结果送达方式 for a result mailed to this receiver. */
export const govDelivery = (address: Address, contact: Contact): GovDelivery => ({
  mode: 'mail',
  receiver: {
    name: contact.name,
    mobile: contact.phone,
    province: address.province,
    city: address.city,
    county: address.county,
    detail: address.detail,
  },
});

/**
 * Sends the case's mailing to the platform (POST /cases/:projId/delivery). Idempotent there for the same
 * receiver, so a retried job is harmless. A refusal (case closed, result already collected) is permanent and
 * dead-letters for staff to see.
 */
export function defineResultMailingJobs(app: FastifyInstance): void {
  const { db } = app.database;
  app.jobs.define<{ caseId: string }>({
    name: CHANGE_DELIVERY,
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs),
    async handle({ caseId }) {
      const [c] = await db.select().from(cases).where(eq(cases.id, caseId));
      if (!c?.projId) throw new PermanentJobError('no numbered case to change the delivery of');
      const to = await destinationOf(db, app, c);
      if (!to) throw new PermanentJobError('the case has no result mailing');
      try {
        await app.gov.changeDelivery(c.projId, govDelivery(to.address, to.contact));
      } catch (err) {
        if (err instanceof GovError && !err.retryable)
          throw new PermanentJobError(`platform refused the delivery change: ${err.code} ${err.message}`);
        throw err;
      }
    },
  });
}
