import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, users } from '../src/db/schema';
import { queueNotification } from '../src/features/notifications/notify';
import { PermanentJobError } from '../src/jobs/queue';
import { bearer, buildTestApp, type TestApp } from './helpers';

let t: TestApp;
const calls = new Map<string, number>();
let failUntil = 0;
const attempts = new Map<string, number[]>();

beforeAll(async () => {
  t = await buildTestApp({}, (app) => {
    app.jobs.define<{ key: string }>({
      name: 'test.flaky',
      retrySchedule: [1, 1, 1],
      async handle({ key }) {
        const n = (calls.get(key) ?? 0) + 1;
        calls.set(key, n);
        if (n <= failUntil) throw new Error(`attempt ${n} failed`);
      },
    });
    app.jobs.define<{ key: string }>({
      name: 'test.scheduled',
      retrySchedule: [1, 3],
      async handle({ key }) {
        attempts.set(key, [...(attempts.get(key) ?? []), Date.now()]);
        throw new Error('always down');
      },
    });
    app.jobs.define<{ key: string }>({
      name: 'test.invalid',
      retrySchedule: [1, 1, 1, 1, 1],
      async handle({ key }) {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        throw new PermanentJobError('remote refused the request as invalid');
      },
    });
  });
});
afterAll(() => t?.close());

const until = async (check: () => Promise<boolean> | boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
};
const jobState = async (id: string) =>
  (await t.app.database.rows<{ state: string }>(sql`select state from pgboss.job where id = ${id}::uuid`))[0]
    ?.state;

describe('jobs as an outbox', () => {
  it('enqueues only when the transaction commits', async () => {
    const { db } = t.app.database;
    await expect(
      db.transaction(async (tx) => {
        await t.app.jobs.enqueue(tx, 'test.flaky', { key: 'rolled-back' });
        throw new Error('state change refused');
      }),
    ).rejects.toThrow('state change refused');
    const id = await db.transaction((tx) => t.app.jobs.enqueue(tx, 'test.flaky', { key: 'committed' }));
    await until(async () => (await jobState(id!)) === 'completed');
    expect(calls.get('committed')).toBe(1);
    expect(calls.get('rolled-back')).toBeUndefined();
  });

  it('retries a failing job with backoff until it succeeds', async () => {
    failUntil = 2;
    const id = await t.app.database.db.transaction((tx) =>
      t.app.jobs.enqueue(tx, 'test.flaky', { key: 'flaky' }),
    );
    await until(async () => (await jobState(id!)) === 'completed');
    expect(calls.get('flaky')).toBe(3);
    failUntil = 0;
  });

  it('dead-letters a job that cannot succeed; a supervisor lists and re-drives it', async () => {
    const id = await t.app.database.db.transaction((tx) =>
      t.app.jobs.enqueue(tx, 'test.invalid', { key: 'invalid' }),
    );
    await until(async () => (await jobState(id!)) === 'failed');
    expect(calls.get('invalid')).toBe(1); // permanent: no retries spent
    const dead = await t.app.database.rows<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = 'test.invalid.dead'`,
    );
    expect(dead[0]!.n).toBe(1);

    const resident = await t.signIn();
    const supervisor = await t.signIn();
    await t.app.database.db
      .update(users)
      .set({ roles: ['resident', 'supervisor'] })
      .where(eq(users.id, supervisor.user.id));
    const token = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: supervisor.refreshToken },
      })
    ).json().accessToken;

    expect(
      (await t.app.inject({ url: '/api/v1/ops/jobs/failed', headers: bearer(resident.accessToken) }))
        .statusCode,
    ).toBe(403);
    const list = await t.app.inject({
      url: '/api/v1/ops/jobs/failed?name=test.invalid',
      headers: bearer(token),
    });
    expect(list.json().items).toEqual([
      expect.objectContaining({ id, name: 'test.invalid', error: 'remote refused the request as invalid' }),
    ]);

    const redrive = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/jobs/test.invalid/${id}/redrive`,
      headers: bearer(token),
    });
    expect(redrive.statusCode).toBe(202);
    await until(() => (calls.get('invalid') ?? 0) >= 2);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ops/jobs/test.flaky/${id}/redrive`,
      headers: bearer(token),
    });
    expect(again.statusCode).toBe(404);
  });

  it('retries the job of a worker that died mid-run as soon as it expires (maintenance every 15 s)', async () => {
    // Enqueued for later, then made to look like a run whose process died 10 minutes ago.
    const id = await t.app.database.db.transaction((tx) =>
      t.app.jobs.enqueue(
        tx,
        'test.flaky',
        { key: 'orphaned' },
        { startAfter: new Date(Date.now() + 3600_000) },
      ),
    );
    await t.app.database.rows(sql`
      update pgboss.job set state = 'active', started_on = now() - interval '10 minutes', start_after = now()
      where id = ${id}::uuid`);
    await until(async () => (await jobState(id!)) === 'completed', 45_000);
    expect(calls.get('orphaned')).toBe(1);
  }, 60_000);

  it('waits the schedule between attempts, and dead-letters after the last', async () => {
    const id = await t.app.database.db.transaction((tx) =>
      t.app.jobs.enqueue(tx, 'test.scheduled', { key: 'scheduled' }),
    );
    await until(async () => (await jobState(id!)) === 'failed', 30_000);
    // Each failed run set the next start from the schedule [1, 3]: attempts at least 1 s, then 3 s apart.
    const at = attempts.get('scheduled')!;
    expect(at).toHaveLength(3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(1000);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(3000);
    const dead = await t.app.database.rows<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = 'test.scheduled.dead'`,
    );
    expect(dead[0]!.n).toBe(1);
  });
});

