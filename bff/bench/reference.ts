import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * Same-run reference for write scenarios: pgbench one-row INSERT throughput on the same PostgreSQL, so results
 * are read as ratios (absolute figures drift on a shared 2-core machine).
 */
export async function pgbenchInsertTps(url: string, seconds = 8): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(
    'create table if not exists bench_ref (id bigserial primary key, v text not null, at timestamptz not null default now())',
  );
  await client.query('truncate bench_ref');
  await client.end();
  const dir = mkdtempSync(path.join(tmpdir(), 'zyt-pgbench-'));
  const script = path.join(dir, 'insert.sql');
  writeFileSync(script, "insert into bench_ref (v) values ('reference');\n");
  const out = execFileSync(
    'pgbench',
    ['-n', '-c', '8', '-j', '2', '-T', String(seconds), '-f', script, url],
    { encoding: 'utf8' },
  );
  const tps = /tps = ([\d.]+)/.exec(out);
  if (!tps) throw new Error(`pgbench printed no tps:\n${out}`);
  return Number(tps[1]);
}

/** A fresh database for one benchmark run, dropped afterwards. */
export async function scratchDatabase(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `zyt_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
