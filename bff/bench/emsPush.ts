import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { encodeTrackPush } from '../simulators/ems/push';
import { DEMO_CREDENTIALS } from '../src/config';
import { openDatabase } from '../src/db/client';
import { shipments } from '../src/db/schema';
import {
  currentStatus,
  deliveredAt,
  deliveryFlags,
  type EmsTrackEvent,
  effectiveTimeline,
  eventKey,
  formatEmsTime,
} from '../src/integrations/ems/tracking';
import { percentile } from './reference';
import { caseForLegs } from './subject';

const here = path.dirname(fileURLToPath(import.meta.url));
const HOUR = 3_600_000;

/** A small seeded generator (mulberry32): the same shuffles and duplicates on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(items: T[], rnd: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** One leg's events: mostly delivered first time; some fail once, see a reversal, go to a proxy or a locker. */
function story(waybillNo: string, i: number, t0: number): EmsTrackEvent[] {
  const at = (h: number) => formatEmsTime(new Date(t0 + h * HOUR));
  const org = (code: string, name: string) => ({
    opOrgProvName: '广东省',
    opOrgCity: '广州市',
    opOrgCode: code,
    opOrgName: name,
  });
  const e = (opCode: string, h: number, extra: Partial<EmsTrackEvent> = {}): EmsTrackEvent => ({
    waybillNo,
    opTime: at(h),
    opCode,
    opName: `op${opCode}`,
    opDesc: `【广州市黄埔区揽投部】${opCode}`,
    ...org(opCode === '305' || opCode === '954' ? '51000090' : '51000001', '广州市黄埔区揽投部'),
    operatorNo: '20000001',
    operatorName: '王师傅',
    ...extra,
  });
  const proxy = { deliverCode: '20', signerRelation: '家属', signerIdNo: '11010519491231002X' };
  const start = [e('203', 0), e('305', 2), e('954', 7), e('702', 19)];
  switch (i % 25) {
    case 0:
    case 1:
      return [
        ...start,
        e('705', 21, { attemptDeliveryCode: '4' }),
        e('702', 43),
        e('704', 45, { deliverCode: '10' }),
      ];
    case 2:
      return [...start, e('704', 21, { deliverCode: '10' }), e('743', 21.5), e('704', 22, proxy)];
    case 3:
      return [...start, e('704', 21, proxy)];
    case 4:
      return [...start, e('747', 20), e('704', 26, { deliverCode: '50' })];
    default:
      return [...start, e('704', 21, { deliverCode: '10' })];
  }
}

/**
 * ems.push: batched 040002 pushes (100 events each, sealed as EMS seals them) into the tracking hook of a BFF
 * in its own process on PostgreSQL, with bounded concurrency. The events are the lives of `legs` shipments
 * (inserted directly), in time order across pushes and shuffled within each; ~5% of pushes are sent again, as
 * EMS does when our answer is lost, and 3% of scans arrive late, after the leg's next event. A leg starts every
 * `legEveryMs` of event time: at the design's peak (≈160 new legs/s) concurrent pushes almost never share a leg;
 * sparser starts make neighbouring pushes share legs and wait for each other's row locks.
 * Throughput = unique events stored / wall time; latency = one push.
 * Afterwards every event must be stored exactly once and every leg must show its history's status,
 * delivery time and flags.
 */
