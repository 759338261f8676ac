/** The BFF alone in its own process for HTTP benchmarks (the load generator must not share its event loop). */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config';
import { createServer } from '../src/server';

const server = await createServer({
  config: loadConfig({ ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production', DATA_DIR: 'memory://' }),
});
await server.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
