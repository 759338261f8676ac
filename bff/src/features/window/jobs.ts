import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { cases, matterMaterials, matters, outlets, windowIntakes } from '../../db/schema';
import { GovError } from '../../integrations/gov/types';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';
import { caseSubmitted } from '../cases/cases';
import { destinationOf } from '../cases/followUps';
import { govDelivery } from '../resultMailings/jobs';
import { applicantOf, WINDOW_SUBMIT_CASE } from './window';

/**
 * Submits an outlet-window case to the platform (网点就近办): the applicant as checked at the window, the
 * materials as reviewed there, and the accepting outlet. The materials travel to the centre by EMS (BUS_MODE
 * 01 where the matter allows it: the centre examines once they arrive). The platform answers with the PROJID
 * and the receipt's 查询码; both are kept in one transaction. Idempotent on the case id (ourId). A result
 * mailing chosen at the window goes with it as the case's 结果送达方式 (delivery).
 */
export function defineWindowJobs(app: FastifyInstance): void {
  const { db } = app.database;
  app.jobs.define<{ intakeId: string }>({
    name: WINDOW_SUBMIT_CASE,
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs),
    async handle({ intakeId }) {
      const [row] = await db
        .select({ i: windowIntakes, c: cases })
        .from(windowIntakes)
        .innerJoin(cases, eq(cases.id, windowIntakes.caseId))
        .where(and(eq(windowIntakes.id, intakeId), eq(windowIntakes.status, 'collected')));
      if (!row) throw new PermanentJobError('no collected window intake with a case');
      const { i, c } = row;
      if (c.projId && i.queryCode) return;
      const [[matter], [outlet], materials] = await Promise.all([
        db.select().from(matters).where(eq(matters.code, i.matterCode)),
        db.select().from(outlets).where(eq(outlets.id, i.outletId)),
        db
          .select()
          .from(matterMaterials)
          .where(eq(matterMaterials.matterCode, i.matterCode))
          .orderBy(asc(matterMaterials.position)),
      ]);
      if (!matter || !outlet) throw new PermanentJobError('matter or outlet missing');
      const who = applicantOf(app, i);
      // 结果送达方式: result mailing chosen at the window travels with the submission.
      const mailTo = await destinationOf(db, app, c);
      const reviewed = new Map((i.review ?? []).map((r) => [r.materialId, r]));
      try {
        const { projId, queryCode } = await app.gov.submitCase({
          ourId: c.id,
          serviceCode: i.matterCode,
          serviceVersion: i.matterVersion,
          projectName: `${who.name}申请${i.matterName}`,
          applyType: 0,
          applicant: {
            name: who.name,
            cardType: '111',
            cardNumber: who.idNumber,
            mobile: who.phone,
            address: who.address,
          },
          acceptList: materials.map((m) => ({
            materialId: m.id,
            name: m.name,
            form: m.form,
            count: reviewed.get(m.id)?.copies ?? 0,
            provided: reviewed.get(m.id)?.present ?? false,
          })),
          busMode: matter.mail === 'none' ? '00' : '01',
          infoType: matter.caseType as 1 | 2 | 3 | 4,
          window: { outletId: outlet.id },
          ...(mailTo ? { delivery: govDelivery(mailTo.address, mailTo.contact) } : {}),
        });
        if (!queryCode) throw new PermanentJobError('the platform gave the window case no query code');
        await db.transaction(async (tx) => {
          await caseSubmitted(tx, c.id, projId);
          await tx
            .update(windowIntakes)
            .set({ queryCode: sql`coalesce(${windowIntakes.queryCode}, ${queryCode})` })
            .where(eq(windowIntakes.id, i.id));
        });
      } catch (err) {
        if (err instanceof GovError && !err.retryable)
          throw new PermanentJobError(`platform refused the window case: ${err.code} ${err.message}`);
        throw err;
      }
    },
  });
}
