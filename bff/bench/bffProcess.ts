/** The BFF alone in its own process for HTTP benchmarks (the load generator must not share its event loop). */
import type { AddressInfo } from 'node:net';
import { notificationKinds } from '@zyt/shared';
import { loadConfig } from '../src/config';
import { createServer } from '../src/server';

// Production mode wants every subscribe template named; the benchmarks send no messages.
const templates = Object.fromEntries(notificationKinds.map((k) => [k, `bench-${k}`]));
const server = await createServer({
  config: loadConfig({
    WECHAT_TEMPLATE_IDS: JSON.stringify(templates),
    ...process.env,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    DATA_DIR: 'memory://',
  }),
});
await server.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
