import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { notificationKinds } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { registerDemo } from '../simulators/demo';
import { createGovSimulator } from '../simulators/gov/server';
import { DEMO_CREDENTIALS, loadConfig } from '../src/config';
import { subsidyRounds } from '../src/db/schema';
import { createServer } from '../src/server';
import { PRODUCTION_SECRETS, startWechatSimulator, TEST_KEYS } from './helpers';

// Production wants a template id for every kind of subscribe message: one each.
const templates = JSON.stringify(Object.fromEntries(notificationKinds.map((kind, i) => [kind, `t${i + 1}`])));

/** The BFF as the demo launcher composes it, in the given environment. */
async function demoStack(
  nodeEnv: 'production' | 'development',
  { govUrl, dataDir }: { govUrl?: string; dataDir?: string } = {},
) {
  const wechat = await startWechatSimulator();
  const config = loadConfig({
    ...TEST_KEYS,
    ...(nodeEnv === 'production' ? PRODUCTION_SECRETS : {}),
    NODE_ENV: nodeEnv,
    DATA_DIR: dataDir ?? 'memory://',
    JOB_WORKERS: 'off',
    LOG_LEVEL: 'silent',
    WECHAT_TEMPLATE_IDS: templates,
  });
  const server = await createServer({ config });
  const registered = await registerDemo(server, {
    wechatUrl: wechat.url,
    emsUrl: wechat.url,
    govUrl: govUrl ?? wechat.url,
  });
  await server.ready();
  return {
    server,
    registered,
    close: async () => {
      await server.close();
      await wechat.close();
    },
  };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('demo-only paths', () => {
  it('are not served by a production BFF: no demo sign-in, no subscribe stand-in, no demo users', async () => {
    const stack = await demoStack('production');
    close = stack.close;
    expect(stack.registered).toBe(false);
    for (const [method, url] of [
      ['GET', '/sim/wechat/demo-users'],
      ['POST', '/sim/wechat/codes'],
      ['POST', '/sim/wechat/subscriptions'],
    ] as const) {
      const res = await stack.server.inject({ method, url, payload: method === 'POST' ? {} : undefined });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    }
    const seeded = await stack.server.database.rows<{ n: number }>(
      sql`select count(*)::int as n from users where openid like 'demo-%'`,
    );
    expect(seeded[0]?.n).toBe(0);
  });

  it('are served by the demo stack outside production', async () => {
    const stack = await demoStack('development');
    close = stack.close;
    expect(stack.registered).toBe(true);
    const users = await stack.server.inject({ url: '/sim/wechat/demo-users' });
    expect(users.statusCode).toBe(200);
    expect(users.json().length).toBeGreaterThan(0);
    // The demo has courier bags (替你跑): one batch, seeded once.
    const batches = await stack.server.database.rows<{ n: number; bags: number }>(
      sql`select count(*)::int as n, (select count(*)::int from bags) as bags from bag_batches`,
    );
    expect(batches[0]).toEqual({ n: 1, bags: 12 });
    // 结算: the demo centre settles per piece.
    const contracts = await stack.server.database.rows<{ centre: string; mode: string }>(
      sql`select centre_outlet_id as centre, mode from settlement_contracts`,
    );
    expect(contracts).toEqual([{ centre: 'HP-SC-01', mode: 'per_piece' }]);
  });

  it('publish a 免申即享 round on the platform while the database has none', async () => {
    const gov = createGovSimulator({ ...DEMO_CREDENTIALS.gov });
    const govUrl = await gov.listen({ host: '127.0.0.1', port: 0 });
    const dataDir = await mkdtemp(path.join(tmpdir(), 'zyt-demo-'));
    const published = async () =>
      ((await (await fetch(`${govUrl}/sim/rounds`)).json()) as { rounds: { name: string }[] }).rounds;
    try {
      const first = await demoStack('development', { govUrl, dataDir });
      expect(await published()).toEqual([
        expect.objectContaining({ name: '2026年稳岗补贴区配套资助（免申即享）' }),
      ]);
      // The notice arrived (as the platform's callback would store it): a restart publishes no other.
      await first.server.database.db.insert(subsidyRounds).values({
        platformRoundId: 'R-demo',
        name: '2026年稳岗补贴区配套资助（免申即享）',
        rule: '按企业上年度获得稳岗补贴金额的50%给予配套资助',
        matterCode: 'x',
        deadline: new Date(Date.now() + 86_400_000),
        listSize: 1,
        publishedAt: new Date(),
      });
      await first.close();
      const again = await demoStack('development', { govUrl, dataDir });
      close = again.close;
      expect(await published()).toHaveLength(1);
    } finally {
      await gov.close();
      await close?.();
      close = undefined;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
