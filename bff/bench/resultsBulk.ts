import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_MAILING_LIST_MAX, type StaffResultMailingsBody } from '@zyt/shared';
import { count, eq, isNotNull, sql } from 'drizzle-orm';
import { matters as simMatters } from '../simulators/gov/catalogue';
import { createGovSimulator } from '../simulators/gov/server';
import { DEMO_CREDENTIALS, loadConfig } from '../src/config';
import { outlets, shipments } from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { orderResultMailings } from '../src/features/resultMailings/resultMailings';
import { CREATE_EMS_ORDER } from '../src/features/shipments/shipments';
import { createServer } from '../src/server';
import { percentile } from './reference';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * results.bulk: a service centre's day of results ordered for mailing (Nanjing mails 11,000 a day), as lists of
 * up to 500 sent by 4 clerks at once; people get 1–3 results each, so parcels are fewer than results. An
 * API-only instance (JOB_WORKERS=off) takes the lists; then a worker instance drains the EMS orders to the
 * simulator (own process) over HTTP. Throughput = EMS orders / drain time; each order must be created once.
 */
export async function benchResultsBulk(databaseUrl: string, results = 11_000) {
  const sim = spawn(
    path.join(here, '../node_modules/.bin/tsx'),
    [path.join(here, 'emsSimulatorProcess.ts')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [firstLine] = (await once(sim.stdout, 'data')) as [Buffer];
  const emsUrl = firstLine.toString().trim();
  const gov = createGovSimulator({ ...DEMO_CREDENTIALS.gov });
  const govUrl = await gov.listen();
  const keys = { PII_KEY: randomBytes(32).toString('base64'), JWT_SECRET: randomBytes(32).toString('hex') };
  const env = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: 'memory://',
    EMS_API_BASE: emsUrl,
    GOV_API_BASE: govUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    ...keys,
  };
  const matter = simMatters.find(
    (m) => m.applicantType === 'person' && m.channels.mail !== 'none' && m.result.kind === 'physical',
  )!;
  // 1–3 results per person, in list order (a centre's export lists a person's results together).
  const items: StaffResultMailingsBody['items'] = [];
  const run = Date.now().toString().slice(-8);
  for (let person = 0; items.length < results; person++) {
    const contact = { name: '王小明', phone: `139${String(person).padStart(8, '0')}` };
    const address = { province: '广东省', city: '广州市', county: '黄埔区', detail: `开创大道${person}号` };
    for (let k = 0; k < 1 + (person % 3) && items.length < results; k++)
      items.push({
        caseNumber: `440112${run}${String(items.length).padStart(6, '0')}`,
        matterCode: matter.serviceCode,
        address,
        contact,
      });
  }
  const lists: StaffResultMailingsBody[] = [];
  for (let i = 0; i < items.length; i += RESULT_MAILING_LIST_MAX)
    lists.push({ items: items.slice(i, i + RESULT_MAILING_LIST_MAX) });
  try {
    const api = await createServer({ config: loadConfig({ ...env, JOB_WORKERS: 'off' }) });
    await api.ready();
    await syncCatalogue(api.database.db, api.gov);
    const [centre] = await api.database.db.select().from(outlets).where(eq(outlets.id, 'HP-SC-01'));
    const clerkId = randomUUID();
    const orderStart = Date.now();
    let next = 0;
    let parcels = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < lists.length) {
          const body = lists[next++]!;
          // Awaited first: `parcels += await …` would read parcels before the await and lose the others' counts.
          const ordered = await orderResultMailings(api.database.db, api, { clerkId, centre: centre!, body });
          parcels += ordered.parcels;
        }
      }),
    );
    const orderSeconds = (Date.now() - orderStart) / 1000;
    await api.close();

    const worker = await createServer({ config: loadConfig(env) });
    const drainStart = Date.now();
    await worker.ready();
    const { db } = worker.database;
    const ordered = async () =>
      (await db.select({ n: count() }).from(shipments).where(isNotNull(shipments.waybillNo)))[0]!.n;
    const deadline = Date.now() + 300_000;
    while ((await ordered()) < parcels) {
      if (Date.now() > deadline)
        throw new Error(`only ${await ordered()} of ${parcels} parcels after 5 minutes`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const handling = (
      await worker.database.rows<{ ms: number }>(
        sql`select extract(epoch from (completed_on - started_on)) * 1000 as ms from pgboss.job where name = ${CREATE_EMS_ORDER} and state = 'completed' and created_on >= ${new Date(orderStart).toISOString()}::timestamptz order by 1`,
      )
    ).map((r) => Number(r.ms));
    await worker.close();

    const created = (await (await fetch(`${emsUrl}/sim/orders`)).json()) as {
      orders: { createCalls: number }[];
    };
    return {
      throughput: parcels / drainSeconds,
      p50_ms: percentile(handling, 50),
      p99_ms: percentile(handling, 99),
      check: {
        results: items.length,
        parcels,
        created: created.orders.length,
        duplicates: created.orders.filter((o) => o.createCalls !== 1).length,
        listsPerSecond: Math.round((lists.length / orderSeconds) * 10) / 10,
        orderSeconds,
        drainSeconds,
      },
    };
  } finally {
    await gov.close();
    sim.kill('SIGTERM');
  }
}
