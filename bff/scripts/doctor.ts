/**
 * `pnpm run doctor`: can this configuration reach everything it needs? One line per system, OK or FAIL with
 * the reason the remote gave; exit code 1 if anything fails. When a BFF runs at DOCTOR_BFF_URL (as under
 * `pnpm start`), the outside systems checked are the ones that BFF is configured with (it tells this host at
 * /api/v1/ops/outside-systems), not this shell's defaults; and the embedded database it holds is checked
 * through its /readyz instead of opening the locked directory.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Config, loadConfig } from '../src/config';
import { appliedMigrations, DataDirLockedError, migrationsAtHead, openDatabase } from '../src/db/client';
import { createEmsClient, EmsError } from '../src/integrations/ems/client';
import { createGovClient } from '../src/integrations/gov/client';
import { GovError } from '../src/integrations/gov/types';
import { createWechatClient, WechatError } from '../src/integrations/wechat/client';

type Check = () => Promise<string>;

interface OutsideSystems {
  wechat: { apiBase: string; appId: string };
  ems: { apiBase: string; senderNo: string };
  gov: { apiBase: string; appId: string };
}

/** The outside systems the running BFF uses, or undefined when no BFF answers there. */
async function runningBffSystems(bffUrl: string): Promise<OutsideSystems | undefined> {
  const res = await fetch(`${bffUrl}/api/v1/ops/outside-systems`, {
    signal: AbortSignal.timeout(2000),
  }).catch(() => undefined);
  if (!res) return undefined;
  if (!res.ok) throw new Error(`the BFF at ${bffUrl} did not say which systems it uses (HTTP ${res.status})`);
  return (await res.json()) as OutsideSystems;
}

/** Runs every check; each result line goes to `print`. Resolves to the number of failures. */
export async function doctor(
  ownConfig: Config,
  bffUrl: string,
  print: (line: string) => void = console.log,
): Promise<number> {
  let config = ownConfig;
  let source = '';
  try {
    const running = await runningBffSystems(bffUrl);
    if (running) {
      // Bases and ids from the running BFF; secrets stay this shell's (the BFF never hands them out).
      config = {
        ...ownConfig,
        wechat: { ...ownConfig.wechat, ...running.wechat },
        ems: { ...ownConfig.ems, ...running.ems },
        gov: { ...ownConfig.gov, ...running.gov },
      };
      source = ` (as the BFF at ${bffUrl} uses it)`;
    }
  } catch (err) {
    print(`FAIL  ${'bff'.padEnd(9)} ${(err as Error).message}`);
    return 1;
  }

  async function checkDatabase(): Promise<string> {
    if (!config.databaseUrl) {
      // The embedded database allows one process: if a BFF runs on it, ask that BFF.
      const ready = await fetch(`${bffUrl}/readyz`, { signal: AbortSignal.timeout(2000) }).catch(
        () => undefined,
      );
      if (ready) {
        // /readyz says ready or not, nothing more (it is public); the BFF's log has the reason.
        if (!ready.ok)
          throw new Error(`running BFF at ${bffUrl} is not ready (${ready.status}): see its log`);
        return `embedded database via the running BFF at ${bffUrl}: ready, migrations at head (${migrationsAtHead()})`;
      }
    }
    let handle: Awaited<ReturnType<typeof openDatabase>>;
    try {
      handle = await openDatabase(config);
    } catch (err) {
      if (err instanceof DataDirLockedError)
        throw new Error(`${config.dataDir} is locked by another process, and no BFF answers at ${bffUrl}`);
      throw err;
    }
    try {
      const applied = await appliedMigrations(handle);
      return `${handle.kind}${config.databaseUrl ? '' : ` at ${config.dataDir}`}, migrations ${applied}/${migrationsAtHead()}`;
    } finally {
      await handle.close();
    }
  }

  async function checkEms(): Promise<string> {
    // A tracking query for a waybill nobody has: authenticated and harmless. "No such waybill" is a good answer.
    try {
      const events = await createEmsClient(config.ems).queryTracking('1000000000000');
      return `${config.ems.apiBase} senderNo ${config.ems.senderNo} (tracking query answered, ${events.length} events)`;
    } catch (err) {
      if (err instanceof EmsError && err.retCode === 'B0101')
        return `${config.ems.apiBase} senderNo ${config.ems.senderNo} (authenticated)`;
      if (err instanceof EmsError) throw new Error(`retCode ${err.retCode}: ${err.retMsg}`);
      throw err;
    }
  }

  async function checkWechat(): Promise<string> {
    try {
      await createWechatClient(config.wechat).accessToken();
      return `${config.wechat.apiBase} appid ${config.wechat.appId} (access token issued)`;
    } catch (err) {
      if (err instanceof WechatError) throw new Error(`errcode ${err.errcode}: ${err.errmsg}`);
      throw err;
    }
  }

  async function checkGov(): Promise<string> {
    try {
      const page = await createGovClient(config.gov).fetchCatalogue({ limit: 1 });
      return `${config.gov.apiBase} app ${config.gov.appId} (signed catalogue call answered, version ${page.version})`;
    } catch (err) {
      if (err instanceof GovError) throw new Error(`${err.code}: ${err.message}`);
      throw err;
    }
  }

  const checks: [string, Check][] = [
    ['database', checkDatabase],
    ['wechat', checkWechat],
    ['ems', checkEms],
    ['gov', checkGov],
  ];

  let failed = 0;
  for (const [name, check] of checks) {
    try {
      print(`OK    ${name.padEnd(9)} ${await check()}${name === 'database' ? '' : source}`);
    } catch (err) {
      failed++;
      const cause = (err as Error & { cause?: Error }).cause;
      print(`FAIL  ${name.padEnd(9)} ${(err as Error).message}${cause ? ` (${cause.message})` : ''}`);
    }
  }
  return failed;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const config = loadConfig({
    DATA_DIR: path.resolve(here, '../.data'),
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
  });
  const bffUrl = (process.env.DOCTOR_BFF_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  process.exit((await doctor(config, bffUrl)) > 0 ? 1 : 0);
}
