import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  type NotificationKind,
  notificationKindLabels,
  notificationKinds,
  RecordSubscriptionsBody,
  SubscriptionsResponse,
} from '@zyt/shared';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { subscribeGrants } from '../../db/schema';
import { AppError, errorResponses } from '../../lib/errors';

/**
 * Subscribe-message consent. WeChat's dialog (requestSubscribeMessage) answers per template id; each "accept"
 * lets us send one message of that template, so we count them and send only against one.
 */
export default async function subscriptionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;
  const { templates } = app.config.wechat;
  const kindOf = new Map(notificationKinds.map((k) => [templates[k], k]));

  async function current(userId: string) {
    const rows = await db.select().from(subscribeGrants).where(eq(subscribeGrants.userId, userId));
    return {
      templates: notificationKinds.map((kind) => ({
        kind,
        templateId: templates[kind],
        title: notificationKindLabels[kind],
      })),
      grants: Object.fromEntries(
        notificationKinds.map((k) => [k, rows.find((r) => r.kind === k)?.remaining ?? 0]),
      ),
    };
  }

  app.get(
    '/me/subscriptions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['me'],
        summary: 'Subscribe-message templates to ask for, and the messages each still allows',
        response: { 200: SubscriptionsResponse, ...errorResponses(401) },
      },
    },
    async (req) => current(req.userId),
  );

  app.post(
    '/me/subscriptions',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['me'],
        summary: 'Record what the person answered in WeChat’s subscribe dialog',
        body: RecordSubscriptionsBody,
        response: { 200: SubscriptionsResponse, ...errorResponses(400, 401) },
      },
    },
    async (req) => {
      const unknown = Object.keys(req.body.results).filter((id) => !kindOf.has(id));
      if (unknown.length > 0)
        throw new AppError(
          400,
          'SUBSCRIPTION_TEMPLATE_UNKNOWN',
          undefined,
          unknown.map((id) => ({ field: `results.${id}`, message: '不是本小程序的提醒模板' })),
        );
      const accepted = Object.entries(req.body.results)
        .filter(([, answer]) => answer === 'accept')
        .map(([id]) => kindOf.get(id) as NotificationKind);
      if (accepted.length > 0)
        await db
          .insert(subscribeGrants)
          .values(accepted.map((kind) => ({ userId: req.userId, kind, remaining: 1 })))
          .onConflictDoUpdate({
            target: [subscribeGrants.userId, subscribeGrants.kind],
            set: { remaining: sql`${subscribeGrants.remaining} + 1`, updatedAt: sql`now()` },
          });
      return current(req.userId);
    },
  );
}