export async function benchEmsPush(
  databaseUrl: string,
  { legs = 2000, concurrency = 8, legEveryMs = 500 } = {},
) {
  const rnd = random(20_261_120);
  const base = Date.parse('2026-11-20T00:00:00Z');
  const waybills = Array.from({ length: legs }, (_, i) => `12${String(100_000_000 + i).padStart(11, '0')}`);

  const handle = await openDatabase({ databaseUrl, dataDir: 'memory://' });
  const caseId = await caseForLegs(handle.db, 'bench');
  for (let i = 0; i < legs; i += 500) {
    await handle.db.insert(shipments).values(
      waybills.slice(i, i + 500).map((waybillNo, j) => ({
        // A case has a materials leg and a result leg; the result leg's changes also move the case.
        leg: (i + j) % 2 === 0 ? ('materials_to_centre' as const) : ('result_to_applicant' as const),
        subjectKind: 'case' as const,
        caseId,
        senderSealed: 'sealed',
        receiverSealed: 'sealed',
        waybillNo,
        orderedAt: new Date(base),
      })),
    );
  }

  const lives = waybills.map((w, i) => story(w, i, base + i * legEveryMs));
  const all = lives.flat().sort((a, b) => (a.opTime < b.opTime ? -1 : a.opTime > b.opTime ? 1 : 0));
  // 3% of scans reach EMS late (a courier's handheld uploads hours later): after the leg's next event.
  const lateOnes = new Set(all.filter(() => rnd() < 0.03));
  const stream = all.filter((e) => !lateOnes.has(e));
  for (const late of lateOnes) {
    const after = stream.findIndex((e) => e.waybillNo === late.waybillNo && e.opTime > late.opTime);
    stream.splice(after < 0 ? stream.length : after + 1 + Math.floor(rnd() * 300), 0, late);
  }
  const batches: EmsTrackEvent[][] = [];
  for (let i = 0; i < stream.length; i += 100) batches.push(shuffle(stream.slice(i, i + 100), rnd));
  // A key of this run: production mode refuses the public demo key.
  const cfg = { senderNo: DEMO_CREDENTIALS.ems.senderNo, signKey: randomBytes(16).toString('base64') };
  const bodies = batches.map((b) => JSON.stringify(encodeTrackPush(b, cfg)));
  // ~5% of pushes come again a little later, same serialNo and content.
  const order = bodies.map((_, i) => i);
  for (const i of shuffle([...order], rnd).slice(0, Math.round(bodies.length * 0.05))) {
    order.splice(Math.min(order.length, order.indexOf(i) + 1 + Math.floor(rnd() * 20)), 0, i);
  }
  const unique = new Set(all.map(eventKey)).size;
  await handle.close();

  const keys = { PII_KEY: randomBytes(32).toString('base64'), JWT_SECRET: randomBytes(32).toString('hex') };
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  const bff = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(here, 'bffProcess.ts')], {
    env: {
      ...process.env,
      ...keys,
      DATABASE_URL: databaseUrl,
      EMS_SENDER_NO: cfg.senderNo,
      EMS_SIGN_KEY: cfg.signKey,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(bff.stdout, 'data')) as [Buffer];
  const hook = `${line.toString().trim()}/api/v1/hooks/ems/track`;
  try {
    const latencies: number[] = [];
    let refused = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < order.length) {
          const body = bodies[order[next++]!]!;
          // A refused push is pushed again, as EMS would; every answer counts in the latencies.
          for (let attempt = 0; ; attempt++) {
            const t = performance.now();
            const res = await fetch(hook, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body,
            });
            const answer = (await res.json()) as { code?: string };
            latencies.push(performance.now() - t);
            if (answer.code === '00000') break;
            refused++;
            if (attempt >= 5) throw new Error(`push refused ${attempt + 1} times: ${JSON.stringify(answer)}`);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const check = await openDatabase({ databaseUrl, dataDir: 'memory://' });
    const [counts] = await check.rows<{ rows: number; keys: number; clear_ids: number }>(sql`
      select count(*)::int as rows, count(distinct event_key)::int as keys,
             count(*) filter (where raw ? 'signerIdNo')::int as clear_ids
      from shipment_events`);
    const legRows = await check.rows<{
      waybill_no: string;
      status: string;
      delivered_at: Date | string | null;
      flags: { code: string; at: string }[];
    }>(sql`select waybill_no, status, delivered_at, flags from shipments`);
    await check.close();
    // Each leg as its whole history says, whatever order the events came in.
    const expected = new Map(
      lives.map((events, i) => {
        const timeline = effectiveTimeline(events);
        const flags = deliveryFlags(timeline).map((f) => `${f.code}@${f.at}`);
        const at = deliveredAt(timeline)?.toISOString() ?? null;
        return [waybills[i]!, JSON.stringify([currentStatus(timeline), at, flags])];
      }),
    );
    const ours = legRows.filter((r) => expected.has(r.waybill_no));
    const wrongState =
      expected.size -
      ours.length +
      ours.filter((r) => {
        const at = r.delivered_at === null ? null : new Date(r.delivered_at).toISOString();
        const flags = r.flags.map((f) => `${f.code}@${f.at}`);
        return expected.get(r.waybill_no) !== JSON.stringify([r.status, at, flags]);
      }).length;
    latencies.sort((a, b) => a - b);
    return {
      throughput: unique / seconds,
      p50_ms: percentile(latencies, 50),
      p99_ms: percentile(latencies, 99),
      check: {
        legs,
        legEveryMs,
        concurrency,
        pushes: order.length,
        resent: order.length - bodies.length,
        refused,
        uniqueEvents: unique,
        rows: counts!.rows,
        lost: unique - counts!.keys,
        duplicated: counts!.rows - counts!.keys,
        wrongState,
        clearIds: counts!.clear_ids,
        seconds: Math.round(seconds * 100) / 100,
      },
    };
  } finally {
    bff.kill('SIGTERM');
    await once(bff, 'exit');
  }
}
