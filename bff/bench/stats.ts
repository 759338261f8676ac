import { randomBytes, randomUUID } from 'node:crypto';
import { beijingInstant } from '@zyt/shared';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createGovSimulator } from '../simulators/gov/server';
import { DEMO_CREDENTIALS, loadConfig } from '../src/config';
import { rowsOf } from '../src/db/client';
import { refreshTokens, users } from '../src/db/schema';
import { syncCatalogue } from '../src/features/catalogue/sync';
import { figureStatements } from '../src/features/figures/figures';
import { createServer } from '../src/server';
import { percentile } from './reference';

/** The year the seeded cases are spread over (Beijing dates, both included). */
const FROM = '2025-12-01';
const TO = '2026-11-30';
const CENTRES = ['HP-SC-01', 'HP-SC-02', 'HP-SC-03', 'HP-SC-04'];
const AGENTS = 40;
const RESIDENTS = 1000;

/**
 * The seed, all in SQL (generate_series, INSERT … SELECT): `n` cases over the year and the four centres, by
 * channel 55% door visit, 20% online, 10% outlet window, 10% enterprise claim, 5% bundle. Door visits have their
 * booking (40 agents), its events (assigned, arrived, collected), a late-arrival breach for about one in six,
 * the materials leg, and a 好差评 of the visit for one in three; 90% of cases are accepted, 80% completed, 70%
 * delivered by a result leg; one in twenty had a supplement sent by bag (its own leg). Every leg is charged
 * (settlement item) like the EMS-order hook does.
 */