describe('WeChat subscribe messages', () => {
  const templateId = 'tmpl-case-accepted';
  const data = { thing1: { value: '失业保险金申领' }, phrase2: { value: '已受理' } };
  const notification = async (dedupeKey: string) =>
    (await t.app.database.db.select().from(notifications).where(eq(notifications.dedupeKey, dedupeKey)))[0]!;

  it('sends once to a subscribed user, however often it is asked for', async () => {
    const { user } = await t.signIn('sub-openid-1');
    await t.wechat.subscribe('sub-openid-1', templateId, 5);
    for (let i = 0; i < 3; i++) {
      await t.app.database.db.transaction((tx) =>
        queueNotification(tx, t.app.jobs, {
          userId: user.id,
          templateId,
          dedupeKey: 'case:1:accepted',
          data,
        }),
      );
    }
    await until(async () => (await notification('case:1:accepted')).status === 'sent');
    const sent = (await t.wechat.stats()).sent.filter((m: { touser: string }) => m.touser === 'sub-openid-1');
    expect(sent).toHaveLength(1);
  });

  it('records 43101 (not subscribed) without retrying', async () => {
    const { user } = await t.signIn('sub-openid-2');
    const before = (await t.wechat.stats()).stableTokenCalls;
    await t.app.database.db.transaction((tx) =>
      queueNotification(tx, t.app.jobs, { userId: user.id, templateId, dedupeKey: 'case:2:accepted', data }),
    );
    await until(async () => (await notification('case:2:accepted')).status === 'not_subscribed');
    expect((await notification('case:2:accepted')).errcode).toBe(43101);
    const id = (await notification('case:2:accepted')).id;
    const jobs = () =>
      t.app.database.rows<{ state: string; retry_count: number }>(
        sql`select state, retry_count from pgboss.job where name = 'wechat.subscribe-message' and data->>'notificationId' = ${id}`,
      );
    // The job is marked completed just after its handler recorded the status.
    await until(async () => (await jobs())[0]?.state !== 'active');
    expect(await jobs()).toEqual([{ state: 'completed', retry_count: 0 }]);
    // The access token is cached: at most one stable_token call for all of the above.
    expect((await t.wechat.stats()).stableTokenCalls - before).toBeLessThanOrEqual(1);
  });

  it('refuses values over the template limits before calling WeChat', async () => {
    const { user } = await t.signIn('sub-openid-3');
    await t.wechat.subscribe('sub-openid-3', templateId, 1);
    const tooLong = {
      thing1: { value: '这是一个超过二十个字的事项名称这是一个超过二十个字' },
      phrase2: { value: '已受理' },
    };
    await t.app.database.db.transaction((tx) =>
      queueNotification(tx, t.app.jobs, {
        userId: user.id,
        templateId,
        dedupeKey: 'case:3:accepted',
        data: tooLong,
      }),
    );
    await until(async () => (await notification('case:3:accepted')).status === 'failed');
    expect((await notification('case:3:accepted')).errcode).toBe(47003);
    expect(
      (await t.wechat.stats()).sent.filter((m: { touser: string }) => m.touser === 'sub-openid-3'),
    ).toHaveLength(0);
  });
});

describe('WeChat access token and phone number', () => {
  it('shares one stable_token refresh between concurrent callers and refreshes after expiry', async () => {
    const before = (await t.wechat.stats()).stableTokenCalls;
    await t.wechat.expireToken();
    const phoneCodes = await Promise.all([
      t.wechat.phoneCode('13912345678'),
      t.wechat.phoneCode('13912345679'),
    ]);
    const phones = await Promise.all(phoneCodes.map((c) => t.app.wechat.phoneNumber(c)));
    expect(phones.map((p) => p.phoneNumber)).toEqual(['13912345678', '13912345679']);
    const stats = await t.wechat.stats();
    expect(stats.stableTokenCalls - before).toBe(1); // expired token: one refresh (after 40001), shared
    expect(stats.forcedRefreshes).toBe(0);
  });
});
