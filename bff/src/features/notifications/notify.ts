import type { NotificationKind } from '@zyt/shared';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import { notifications, subscribeGrants, users } from '../../db/schema';
import { WECHAT_NOT_SUBSCRIBED, WechatError } from '../../integrations/wechat/client';
import type { SubscribeData } from '../../integrations/wechat/subscribe';
import { type JobQueue, jobTimeoutSeconds, OUTAGE_RETRY_SCHEDULE, PermanentJobError } from '../../jobs/queue';

export const SEND_SUBSCRIBE_MESSAGE = 'wechat.subscribe-message';

/**
 * Queues a subscribe message in the caller's transaction. The dedupe key makes it at most once: asking twice
 * for `case:42:accepted` sends one message. Returns false when it was already queued.
 */
export async function queueNotification(
  tx: DatabaseOrTransaction,
  jobs: JobQueue,
  params: { userId: string; templateId: string; dedupeKey: string; page?: string; data: SubscribeData },
): Promise<boolean> {
  const [created] = await tx
    .insert(notifications)
    .values(params)
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  if (!created) return false;
  await jobs.enqueue(tx, SEND_SUBSCRIBE_MESSAGE, { notificationId: created.id });
  return true;
}

/**
 * Tells a person about their case, if they agreed to hear about it: the message is recorded once per dedupe
 * key, and sent only against a one-time grant of that kind (一次性订阅), which it uses up. Without a grant it is
 * recorded as not_subscribed and nothing goes to WeChat. In the caller's transaction.
 */
export async function notifyUser(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  params: { userId: string; kind: NotificationKind; dedupeKey: string; page?: string; data: SubscribeData },
): Promise<'queued' | 'not_subscribed' | 'duplicate'> {
  const [created] = await tx
    .insert(notifications)
    .values({
      userId: params.userId,
      templateId: app.config.wechat.templates[params.kind],
      dedupeKey: params.dedupeKey,
      page: params.page,
      data: params.data,
    })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  if (!created) return 'duplicate';
  const [grant] = await tx
    .update(subscribeGrants)
    .set({ remaining: sql`${subscribeGrants.remaining} - 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(subscribeGrants.userId, params.userId),
        eq(subscribeGrants.kind, params.kind),
        gt(subscribeGrants.remaining, 0),
      ),
    )
    .returning({ remaining: subscribeGrants.remaining });
  if (!grant) {
    await tx.update(notifications).set({ status: 'not_subscribed' }).where(eq(notifications.id, created.id));
    return 'not_subscribed';
  }
  await app.jobs.enqueue(tx, SEND_SUBSCRIBE_MESSAGE, { notificationId: created.id });
  return 'queued';
}

export function defineNotificationJobs(app: FastifyInstance): void {
  const { db } = app.database;
  const setStatus = (id: string, status: 'sent' | 'not_subscribed' | 'failed', errcode?: number) =>
    db
      .update(notifications)
      .set({ status, errcode, sentAt: status === 'sent' ? sql`now()` : null })
      .where(eq(notifications.id, id));

  app.jobs.define<{ notificationId: string }>({
    name: SEND_SUBSCRIBE_MESSAGE,
    // WeChat down for a day: the message still goes (it says what happened, not what is happening).
    retrySchedule: OUTAGE_RETRY_SCHEDULE,
    // The send, and an access-token refresh before it.
    expireInSeconds: jobTimeoutSeconds(app.config.wechat.timeoutMs, 2),
    batchSize: 20,
    async handle({ notificationId }) {
      const [n] = await db
        .select({ n: notifications, openid: users.openid })
        .from(notifications)
        .innerJoin(users, eq(users.id, notifications.userId))
        .where(eq(notifications.id, notificationId));
      if (n?.n.status !== 'pending') return; // already settled: a re-run does nothing
      try {
        await app.wechat.sendSubscribeMessage({
          touser: n.openid,
          templateId: n.n.templateId,
          page: n.n.page ?? undefined,
          data: n.n.data,
        });
        await setStatus(notificationId, 'sent');
      } catch (err) {
        if (!(err instanceof WechatError)) throw err;
        // The user did not subscribe: recorded as final; retrying cannot change their choice.
        if (err.errcode === WECHAT_NOT_SUBSCRIBED)
          return setStatus(notificationId, 'not_subscribed', err.errcode);
        if (err.errcode === 47003) {
          await setStatus(notificationId, 'failed', err.errcode);
          throw new PermanentJobError(err.message);
        }
        throw err;
      }
    },
  });
}
