/**
 * Global setup of the browser tests: the whole demo stack (BFF + simulators + embedded database, serving
 * the H5 build on the same origin), on a free port with a fresh data directory. With E2E_BASE_URL the tests
 * use that stack instead and nothing is started.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const miniappDir = path.resolve(__dirname, '..');

/** The environment for the build and the stack: this process's, without what vitest set for itself. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key.startsWith('VITEST')) delete env[key];
  return env;
}
const bffDir = path.resolve(miniappDir, '../bff');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A ceiling for the stack to come up (it builds nothing; it starts three simulators and the BFF): minutes on a busy machine. */
const READY_WITHIN_MS = 240_000;

async function waitUntilReady(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The demo stack exited (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The demo stack was not ready within ${READY_WITHIN_MS / 1000} s:\n${output()}`);
}

export default async function setup(project: TestProject) {
  if (process.env.E2E_BASE_URL) {
    project.provide('baseUrl', process.env.E2E_BASE_URL.replace(/\/+$/, ''));
    return;
  }

  // The stack serves miniapp/dist/h5: test what the source says now.
  if (!process.env.E2E_SKIP_BUILD) {
    const build = spawnSync('npx', ['taro', 'build', '--type', 'h5'], {
      cwd: miniappDir,
      env: childEnv({ NODE_ENV: 'production' }),
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`H5 build failed:\n${build.stdout}\n${build.stderr}`);
  }

  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'zyt-e2e-'));
  let log = '';
  // What `pnpm --filter @zyt/bff start:demo` runs, started directly: one process group to stop at the end.
  const child = spawn(path.join(bffDir, 'node_modules/.bin/tsx'), ['scripts/start-demo.ts'], {
    cwd: bffDir,
    env: childEnv({
      PORT: String(port),
      DATA_DIR: dataDir,
      WECHAT_SIM_PORT: '0',
      EMS_SIM_PORT: '0',
      GOV_SIM_PORT: '0',
    }),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitUntilReady(baseUrl, child, () => log);
  } catch (error) {
    stop();
    throw error;
  }
  project.provide('baseUrl', baseUrl);

  return async () => {
    stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
