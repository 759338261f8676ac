/** The BFF alone in its own process for HTTP benchmarks (the load generator must not share its event loop). */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { notificationKinds } from '@zyt/shared';
import { loadConfig } from '../src/config';
import { createServer } from '../src/server';

// Production mode wants every subscribe template named; the benchmarks send no messages.
const templates = Object.fromEntries(notificationKinds.map((k) => [k, `bench-${k}`]));
// Production mode also refuses missing or demo outside-system secrets; the benchmarks call no outside system.
const secret = () => randomBytes(16).toString('base64');
const server = await createServer({
  config: loadConfig({
    WECHAT_TEMPLATE_IDS: JSON.stringify(templates),
    WECHAT_APP_SECRET: secret(),
    EMS_AUTHORIZATION: secret(),
    EMS_SIGN_KEY: secret(),
    GOV_APP_SECRET: secret(),
    BAG_CODE_SECRET: randomBytes(24).toString('hex'),
    BAG_URL_BASE: 'https://zyt.example.gov.cn',
    // 50 connections book as fast as they can: the limits are for people, not for the load generator.
    RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000000',
    RATE_LIMIT_REAL_NAME_PER_HOUR: '1000000',
    RATE_LIMIT_BOOKING_PER_HOUR: '1000000',
    RATE_LIMIT_UPLOAD_PER_MINUTE: '1000000',
    RATE_LIMIT_BAG_SCAN_PER_MINUTE: '1000000',
    // An API-only instance (as jobs.ems and results.bulk enqueue on one): what these scenarios measure is the
    // requests, and the jobs they enqueue (in the same transaction, counted) would call outside systems no
    // benchmark runs — a submission or an arrival report failing and retrying in the measured process (ems.push
    // enqueues one arrival report per delivered materials leg). JOB_WORKERS=on in the environment puts them back.
    JOB_WORKERS: 'off',
    ...process.env,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    DATA_DIR: 'memory://',
  }),
});
await server.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`http://127.0.0.1:${(server.server.address() as AddressInfo).port}\n`);
// CPU the BFF spent from listening to stopping: per request, it is steadier than req/s on a shared machine.
const cpuAtStart = process.cpuUsage();
process.on('SIGTERM', () => {
  const used = process.cpuUsage(cpuAtStart);
  process.stderr.write(`bff cpu ${Math.round((used.user + used.system) / 1000)} ms\n`);
  void server.close().then(() => process.exit(0));
});
