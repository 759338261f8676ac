import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, isNotNull, sql } from 'drizzle-orm';
import { loadConfig } from '../src/config';
import { shipments } from '../src/db/schema';
import { CREATE_EMS_ORDER, requestShipment } from '../src/features/shipments/shipments';
import { createServer } from '../src/server';
import { percentile } from './reference';
import { caseForLegs } from './subject';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * jobs.ems: a surge backlog of EMS order jobs drained to the EMS simulator over HTTP (020003, SM4 both ways).
 * An API-only instance (JOB_WORKERS=off) enqueues the orders as concurrent requests would, one transaction
 * each; then a worker instance drains them. Throughput = orders / drain time; latency = one job's handling
 * (pg-boss started_on → completed_on). The simulator runs in its own process, as EMS is a remote system.
 */
export async function benchJobsEms(databaseUrl: string, orders = 4000) {
  const sim = spawn(
    path.join(here, '../node_modules/.bin/tsx'),
    [path.join(here, 'emsSimulatorProcess.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [firstLine] = (await once(sim.stdout, 'data')) as [Buffer];
  const emsUrl = firstLine.toString().trim();
  // Both instances share keys, as N production instances do (the worker opens what the API instance sealed).
  const keys = { PII_KEY: randomBytes(32).toString('base64'), JWT_SECRET: randomBytes(32).toString('hex') };
  const env = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: 'memory://',
    EMS_API_BASE: emsUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ...keys,
  };
  const party = {
    name: '张三',
    mobile: '13800138000',
    prov: '广东省',
    city: '广州市',
    county: '黄埔区',
    address: '香雪大道1号',
  };
  const pickup = { from: new Date(Date.now() + 3600_000), to: new Date(Date.now() + 7200_000) };
  try {
    const api = await createServer({ config: loadConfig({ ...env, JOB_WORKERS: 'off' }) });
    await api.ready();
    const caseId = await caseForLegs(api.database.db, 'bench');
    const enqueueStart = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < orders) {
          next++;
          await api.database.db.transaction((tx) =>
            requestShipment(tx, api, {
              leg: 'materials_to_centre',
              subject: { kind: 'case', id: caseId },
              sender: party,
              receiver: party,
              pickup,
            }),
          );
        }
      }),
    );
    const enqueuePerSecond = orders / ((Date.now() - enqueueStart) / 1000);
    await api.close();

    const worker = await createServer({ config: loadConfig(env) });
    const drainStart = Date.now();
    await worker.ready();
    const { db } = worker.database;
    const ordered = async () =>
      (await db.select({ n: count() }).from(shipments).where(isNotNull(shipments.waybillNo)))[0]!.n;
    const deadline = Date.now() + 300_000;
    while ((await ordered()) < orders) {
      if (Date.now() > deadline)
        throw new Error(`only ${await ordered()} of ${orders} orders after 5 minutes`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const handling = (
      await worker.database.rows<{ ms: number }>(
        sql`select extract(epoch from (completed_on - started_on)) * 1000 as ms from pgboss.job where name = ${CREATE_EMS_ORDER} and state = 'completed' order by 1`,
      )
    ).map((r) => Number(r.ms));
    await worker.close();

    const created = (await (await fetch(`${emsUrl}/sim/orders`)).json()) as {
      orders: { createCalls: number }[];
    };
    return {
      throughput: orders / drainSeconds,
      p50_ms: percentile(handling, 50),
      p99_ms: percentile(handling, 99),
      check: {
        orders,
        created: created.orders.length,
        duplicates: created.orders.filter((o) => o.createCalls !== 1).length,
        enqueuePerSecond: Math.round(enqueuePerSecond),
        drainSeconds,
      },
    };
  } finally {
    sim.kill('SIGTERM');
  }
}
