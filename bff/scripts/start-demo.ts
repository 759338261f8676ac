/**
 * `pnpm start`: the whole product on one machine, offline. The three simulators (WeChat, EMS, government
 * platform), the BFF on the embedded database with demo data, and the H5 app, all on one origin:
 *   /            H5 app (miniapp/dist/h5)
 *   /b/<code>    a bag label's QR URL: redirected to the H5 app's bag page
 *   /r/<n>/<q>   an acceptance receipt's QR URL (单程寄递): redirected to the H5 app's result-mailing page
 *   /api/v1      BFF
 *   /docs        OpenAPI UI
 *   /sim/wechat, /sim/ems, /sim/gov   the simulators (demo sign-in; their admin endpoints)
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { registerDemo } from '../simulators/demo';
import { createEmsSimulator } from '../simulators/ems/server';
import { createGovSimulator } from '../simulators/gov/server';
import { createWechatSimulator } from '../simulators/wechat/server';
import { DEMO_CREDENTIALS, loadConfig } from '../src/config';
import { createServer } from '../src/server';

const here = path.dirname(fileURLToPath(import.meta.url));
const h5Dir = path.resolve(here, '../../miniapp/dist/h5');
const env = process.env;
const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
/** Simulated seconds per real second: an EMS leg that takes a day passes in minutes. */
const speed = Number(env.SIM_SPEED ?? 120);

async function main() {
  const host = '127.0.0.1';
  const dataDir = env.DATA_DIR ?? path.resolve(here, '../.data');
  // The simulators keep their orders and cases beside the demo database, so a restart strands nothing.
  const stateFile = (name: string) =>
    dataDir === 'memory://' ? undefined : path.resolve(dataDir, 'simulators', `${name}.json`);
  const wechatSim = createWechatSimulator(DEMO_CREDENTIALS.wechat);
  await wechatSim.listen({ host, port: port('WECHAT_SIM_PORT', 4101) });
  const wechatUrl = `http://${host}:${(wechatSim.server.address() as AddressInfo).port}`;
  const emsSim = createEmsSimulator({ ...DEMO_CREDENTIALS.ems, speed, stateFile: stateFile('ems') });
  const emsUrl = await emsSim.listen({ host, port: port('EMS_SIM_PORT', 4102) });
  const govSim = createGovSimulator({ ...DEMO_CREDENTIALS.gov, speed, stateFile: stateFile('gov') });
  const govUrl = await govSim.listen({ host, port: port('GOV_SIM_PORT', 4103) });

  // The BFF reads its own configuration (a wrong key in the environment stays wrong, as `pnpm doctor` shows).
  const config = loadConfig({
    PORT: '8080',
    DATA_DIR: dataDir,
    WECHAT_API_BASE: wechatUrl,
    EMS_API_BASE: emsUrl,
    GOV_API_BASE: govUrl,
    // Bag labels printed in the demo open this server (`/b/<code>` below); a fixed PORT is needed for that.
    BAG_URL_BASE: `http://${host}:${env.PORT ?? 8080}`,
    // 一件事: on the demo's fast clocks, results issued within 20 s of each other share a parcel.
    BUNDLE_PARCEL_WINDOW_SECONDS: '20',
    ...env,
  });
  const server = await createServer({ config });
  await registerDemo(server, { wechatUrl, emsUrl, govUrl });
  if (existsSync(path.join(h5Dir, 'index.html'))) {
    await server.register(fastifyStatic, { root: h5Dir, prefix: '/', index: ['index.html'] });
    // A bag label's QR (`<base>/b/<code>`) opened in a plain browser: the H5 app's bag page (hash router).
    server.get<{ Params: { code: string } }>('/b/:code', (req, reply) =>
      reply.redirect(`/#/bag/pages/index/index?code=${encodeURIComponent(req.params.code)}`),
    );
    // An acceptance receipt's QR (`<base>/r/<办件编号>/<查询码>`): the H5 app's result-mailing page.
    server.get<{ Params: { caseNumber: string; queryCode: string } }>(
      '/r/:caseNumber/:queryCode',
      (req, reply) =>
        reply.redirect(
          `/#/cases/pages/mail/index?q=${encodeURIComponent(`r/${req.params.caseNumber}/${req.params.queryCode}`)}`,
        ),
    );
  } else {
    server.log.warn(
      `No H5 build at ${h5Dir}: run \`pnpm --filter @zyt/miniapp build:h5\` (pnpm start does it).`,
    );
  }
  await server.ready();

  const close = async () => {
    await server.close();
    await Promise.all([wechatSim.close(), emsSim.close(), govSim.close()]);
    process.exit(0);
  };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());

  await server.listen({ host: config.host, port: config.port });
  const url = `http://${config.host}:${(server.server.address() as AddressInfo).port}`;
  emsSim.setPushUrl(`${url}/api/v1/hooks/ems/track`);
  govSim.setCallbackUrl(`${url}/api/v1/hooks/gov/cases`);
  console.log(
    `\n  政邮通 is running (demo, ${server.database.kind} at ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir})`,
  );
  console.log(`  Open the app:   ${url}/`);
  console.log(`  API docs:       ${url}/docs`);
  console.log(`  Simulators:     WeChat ${wechatUrl}, EMS ${emsUrl}, government ${govUrl} (clock ×${speed})`);
  console.log('  Check them:     pnpm run doctor\n');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