function seedStatements(n: number) {
  return [
    `select setseed(0.42)`,
    `insert into users (openid) select 'bench-res-' || g from generate_series(1, ${RESIDENTS}) g`,
    `insert into users (openid, roles, staff_no) select 'bench-agent-' || g, '{resident,postal_agent}', 'BA' || lpad(g::text, 4, '0') from generate_series(1, ${AGENTS}) g`,
    `create unlogged table bench_seed as
     select i,
       gen_random_uuid() as case_id,
       case when i % 20 <= 10 then gen_random_uuid() end as booking_id,
       case when i % 20 <= 10 then 'door_visit' when i % 20 <= 14 then 'online' when i % 20 <= 16 then 'outlet_window'
            when i % 20 <= 18 then 'enterprise_claim' else 'bundle' end as channel,
       (array[${CENTRES.map((c) => `'${c}'`).join(',')}])[1 + i % ${CENTRES.length}] as centre_id,
       timestamptz '${beijingInstant(TO, '18:00').toISOString()}' - (i % 365) * interval '1 day' - random() * interval '8 hours' as booked_at,
       random() * 3 + 0.2 as visit_h, random() * 6 + 0.5 as submit_h, random() * 72 + 2 as accept_h,
       random() * 240 + 24 as complete_h, random() * 60 + 4 as deliver_h,
       (random() * 1000)::int as r
     from generate_series(1, ${n}) i`,
    `alter table bench_seed add primary key (i)`,
    `create unlogged table bench_people as
     select (select array_agg(id order by openid) from users where openid like 'bench-res-%') as residents,
            (select array_agg(id order by openid) from users where openid like 'bench-agent-%') as agents`,
    `insert into bookings (id, number, user_id, idempotency_key, request_hash, matter_code, matter_name, matter_version,
       status, window_kind, county, outlet_id, address_sealed, contact_sealed, agent_id, accepted_at, arrived_at, created_at, updated_at)
     select s.booking_id, 'BK' || s.i, p.residents[1 + s.i % ${RESIDENTS}], 'bench-' || s.i, 'h', 'BENCH', '测试事项', '1',
       'collected', 'asap', '黄埔区', 'HP-PO-01', 'x', 'x', p.agents[1 + floor(random() * ${AGENTS})::int],
       s.booked_at + interval '10 minutes', s.booked_at + s.visit_h * interval '1 hour', s.booked_at, s.booked_at
     from bench_seed s, bench_people p where s.booking_id is not null`,
    `insert into booking_events (booking_id, kind, status, actor, actor_id, at)
     select b.id, 'status_changed', e.status, 'agent', b.agent_id, b.created_at + e.after
     from bookings b join bench_seed s on s.booking_id = b.id,
       lateral (values ('assigned', interval '10 minutes'), ('arrived', s.visit_h * interval '1 hour'),
                       ('collected', s.visit_h * interval '1 hour' + interval '20 minutes')) e(status, after)`,
    `insert into sla_breaches (kind, subject_id, due_at, detected_at, resolved_at)
     select 'visit_late', s.booking_id, s.booked_at + interval '1 hour', s.booked_at + interval '1 hour',
       s.booked_at + s.visit_h * interval '1 hour'
     from bench_seed s where s.booking_id is not null and s.visit_h > 2.7`,
    `insert into cases (id, user_id, channel, applicant_kind, enterprise_name, enterprise_credit_code, booking_id, centre_id,
       proj_id, matter_code, matter_name, promised_working_days, status, submitted_at, accepted_at, completed_at,
       created_at, updated_at)
     select s.case_id, p.residents[1 + s.i % ${RESIDENTS}], s.channel,
       case when s.channel = 'enterprise_claim' then 'enterprise' else 'person' end,
       case when s.channel = 'enterprise_claim' then '测试企业' || s.i end,
       case when s.channel = 'enterprise_claim' then '91440101MA' || lpad(s.i::text, 8, '0') end,
       s.booking_id, s.centre_id, 'P' || s.i, 'BENCH', '测试事项', 20,
       case when s.r < 700 then 'delivered' when s.r < 800 then 'completed' when s.r < 900 then 'in_progress' else 'received' end,
       t.submitted, case when s.r < 900 then t.submitted + s.accept_h * interval '1 hour' end,
       case when s.r < 800 then t.submitted + (s.accept_h + s.complete_h) * interval '1 hour' end,
       t.opened, t.opened
     from bench_seed s, bench_people p,
       lateral (select case when s.booking_id is not null then s.booked_at + s.visit_h * interval '1 hour' else s.booked_at end as opened,
                       case when s.booking_id is not null then s.booked_at + (s.visit_h + s.submit_h) * interval '1 hour' else s.booked_at end as submitted) t`,
    // Legs: the materials of door visits (kind 0), results (1), bag supplements (2).
    `create unlogged table bench_legs as
     select gen_random_uuid() as id, s.case_id, k.leg, k.at, k.delivered,
       '9' || lpad((s.i * 3 + k.n)::text, 12, '0') as waybill_no
     from bench_seed s join cases c on c.id = s.case_id,
       lateral (values
         (0, 'materials_to_centre', c.created_at, null::timestamptz, s.booking_id is not null),
         (1, 'result_to_applicant', c.completed_at, c.completed_at + s.deliver_h * interval '1 hour', s.r < 700),
         (2, 'supplement_to_centre', c.created_at + interval '3 days', c.created_at + interval '4 days', s.i % 20 = 7)
       ) k(n, leg, at, delivered, wanted)
     where k.wanted`,
    `insert into shipments (id, leg, subject_kind, case_id, sender_sealed, receiver_sealed, status, waybill_no, ordered_at, delivered_at, created_at)
     select id, leg, 'case', case_id, 'x', 'x', case when delivered is null then 'in_transit' else 'delivered' end, waybill_no, at, delivered, at
     from bench_legs`,
    `insert into settlement_items (shipment_id, case_id, waybill_no, leg, amount_fen, created_at)
     select id, case_id, waybill_no, leg, 1200, at from bench_legs`,
    `update cases c set result_shipment_id = l.id from bench_legs l where l.case_id = c.id and l.leg = 'result_to_applicant'`,
    `insert into supplements (id, case_id, source, items, deadline, status, created_at)
     select gen_random_uuid(), l.case_id, 'platform', '[]', l.at + interval '10 days', 'received', l.at - interval '1 day'
     from bench_legs l where l.leg = 'supplement_to_centre'`,
    `insert into bag_batches (id, count, valid_until, created_by)
     select '00000000-0000-4000-8000-000000000001', ${n}, '2027-12-31', p.agents[1] from bench_people p`,
    `insert into bags (code, batch_id, state, supplement_id, bound_by, bound_at, shipment_id, sent_at, created_at)
     select 'BENCH' || lpad(row_number() over ()::text, 7, '0'), '00000000-0000-4000-8000-000000000001', 'sent', p.id, 'resident',
       l.at, l.id, l.at, l.at
     from bench_legs l join supplements p on p.case_id = l.case_id where l.leg = 'supplement_to_centre'`,
    `insert into evaluations (case_id, user_id, stage, level, indicators, tags, agent_id, request_hash, created_at)
     select c.id, c.user_id, 'visit', 1 + s.r % 5, '{"overall": 5}', '[]', b.agent_id, 'h', c.created_at + interval '1 day'
     from bench_seed s join cases c on c.id = s.case_id join bookings b on b.id = c.booking_id where s.i % 3 = 0`,
    `drop table bench_seed, bench_people, bench_legs`,
    `analyze`,
  ];
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

/**
 * stats: the supervisors' figures on 100,000 cases (and their visits, legs, bags and ratings) over a year and
 * four centres. Each request is timed through the whole API (JWT, session check, validation, the statements,
 * serialisation) with app.inject on PostgreSQL, one at a time; the same run measures a plain `count(*)` scan of
 * the cases as a second reference and prints the plans.
 */
export async function benchStats(databaseUrl: string, n = 100_000) {
  const gov = createGovSimulator({ ...DEMO_CREDENTIALS.gov });
  const govUrl = await gov.listen({ host: '127.0.0.1', port: 0 });
  const app = await createServer({
    config: loadConfig({
      DATABASE_URL: databaseUrl,
      DATA_DIR: 'memory://',
      GOV_API_BASE: govUrl,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      JOB_WORKERS: 'off',
      PII_KEY: randomBytes(32).toString('base64'),
      JWT_SECRET: randomBytes(32).toString('hex'),
    }),
  });
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await app.ready();
    const { db } = app.database;
    await syncCatalogue(db, app.gov);
    await client.connect();
    const seedStart = Date.now();
    for (const statement of seedStatements(n)) await client.query(statement);
    const seedSeconds = (Date.now() - seedStart) / 1000;
    const counted = (
      await client.query<{ cases: number; events: number; legs: number; ratings: number; bags: number }>(
        `select (select count(*) from cases)::int as cases, (select count(*) from booking_events)::int as events,
                (select count(*) from settlement_items)::int as legs, (select count(*) from evaluations)::int as ratings,
                (select count(*) from bags)::int as bags`,
      )
    ).rows[0]!;
    if (counted.cases !== n) throw new Error(`seeded ${counted.cases} cases, not ${n}`);
    console.log(`stats: seeded in ${seedSeconds.toFixed(1)} s`, counted);

    // A supervisor with a live session, as sign-in leaves one.
    const [sup] = await db
      .insert(users)
      .values({ openid: `bench-sup-${randomUUID()}`, roles: ['supervisor'] })
      .returning();
    const sid = randomUUID();
    await db.insert(refreshTokens).values({
      userId: sup!.id,
      familyId: sid,
      tokenHash: randomBytes(32).toString('hex'),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const token = await app.jwt.sign({ sub: sup!.id, roles: ['supervisor'] as never, sid });
    const headers = { authorization: `Bearer ${token}` };

    async function time(url: string, runs = 15) {
      const ms: number[] = [];
      let body = '';
      for (let k = 0; k < runs + 2; k++) {
        const t0 = performance.now();
        const res = await app.inject({ url: `/api/v1${url}`, headers });
        const took = performance.now() - t0;
        if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
        body = res.body;
        if (k >= 2) ms.push(took);
      }
      const sorted = [...ms].sort((a, b) => a - b);
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), body };
    }
    const month = { from: '2026-11-01', to: '2026-11-30' };
    const yearAll = await time(`/supervision/figures?from=${FROM}&to=${TO}`);
    const yearCentre = await time(`/supervision/figures?from=${FROM}&to=${TO}&centre=${CENTRES[0]}`);
    const monthCentre = await time(
      `/supervision/figures?from=${month.from}&to=${month.to}&centre=${CENTRES[0]}`,
    );
    const csv = await time(`/supervision/figures.csv?from=${FROM}&to=${TO}`);
    const figures = JSON.parse(yearAll.body);
    if (figures.applications !== n)
      throw new Error(`the year's figures count ${figures.applications} cases, not ${n}`);
    if (figures.agents.length !== AGENTS) throw new Error(`${figures.agents.length} agents, not ${AGENTS}`);

    // Same-run references: a bare count(*) of the cases (one scan of the table the figures read most).
    const scans: number[] = [];
    for (let k = 0; k < 12; k++) {
      const t0 = performance.now();
      await client.query('select count(*) from cases');
      if (k >= 2) scans.push(performance.now() - t0);
    }
    const scanMs = median(scans);

    const periodOf = (from: string, to: string) => ({
      start: beijingInstant(from, '00:00'),
      end: new Date(beijingInstant(to, '00:00').getTime() + 86_400_000),
    });
    const plans: Record<string, string> = {};
    for (const [label, p] of [
      ['month, one centre', { ...periodOf(month.from, month.to), centreId: CENTRES[0] }],
      ['year, all centres', periodOf(FROM, TO)],
    ] as const) {
      const q = figureStatements(p);
      for (const [name, statement] of Object.entries(q)) {
        const plan = rowsOf<{ 'QUERY PLAN': string }>(
          await db.execute(sql`explain (analyze, costs off, timing off, summary on) ${statement}`),
        )
          .map((r) => r['QUERY PLAN'])
          .join('\n');
        plans[`${label} / ${name}`] = plan;
      }
    }
    for (const [k, v] of Object.entries(plans)) console.log(`--- plan: ${k}\n${v}`);
    return { n, seedSeconds, counted, yearAll, yearCentre, monthCentre, csv, scanMs, figures };
  } finally {
    await client.end().catch(() => undefined);
    await app.close();
    await gov.close();
  }
}
