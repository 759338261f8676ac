import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { subsidyRounds } from '../../db/schema';
import { GovError } from '../../integrations/gov/types';
import { jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';
import { scheduleSweep } from '../../lib/sweep';
import { IMPORT_ROUND, importRoundList, RoundListInvalid, remindSubsidyDeadlines } from './subsidies';

/** How often deadline reminders are looked for. */
const REMIND_EVERY_MS = 10 * 60_000;

export function defineEnterpriseJobs(app: FastifyInstance): void {
  const { db } = app.database;
  app.jobs.define<{ roundId: string }>({
    name: IMPORT_ROUND,
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    // The list's download, and a 30,000-row transaction after it.
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs) + 120,
    async handle({ roundId }) {
      const [round] = await db.select().from(subsidyRounds).where(eq(subsidyRounds.id, roundId));
      if (round?.status !== 'importing') return;
      let rows: Awaited<ReturnType<typeof app.gov.fetchRoundList>>['rows'];
      try {
        ({ rows } = await app.gov.fetchRoundList(round.platformRoundId));
      } catch (err) {
        if (err instanceof GovError && !err.retryable)
          throw new PermanentJobError(`platform refused the round list: ${err.code} ${err.message}`);
        throw err;
      }
      const started = Date.now();
      const imported = await importRoundList(db, round, rows).catch((err: unknown) => {
        if (err instanceof RoundListInvalid)
          throw new PermanentJobError(`round ${round.platformRoundId}: ${err.message}`);
        throw err;
      });
      app.log.info(
        { round: round.platformRoundId, rows: imported, ms: Date.now() - started },
        'subsidy round imported',
      );
    },
  });
}

export function scheduleSubsidyReminders(app: FastifyInstance): void {
  scheduleSweep(app, 'subsidy deadline reminders', REMIND_EVERY_MS, () => remindSubsidyDeadlines(app));
}
