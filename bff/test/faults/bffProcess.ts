/**
 * One BFF in its own process for fault tests (a crash must end this process, not the test runner): the
 * configuration comes from the environment, logs go to stdout as JSON, and the URL is sent over IPC.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { closeOnSignals, createServer } from '../../src/server';

const seconds = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const expire = seconds('FAULT_JOB_EXPIRE_SECONDS');
const retryCap = seconds('FAULT_RETRY_CAP_SECONDS');

const server = await createServer({
  config: loadConfig(process.env),
  jobs: {
    ...(expire ? { expireInSeconds: () => expire } : {}),
    ...(retryCap !== undefined ? { retrySchedule: (s) => s.map((d) => Math.min(d, retryCap)) } : {}),
    maintenanceIntervalSeconds: seconds('FAULT_MAINTENANCE_SECONDS'),
  },
});
closeOnSignals(server);
await server.listen({ host: '127.0.0.1', port: 0 });
process.send?.({ url: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}` });
