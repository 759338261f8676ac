import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createGovSimulator } from '../simulators/gov/server';
import { DEMO_CREDENTIALS } from '../src/config';
import { openDatabase } from '../src/db/client';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { createGovClient } from '../src/integrations/gov/client';

/** What the residents' HTTP benchmarks (booking, bag.scan) share: the load, tokens, catalogue, a BFF process. */

const here = path.dirname(fileURLToPath(import.meta.url));
export const CONNECTIONS = 50;
const SECONDS = 10;

/** An HS256 access token, as the BFF signs them (sid: the sign-in session it belongs to). */
export function accessToken(secret: string, sub: string, sid: string) {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub, roles: ['resident'], sid, iat: now, exp: now + 3600 })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

export function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ connections: CONNECTIONS, duration: SECONDS, ...opts });
}

/** The database with the catalogue synced from a government simulator that lives only for the sync. */
export async function openWithCatalogue(databaseUrl: string) {
  const gov = createGovSimulator({ ...DEMO_CREDENTIALS.gov });
  const govUrl = await gov.listen({ host: '127.0.0.1', port: 0 });
  const handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
  await syncCatalogue(
    handle.db,
    createGovClient({ apiBase: govUrl, ...DEMO_CREDENTIALS.gov, timeoutMs: 10_000 }),
  );
  await gov.close();
  return handle;
}

/**
 * Runs `load` against a BFF in its own process (the load generator must not share its event loop) and stops
 * it afterwards. With `profile`, BENCH_CPU_PROFILE=dir writes a V8 CPU profile of it there (node --cpu-prof).
 */
export async function withBff<T>(
  env: Record<string, string>,
  load: (url: string) => Promise<T>,
  { profile = false }: { profile?: boolean } = {},
): Promise<T> {
  const cpuProf =
    profile && process.env.BENCH_CPU_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
      : [];
  const bff = spawn(process.execPath, [...cpuProf, '--import', 'tsx', path.join(here, 'bffProcess.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(bff.stdout, 'data')) as [Buffer];
  try {
    return await load(line.toString().trim());
  } finally {
    bff.kill('SIGTERM');
    await once(bff, 'exit');
  }
}
