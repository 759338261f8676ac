import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config';
import { type DatabaseHandle, openDatabase } from './db/client';
import adminRoutes from './features/admin/routes';
import authRoutes from './features/auth/routes';
import { sessionState } from './features/auth/tokens';
import { defineBagJobs, scheduleBagReminders } from './features/bags/jobs';
import bagRoutes from './features/bags/routes';
import { scheduleBookingExpiry } from './features/bookings/expiry';
import { defineBookingJobs } from './features/bookings/jobs';
import visitPhotoRoutes from './features/bookings/photos';
import bookingRoutes from './features/bookings/routes';
import visitRoutes from './features/bookings/visits';
import { defineBundleParcels } from './features/bundles/parcels';
import bundleRoutes from './features/bundles/routes';
import { defineCaseFollowUps } from './features/cases/followUps';
import govHookRoutes from './features/cases/govHooks';
import { defineMaterialsArrival } from './features/cases/materialsArrival';
import { defineCasePolling } from './features/cases/poll';
import { defineCaseProblems } from './features/cases/problems';
import caseRoutes from './features/cases/routes';
import catalogueRoutes from './features/catalogue/routes';
import { defineCatalogueJobs, scheduleCatalogueSync } from './features/catalogue/sync';
import { defineEnterpriseJobs, scheduleSubsidyReminders } from './features/enterprises/jobs';
import roundProgressRoutes from './features/enterprises/progressRoutes';
import enterpriseRoutes from './features/enterprises/routes';
import { defineEvaluationJobs } from './features/evaluations/jobs';
import evaluationRoutes from './features/evaluations/routes';
import figuresRoutes from './features/figures/routes';
import healthRoutes from './features/health/routes';
import meRoutes from './features/me/routes';
import { defineNotificationJobs } from './features/notifications/notify';
import subscriptionRoutes from './features/notifications/routes';
import opsRoutes from './features/ops/routes';
import publicFactsRoutes from './features/publicFacts/routes';
import { defineResultMailingJobs } from './features/resultMailings/jobs';
import resultMailingRoutes from './features/resultMailings/routes';
import { defineSettlementJobs } from './features/settlement/reconcile';
import settlementRoutes from './features/settlement/routes';
import emsHookRoutes from './features/shipments/hooks';
import { defineShipmentJobs, scheduleShipmentPolling } from './features/shipments/shipments';
import staffRoutes from './features/staff/routes';
import supervisionRoutes from './features/supervision/routes';
import { defineWindowJobs } from './features/window/jobs';
import windowRoutes from './features/window/routes';
import { scheduleWindowSweeps } from './features/window/sweeps';
import workbenchRoutes from './features/workbench/routes';
import { createEmsClient, type EmsApi } from './integrations/ems/client';
import { createGovClient } from './integrations/gov/client';
import type { GovPlatformApi } from './integrations/gov/types';
import { createWechatClient, type WechatApi } from './integrations/wechat/client';
import { JobQueue, type JobQueueOptions } from './jobs/queue';
import { createPiiCipher, type PiiCipher } from './lib/pii';
import access from './plugins/access';
import errorHandling from './plugins/errors';
import inputGuard from './plugins/input';
import rateLimits from './plugins/rateLimits';
import securityHeaders from './plugins/securityHeaders';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DatabaseHandle;
    pii: PiiCipher;
    wechat: WechatApi;
    ems: EmsApi;
    gov: GovPlatformApi;
    jobs: JobQueue;
  }
}

export interface AppOptions {
  config: Config;
  /**
   * The database, opened and migrated before Fastify is built (see server.ts): opening it inside the plugin
   * would race Fastify's plugin timeout on a busy machine. The app closes it when it closes.
   */
  database?: DatabaseHandle;
  /** Replace the WeChat client (the HTTP client is used otherwise). */
  wechat?: WechatApi;
  /** Job timing; tests shorten retry schedules and expiry. */
  jobs?: JobQueueOptions;
}

