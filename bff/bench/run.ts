/**
 * `pnpm bench [name…]`: scenarios on PostgreSQL (DATABASE_URL, else the local server), each reported next to a
 * reference measured in the same run. Names pick scenarios (jobs.ems, booking — both booking.* entries —,
 * ems.push, bag.scan, results.bulk, stats — all stats.* entries —, claims.import, claims.confirm); none runs them
 * all. Writes bench-results.json at the repo root; a scenario's entry replaces the
 * one of the same name, so later scenarios add to the file.
 *
 * A scenario is one entry of SCENARIOS (its name, and a run that measures, checks and returns its results):
 * adding one touches nothing else.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchBagScan } from './bagScan';
import { benchBookings } from './bookings';
import { benchClaimsConfirm, benchClaimsImport, IMPORT_ROWS } from './claims';
import { benchEmsPush } from './emsPush';
import { benchJobsEms } from './jobsEms';
import { pgbenchInsertTps, scratchDatabase } from './reference';
import { benchResultsBulk } from './resultsBulk';
import { benchStats } from './stats';

export interface Result {
  name: string;
  throughput: number;
  unit: string;
  p50_ms: number | null;
  p99_ms: number | null;
  reference_name: string;
  reference: number;
  ratio: number;
  target?: string;
  notes?: string;
}

/** What every scenario gets: its scratch database and the run's pgbench reference. */
export interface BenchContext {
  databaseUrl: string;
  /** pgbench one-row insert tps, measured once per run on the same database server. */
  pgbenchTps: number;
}

