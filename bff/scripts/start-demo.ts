/**
 * `pnpm start`: the whole product on one machine, offline. The WeChat simulator, the BFF on the embedded
 * database with demo data, and the H5 app, all on one origin:
 *   /            H5 app (miniapp/dist/h5)
 *   /api/v1      BFF
 *   /docs        OpenAPI UI
 *   /sim/wechat  WeChat simulator (demo sign-in in a browser)
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import { createWechatSimulator } from '../simulators/wechat/server';
import { loadConfig } from '../src/config';
import { seedDemo } from '../src/features/demo/seed';
import { createServer } from '../src/server';

const here = path.dirname(fileURLToPath(import.meta.url));
const h5Dir = path.resolve(here, '../../miniapp/dist/h5');
const env = process.env;

async function main() {
  const wechatApp = {
    appId: env.WECHAT_APP_ID || 'wx-demo-appid',
    appSecret: env.WECHAT_APP_SECRET || 'wx-demo-secret',
  };
  const wechatSim = createWechatSimulator(wechatApp);
  await wechatSim.listen({ host: '127.0.0.1', port: Number(env.WECHAT_SIM_PORT || 0) });
  const wechatUrl = `http://127.0.0.1:${(wechatSim.server.address() as AddressInfo).port}`;

  const config = loadConfig({
    ...env,
    PORT: env.PORT || '8080',
    DATA_DIR: env.DATA_DIR || path.resolve(here, '../.data'),
    WECHAT_API_BASE: wechatUrl,
    WECHAT_APP_ID: wechatApp.appId,
    WECHAT_APP_SECRET: wechatApp.appSecret,
  });
  const server = await createServer({ config });
  await server.register(proxy, { upstream: wechatUrl, prefix: '/sim/wechat', rewritePrefix: '/sim' });
  if (existsSync(path.join(h5Dir, 'index.html'))) {
    await server.register(fastifyStatic, { root: h5Dir, prefix: '/', index: ['index.html'] });
  } else {
    server.log.warn(
      `No H5 build at ${h5Dir}: run \`pnpm --filter @zyt/miniapp build:h5\` (pnpm start does it).`,
    );
  }
  await server.ready();
  await seedDemo(server.database.db);

  const close = async () => {
    await server.close();
    await wechatSim.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close());
  process.once('SIGTERM', () => void close());

  await server.listen({ host: config.host, port: config.port });
  const url = `http://${config.host}:${(server.server.address() as AddressInfo).port}`;
  console.log(
    `\n  政邮通 is running (demo, ${server.database.kind} at ${config.databaseUrl ? 'DATABASE_URL' : config.dataDir})`,
  );
  console.log(`  Open the app:   ${url}/`);
  console.log(`  API docs:       ${url}/docs`);
  console.log(`  WeChat sim:     ${wechatUrl}\n`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