/** The BFF as a plugin: server.ts, the demo launcher and tests each build their own Fastify around it. */
async function zhengyoutong(app: FastifyInstance, opts: AppOptions) {
  const { config } = opts;
  const database =
    opts.database ??
    // A pooled connection that dies while idle (database restarted, network cut) is dropped and replaced.
    (await openDatabase(config, (err) => app.log.warn({ err }, 'database connection lost')));
  app.decorate('config', config);
  app.decorate('database', database);
  app.decorate('pii', createPiiCipher(config.piiKey));
  app.decorate('wechat', opts.wechat ?? createWechatClient(config.wechat));
  app.decorate('ems', createEmsClient(config.ems));
  app.decorate('gov', createGovClient(config.gov));
  const jobs = new JobQueue(database, app.log, opts.jobs);
  app.decorate('jobs', jobs);
  // On shutdown workers stop taking jobs and finish the running ones while requests drain, and both finish
  // before the database closes.
  app.addHook('preClose', (done) => {
    void jobs.stopWorking();
    done();
  });
  app.addHook('onClose', async () => {
    await jobs.stop();
    app.log.info('jobs stopped');
    await database.close();
    app.log.info('database closed');
  });

  await app.register(errorHandling);
  // First of the onRequest hooks: answers refused by a later one (401, 429) carry the headers too.
  await app.register(securityHeaders);
  await app.register(access, {
    secret: config.jwtSecret,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    sessionState: (claims) => sessionState(database.db, claims),
  });
  await app.register(inputGuard);
  await app.register(rateLimits, { config: config.rateLimit });
  await app.register(swagger, {
    openapi: {
      info: {
        title: '政邮通 BFF',
        version: '1.0.0',
        description: 'The API the 政邮通 mini-program talks to.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  });
  // The document is always built (app.swagger(), the fuzz test walks it); the UI and /docs/json are served
  // only when switched on (off by default in production: no map of the API for strangers).
  if (config.docs) await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(healthRoutes);
  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(meRoutes);
      await api.register(catalogueRoutes);
      await api.register(adminRoutes);
      await api.register(opsRoutes);
      await api.register(emsHookRoutes);
      await api.register(govHookRoutes);
      await api.register(bookingRoutes);
      await api.register(bundleRoutes);
      await api.register(visitRoutes);
      await api.register(visitPhotoRoutes);
      await api.register(supervisionRoutes);
      await api.register(figuresRoutes);
      await api.register(roundProgressRoutes);
      await api.register(staffRoutes);
      await api.register(caseRoutes);
      await api.register(resultMailingRoutes);
      await api.register(subscriptionRoutes);
      await api.register(publicFactsRoutes);
      await api.register(bagRoutes);
      await api.register(evaluationRoutes);
      await api.register(enterpriseRoutes);
      await api.register(workbenchRoutes);
      await api.register(settlementRoutes);
      await api.register(windowRoutes);
    },
    { prefix: '/api/v1' },
  );

  defineNotificationJobs(app);
  defineShipmentJobs(app);
  scheduleShipmentPolling(app);
  defineCatalogueJobs(app);
  defineBookingJobs(app);
  defineBundleParcels(app);
  defineCaseFollowUps(app);
  defineMaterialsArrival(app);
  defineCasePolling(app);
  defineBagJobs(app);
  defineEvaluationJobs(app);
  defineEnterpriseJobs(app);
  scheduleSubsidyReminders(app);
  defineSettlementJobs(app);
  defineWindowJobs(app);
  defineResultMailingJobs(app);
  scheduleBagReminders(app);
  defineCaseProblems(app);
  scheduleBookingExpiry(app);
  scheduleWindowSweeps(app);
  // Started when the app is ready, so every job defined by then has its queue.
  app.addHook('onReady', () => jobs.start({ work: config.jobWorkers }));
  scheduleCatalogueSync(app);
}

export default fp(zhengyoutong, { name: 'zhengyoutong', fastify: '5.x' });