export interface Scenario {
  /** What `pnpm bench <name>` picks; `<name>.*` picks it too (booking.create → booking). */
  name: string;
  /** Measures, throws when the outcome is wrong (lost, duplicated, errors), returns the entries to record. */
  run(ctx: BenchContext): Promise<Result[]>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../bench-results.json');
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const PGBENCH_REFERENCE = 'pgbench one-row insert tps (8 clients, same run)';
/**
 * stats: each figures request at 100,000 cases, as a multiple of a same-run count(*) of the cases (absolute times
 * swing tenfold on the shared 2-core machine; the ratio does not), and in milliseconds on a quiet machine.
 */
const STATS_TARGET_MS = 1000;
const STATS_SCAN_RATIO = 50;

const SCENARIOS: Scenario[] = [
  {
    name: 'jobs.ems',
    async run({ databaseUrl, pgbenchTps: tps }) {
      const jobs = await benchJobsEms(databaseUrl);
      console.log(
        `jobs.ems: ${round(jobs.throughput)} jobs/s, p50 ${round(jobs.p50_ms)} ms, p99 ${round(jobs.p99_ms)} ms`,
        jobs.check,
      );
      if (jobs.check.duplicates > 0 || jobs.check.created !== jobs.check.orders)
        throw new Error(`jobs.ems lost or duplicated orders: ${JSON.stringify(jobs.check)}`);
      return [
        {
          name: 'jobs.ems',
          throughput: round(jobs.throughput),
          unit: 'jobs/s',
          p50_ms: round(jobs.p50_ms),
          p99_ms: round(jobs.p99_ms),
          reference_name: PGBENCH_REFERENCE,
          reference: round(tps),
          ratio: round(jobs.throughput / tps, 4),
          target: '≥ 500 jobs/s',
          notes: `backlog of ${jobs.check.orders} EMS orders drained over HTTP to the simulator (own process), each created exactly once; enqueue ${jobs.check.enqueuePerSecond}/s from 16 concurrent transactions; p50/p99 = one job's handling`,
        },
      ];
    },
  },
  {
    name: 'results.bulk',
    async run({ databaseUrl, pgbenchTps: tps }) {
      const bulk = await benchResultsBulk(databaseUrl);
      const { check } = bulk;
      console.log(
        `results.bulk: ${round(bulk.throughput)} EMS orders/s, p50 ${round(bulk.p50_ms)} ms, p99 ${round(bulk.p99_ms)} ms`,
        check,
      );
      if (check.duplicates > 0 || check.created !== check.parcels)
        throw new Error(`results.bulk lost or duplicated orders: ${JSON.stringify(check)}`);
      return [
        {
          name: 'results.bulk',
          throughput: round(bulk.throughput),
          unit: 'orders/s',
          p50_ms: round(bulk.p50_ms),
          p99_ms: round(bulk.p99_ms),
          reference_name: PGBENCH_REFERENCE,
          reference: round(tps),
          ratio: round(bulk.throughput / tps, 4),
          target: '≥ jobs.ems; 11,000 results ordered and drained in under a minute',
          notes: `${check.results} results (1–3 per person) in lists of 500 from 4 clerks at once → ${check.parcels} parcels (one EMS order each, ≤5 results per parcel), each created exactly once; lists taken in ${round(check.orderSeconds)} s, orders drained to the simulator (own process) in ${round(check.drainSeconds)} s; p50/p99 = one job's handling`,
        },
      ];
    },
  },
  {
    name: 'booking',
    async run({ databaseUrl, pgbenchTps: tps }) {
      const http = await benchBookings(databaseUrl);
      const healthRps = http.health.requests.average;
      const { create, detail } = http;
      console.log(`reference: bare /healthz ${round(healthRps)} req/s`);
      for (const [name, r] of [
        ['booking.create', create],
        ['booking.detail', detail],
      ] as const) {
        console.log(
          `${name}: ${round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}`,
        );
        if (r.non2xx > 0 || r.errors > 0)
          throw new Error(`${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
      }
      return [
        {
          name: 'booking.create',
          throughput: round(create.requests.average),
          unit: 'req/s',
          p50_ms: create.latency.p50,
          p99_ms: create.latency.p99,
          reference_name: PGBENCH_REFERENCE,
          reference: round(tps),
          ratio: round(create.requests.average / tps, 4),
          target: '≥ 0.10 × pgbench tps, p99 ≤ 50 ms',
          notes:
            'POST /api/v1/bookings, 50 connections, 10 s, PostgreSQL; JWT, validation, sealed PII, booking + event in one transaction',
        },
        {
          name: 'booking.detail',
          throughput: round(detail.requests.average),
          unit: 'req/s',
          p50_ms: detail.latency.p50,
          p99_ms: detail.latency.p99,
          reference_name: 'bare GET /healthz req/s of the same BFF process (50 connections, same run)',
          reference: round(healthRps),
          ratio: round(detail.requests.average / healthRps, 4),
          target: '≥ 0.08 × /healthz',
          notes: 'GET /api/v1/bookings/:id by its owner, 50 connections, 10 s, PostgreSQL',
        },
      ];
    },
  },
  {
    // Right after booking: its target is booking.create's req/s, best compared minutes apart, not ten.
    name: 'claims.confirm',
    async run({ databaseUrl, pgbenchTps: tps }) {
      const { result: r, confirmed } = await benchClaimsConfirm(databaseUrl);
      console.log(
        `claims.confirm: ${round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}, confirmations ${confirmed}`,
      );
      if (r.non2xx > 0 || r.errors > 0)
        throw new Error(`claims.confirm: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
      // Requests still in flight when the 10 s end are answered (and stored) after autocannon stops counting.
      if (confirmed < r['2xx'] || confirmed > r['2xx'] + 50)
        throw new Error(
          `claims.confirm: ${r['2xx']} confirmed answers but ${confirmed} confirmations stored`,
        );
      return [
        {
          name: 'claims.confirm',
          throughput: round(r.requests.average),
          unit: 'req/s',
          p50_ms: r.latency.p50,
          p99_ms: r.latency.p99,
          reference_name: PGBENCH_REFERENCE,
          reference: round(tps),
          ratio: round(r.requests.average / tps, 4),
          target: '≥ booking.create req/s',
          notes:
            'POST /api/v1/enterprises/:code/subsidies/:round/confirm by 50 bound clerks, each request a new enterprise-and-round pair (binding check, list lookup, validation, case + sealed confirmation + submission job in one transaction), 50 connections, 10 s, PostgreSQL',
        },
      ];
    },
  },
  {
    name: 'ems.push',
    async run({ databaseUrl, pgbenchTps: tps }) {
      const push = await benchEmsPush(databaseUrl);
      console.log(
        `ems.push: ${round(push.throughput)} events/s, p50 ${round(push.p50_ms)} ms, p99 ${round(push.p99_ms)} ms per push`,
        push.check,
      );
      const c = push.check;
      if (c.lost > 0 || c.duplicated > 0 || c.wrongState > 0 || c.clearIds > 0)
        throw new Error(`ems.push lost, duplicated or mis-stated events: ${JSON.stringify(c)}`);
      return [
        {
          name: 'ems.push',
          throughput: round(push.throughput),
          unit: 'events/s',
          p50_ms: round(push.p50_ms),
          p99_ms: round(push.p99_ms),
          reference_name: PGBENCH_REFERENCE,
          reference: round(tps),
          ratio: round(push.throughput / tps, 4),
          target: '≥ 2,000 events/s',
          notes: `${c.uniqueEvents} unique events of ${c.legs} legs (one starting every ${c.legEveryMs} ms of event time, half of them result legs whose changes also move the case) in ${c.pushes} pushes of 100 to POST /api/v1/hooks/ems/track, ${c.concurrency} at a time, BFF in its own process (API-only: the arrival reports it enqueues are not worked) on PostgreSQL; shuffled within each push, ${c.resent} pushes re-sent whole, 3% of scans late; each event stored once and every leg's status, deliveredAt and flags equal to its whole history's (checked); p50/p99 = one push`,
        },
      ];
    },
  },
  {
    name: 'bag.scan',
    async run({ databaseUrl }) {
      const { health, scan } = await benchBagScan(databaseUrl);
      const healthRps = health.requests.average;
      console.log(`reference: bare /healthz ${round(healthRps)} req/s`);
      console.log(
        `bag.scan: ${round(scan.requests.average)} req/s, p50 ${scan.latency.p50} ms, p99 ${scan.latency.p99} ms, errors ${scan.errors}, non-2xx ${scan.non2xx}`,
      );
      if (scan.non2xx > 0 || scan.errors > 0)
        throw new Error(`bag.scan: ${scan.non2xx} non-2xx answers, ${scan.errors} errors`);
      return [
        {
          name: 'bag.scan',
          throughput: round(scan.requests.average),
          unit: 'req/s',
          p50_ms: scan.latency.p50,
          p99_ms: scan.latency.p99,
          reference_name: 'bare GET /healthz req/s of the same BFF process (50 connections, same run)',
          reference: round(healthRps),
          ratio: round(scan.requests.average / healthRps, 4),
          notes:
            'GET /api/v1/bags/:code by the owner of a bag the centre bound to their case in 补齐补正 (tag check, one joined lookup, drop-off outlets, pickup windows), 50 connections, 10 s, PostgreSQL',
        },
      ];
    },
  },
  {
    name: 'stats',
    async run({ pgbenchTps: tps, databaseUrl }) {
      const cases = Number(process.env.BENCH_STATS_CASES ?? 100_000);
      const s = await benchStats(databaseUrl, cases);
      console.log(`reference: count(*) of ${cases} cases ${round(s.scanMs, 2)} ms`);
      const entries = [
        ['stats.year', s.yearAll, 'GET /api/v1/supervision/figures for the whole year, all centres'],
        ['stats.year.centre', s.yearCentre, 'the whole year, one centre of four'],
        ['stats.month.centre', s.monthCentre, 'one month (November), one centre'],
        ['stats.csv', s.csv, 'GET /api/v1/supervision/figures.csv for the whole year, all centres'],
      ] as const;
      for (const [name, r] of entries) {
        console.log(
          `${name}: p50 ${round(r.p50)} ms, p99 ${round(r.p99)} ms (${round(r.p50 / s.scanMs)} × count(*))`,
        );
      }
      const seeded = `${s.counted.cases} cases over a year and 4 centres with ${s.counted.events} visit events, ${s.counted.legs} charged legs, ${s.counted.ratings} ratings, ${s.counted.bags} bags, seeded in SQL (generate_series) in ${round(s.seedSeconds)} s`;
      return entries.map(([name, r, what]) => ({
        name,
        throughput: round(1000 / r.p50),
        unit: 'req/s (one at a time)',
        p50_ms: round(r.p50),
        p99_ms: round(r.p99),
        reference_name: PGBENCH_REFERENCE,
        reference: round(tps),
        ratio: round(1000 / r.p50 / tps, 4),
        target: `p50 ≤ ${STATS_SCAN_RATIO} × a same-run count(*) of the 100,000 cases (${r.p50 / s.scanMs <= STATS_SCAN_RATIO ? 'met' : 'NOT met'}); p99 ≤ ${STATS_TARGET_MS} ms on a quiet machine (${r.p99 <= STATS_TARGET_MS ? 'met' : 'not met in this run'})`,
        notes: `${what}: four statements (cases with channels and percentile_cont p50/p90 of five stages, bags, charged legs, per-agent events and ratings) through app.inject with a supervisor's JWT and session check, PostgreSQL; ${seeded}; same-run count(*) of the cases ${round(s.scanMs, 2)} ms → ${round(r.p50 / s.scanMs)} ×`,
      }));
    },
  },
  {
    name: 'claims.import',
    async run({ databaseUrl, pgbenchTps: tps }) {
      const imp = await benchClaimsImport(databaseUrl);
      console.log(`claims.import: ${round(imp.throughput)} rows/s (${round(imp.seconds, 2)} s)`, imp.check);
      if (imp.check.imported !== IMPORT_ROWS || imp.check.stored !== IMPORT_ROWS)
        throw new Error(`claims.import lost rows: ${JSON.stringify(imp.check)}`);
      return [
        {
          name: 'claims.import',
          throughput: round(imp.throughput),
          unit: 'rows/s',
          p50_ms: null,
          p99_ms: null,
          reference_name: PGBENCH_REFERENCE,
          reference: round(tps),
          ratio: round(imp.throughput / tps, 4),
          target: '30,000 screened enterprises taken in one go, all or nothing',
          notes: `${IMPORT_ROWS} rows of one 免申即享 list in one transaction (multi-row INSERTs of 2,000 rows) in ${round(imp.seconds, 2)} s, as the import job runs it after fetching the list; PostgreSQL`,
        },
      ];
    },
  },
];

const names = SCENARIOS.map((s) => s.name);
const wanted = process.argv.slice(2).map((a) => names.find((n) => a === n || a.startsWith(`${n}.`)) ?? a);
for (const name of wanted) {
  if (!names.includes(name)) throw new Error(`unknown scenario ${name}: choose from ${names.join(', ')}`);
}

async function main() {
  const results: Result[] = [];
  const reference = await scratchDatabase(adminUrl);
  let pgbenchTps: number;
  try {
    pgbenchTps = await pgbenchInsertTps(reference.url);
  } finally {
    await reference.drop();
  }
  console.log(`reference: pgbench one-row insert ${round(pgbenchTps)} tps`);
  for (const scenario of SCENARIOS) {
    if (wanted.length > 0 && !wanted.includes(scenario.name)) continue;
    // Each scenario on a database of its own: one scenario's rows and finished jobs never slow the next.
    const db = await scratchDatabase(adminUrl);
    try {
      results.push(...(await scenario.run({ databaseUrl: db.url, pgbenchTps })));
    } finally {
      await db.drop();
    }
  }

  const previous: Result[] = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : [];
  const merged = [...previous.filter((p) => !results.some((r) => r.name === p.name)), ...results];
  writeFileSync(out, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
