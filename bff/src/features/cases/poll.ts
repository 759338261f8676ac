import { randomUUID } from 'node:crypto';
import { and, inArray, isNotNull, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { cases } from '../../db/schema';
import type { GovCase } from '../../integrations/gov/types';
import { GovError } from '../../integrations/gov/types';
import { jobTimeoutSeconds, PermanentJobError } from '../../jobs/queue';
import { scheduleSweep } from '../../lib/sweep';
import { applyStageEvents, type GovStageEvent, openCaseStatuses } from './cases';

export const POLL_CASE = 'cases.poll';
const SWEEP_EVERY_MS = 60_000;

/**
 * A polled case's history as stage events. They carry no platform event id, so one is made up; the natural
 * key (case, stage, time) makes the callback that may still come for the same stage a duplicate.
 */
export function stageEventsOf(c: GovCase): GovStageEvent[] {
  return c.history.map((h) => ({
    eventId: `poll:${randomUUID()}`,
    projId: c.projId,
    ourId: c.ourId,
    serviceCode: c.serviceCode,
    stage: h.stage,
    status: h.status,
    occurredAt: h.at,
    ...(h.stage === '2' && c.promiseTime ? { promiseTime: c.promiseTime } : {}),
    ...(h.stage === '11' && c.supplement ? { supplement: c.supplement } : {}),
    ...(h.stage === '12' && c.suspension ? { suspension: c.suspension } : {}),
    ...(h.stage === '99' && c.refusal ? { refusal: c.refusal } : {}),
    ...(h.stage === '4' && c.result ? { result: c.result } : {}),
  }));
}

/** Queues a case query for every open case the platform has not mentioned for too long; returns how many. */
export async function pollSilentCases(app: FastifyInstance, now = new Date()): Promise<number> {
  const silentSince = new Date(now.getTime() - app.config.tracking.silentAfterMinutes * 60_000);
  const silent = await app.database.db
    .select({ projId: cases.projId })
    .from(cases)
    .where(
      and(
        inArray(cases.status, openCaseStatuses),
        isNotNull(cases.projId),
        lt(cases.lastHeardAt, silentSince),
      ),
    )
    .limit(1000);
  // One query per case per silent period, even while the platform is down and the job keeps failing:
  // pg-boss needs singletonSeconds for singletonKey to hold on a plain queue.
  let enqueued = 0;
  for (const { projId } of silent) {
    const id = await app.jobs.enqueue(
      app.database.db,
      POLL_CASE,
      { projId },
      { singletonKey: projId!, singletonSeconds: app.config.tracking.silentAfterMinutes * 60 },
    );
    if (id) enqueued++;
  }
  return enqueued;
}

export function defineCasePolling(app: FastifyInstance): void {
  const { db } = app.database;
  app.jobs.define<{ projId: string }>({
    name: POLL_CASE,
    // The sweep asks again while the case stays silent: a few retries are enough.
    retrySchedule: [30, 60, 120, 240, 480],
    expireInSeconds: jobTimeoutSeconds(app.config.gov.timeoutMs),
    batchSize: 20,
    async handle({ projId }) {
      let found: GovCase;
      try {
        found = await app.gov.getCase(projId);
      } catch (err) {
        if (err instanceof GovError && !err.retryable)
          throw new PermanentJobError(`platform cannot find case ${projId}: ${err.code}`);
        throw err;
      }
      const stored = await db.transaction((tx) => applyStageEvents(tx, app, projId, stageEventsOf(found)));
      if (stored > 0) app.log.info({ projId, stored }, 'silent case polled: missed stages recovered');
    },
  });

  scheduleSweep(app, 'silent cases', SWEEP_EVERY_MS, () => pollSilentCases(app));
}
