import {
  beijingDate,
  type ClaimChannel,
  claimChannelLabels,
  claimChannels,
  type RoundCounts,
  type RoundDay,
  type RoundProgress,
  type RoundSummary,
  yuanOf,
} from '@zyt/shared';
import { count, desc, eq, sql } from 'drizzle-orm';
import { type DatabaseOrTransaction, rowsOf } from '../../db/client';
import { matters, type SubsidyRound, subsidyClaims, subsidyRounds } from '../../db/schema';
import { formatEmsTime } from '../../integrations/ems/time';
import { AppError } from '../../lib/errors';
import { type CsvCell, csvDocument } from '../figures/csv';

/** The rounds list shows the newest this many. */
const ROUNDS_LISTED = 100;

/** A timestamptz as its Beijing calendar date, whatever the session's time zone (PGlite has no zone files). */
const beijingDay = (column: string) => sql.raw(`((${column} at time zone 'UTC') + interval '8 hours')::date`);

/** Unpaid past its deadline, and not refused: the same rule as the payment_overdue breach. */
const overdue = (now: Date) =>
  sql`c.payment is null and c.pay_by < ${now} and c.status not in ('refused', 'returned')`;
const paidLate = sql`(c.payment->>'paidOn')::date > ${beijingDay('c.pay_by')}`;
const paidFen = sql`((c.payment->>'amountFen')::bigint)`;

type CountsRow = {
  round_id: string;
  confirmed: number;
  confirmed_fen: number;
  accepted: number;
  refused: number;
  paid: number;
  paid_fen: number;
  overdue: number;
  paid_late: number;
  oldest_overdue_due: string | null;
};

/**
 * The confirmations of some rounds and where their cases stand, one GROUP BY over subsidy_confirmations (by its
 * (round_id, credit_code) index) joined to cases by primary key.
 */
async function confirmationCounts(db: DatabaseOrTransaction, roundIds: string[], now: Date) {
  if (roundIds.length === 0) return new Map<string, CountsRow>();
  const rows = await db
    .execute(sql`
      select k.round_id,
        count(*)::int as confirmed,
        coalesce(sum(k.amount_fen), 0)::bigint as confirmed_fen,
        count(c.accepted_at)::int as accepted,
        count(*) filter (where c.status in ('refused', 'returned'))::int as refused,
        count(c.payment)::int as paid,
        coalesce(sum(${paidFen}), 0)::bigint as paid_fen,
        count(*) filter (where ${overdue(now)})::int as overdue,
        count(*) filter (where ${paidLate})::int as paid_late,
        to_char(min(${beijingDay('c.pay_by')}) filter (where ${overdue(now)}), 'YYYY-MM-DD') as oldest_overdue_due
      from subsidy_confirmations k
      join cases c on c.id = k.case_id
      where k.round_id in (${sql.join(
        roundIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      group by k.round_id`)
    .then(rowsOf<CountsRow>);
  return new Map(rows.map((r) => [r.round_id, r]));
}

/** Each round's screened list: how many enterprises, how much (by the (round_id, credit_code) primary key). */
async function listedCounts(db: DatabaseOrTransaction, roundIds: string[]) {
  if (roundIds.length === 0) return new Map<string, { listed: number; listedFen: number }>();
  const rows = await db
    .execute(sql`
      select s.round_id, count(*)::int as listed, coalesce(sum(s.amount_fen), 0)::bigint as listed_fen
      from subsidy_screened s
      where s.round_id in (${sql.join(
        roundIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      group by s.round_id`)
    .then(rowsOf<{ round_id: string; listed: number; listed_fen: number | string }>);
  return new Map(rows.map((r) => [r.round_id, { listed: r.listed, listedFen: Number(r.listed_fen) }]));
}

function countsOf(listed: { listed: number; listedFen: number } | undefined, c: CountsRow | undefined) {
  return {
    listed: listed?.listed ?? 0,
    listedFen: listed?.listedFen ?? 0,
    confirmed: c?.confirmed ?? 0,
    confirmedFen: Number(c?.confirmed_fen ?? 0),
    accepted: c?.accepted ?? 0,
    refused: c?.refused ?? 0,
    paid: c?.paid ?? 0,
    paidFen: Number(c?.paid_fen ?? 0),
    overdue: c?.overdue ?? 0,
    paidLate: c?.paid_late ?? 0,
  } satisfies RoundCounts;
}

function summaryOf(
  round: SubsidyRound,
  matterName: string | null,
  counts: RoundCounts,
  now: Date,
): RoundSummary {
  const closed = round.deadline < now;
  return {
    id: round.id,
    name: round.name,
    matterName: matterName ?? round.name,
    status: round.status,
    statusLabel: round.status === 'importing' ? '名单导入中' : closed ? '确认已截止' : '确认中',
    publishedAt: round.publishedAt.toISOString(),
    deadline: round.deadline.toISOString(),
    closed,
    counts,
  };
}

/** Supervisors' rounds list: the newest rounds first, each with its headline counts (three statements in all). */
export async function listRounds(db: DatabaseOrTransaction, now = new Date()): Promise<RoundSummary[]> {
  const rounds = await db
    .select({ round: subsidyRounds, matterName: matters.name })
    .from(subsidyRounds)
    .leftJoin(matters, eq(matters.code, subsidyRounds.matterCode))
    .orderBy(desc(subsidyRounds.publishedAt), desc(subsidyRounds.id))
    .limit(ROUNDS_LISTED);
  const ids = rounds.map((r) => r.round.id);
  const [listed, confirmed] = await Promise.all([listedCounts(db, ids), confirmationCounts(db, ids, now)]);
  return rounds.map((r) =>
    summaryOf(r.round, r.matterName, countsOf(listed.get(r.round.id), confirmed.get(r.round.id)), now),
  );
}

/** Claims by post (邮寄申领) the round has received, by the way their materials travel. One grouped count. */
export async function claimCounts(
  db: DatabaseOrTransaction,
  roundId: string,
): Promise<RoundProgress['claims']> {
  const rows = await db
    .select({ channel: subsidyClaims.channel, n: count() })
    .from(subsidyClaims)
    .where(eq(subsidyClaims.roundId, roundId))
    .groupBy(subsidyClaims.channel);
  const byChannel = Object.fromEntries(claimChannels.map((ch) => [ch, 0])) as Record<ClaimChannel, number>;
  for (const r of rows) byChannel[r.channel] = r.n;
  return { received: rows.reduce((n, r) => n + r.n, 0), byChannel };
}

/**
 * Per Beijing day: confirmations made (confirmed_at), cases the platform accepted (accepted_at), payments made
 * (the payment's own date). One scan of the round's confirmations, each row counted on up to three days.
 */
async function roundDays(db: DatabaseOrTransaction, roundId: string): Promise<RoundDay[]> {
  const rows = await db
    .execute(sql`
      select to_char(d.day, 'YYYY-MM-DD') as date,
        count(*) filter (where d.what = 'confirmed')::int as confirmed,
        count(*) filter (where d.what = 'accepted')::int as accepted,
        count(*) filter (where d.what = 'paid')::int as paid,
        coalesce(sum(d.fen) filter (where d.what = 'paid'), 0)::bigint as paid_fen
      from subsidy_confirmations k
      join cases c on c.id = k.case_id
      cross join lateral (values
        ('confirmed', ${beijingDay('k.confirmed_at')}, 0::bigint),
        ('accepted', ${beijingDay('c.accepted_at')}, 0::bigint),
        ('paid', (c.payment->>'paidOn')::date, ${paidFen})
      ) as d(what, day, fen)
      where k.round_id = ${roundId}::uuid and d.day is not null
      group by d.day
      order by d.day`)
    .then(
      rowsOf<{ date: string; confirmed: number; accepted: number; paid: number; paid_fen: number | string }>,
    );
  return rows.map((r) => ({
    date: r.date,
    confirmed: r.confirmed,
    accepted: r.accepted,
    paid: r.paid,
    paidFen: Number(r.paid_fen),
  }));
}

/** A round's progress for supervisors: its counts, claims by post, and the per-day figures. 404 if unknown. */
export async function roundProgress(
  db: DatabaseOrTransaction,
  roundId: string,
  now = new Date(),
): Promise<RoundProgress> {
  const [row] = await db
    .select({ round: subsidyRounds, matterName: matters.name })
    .from(subsidyRounds)
    .leftJoin(matters, eq(matters.code, subsidyRounds.matterCode))
    .where(eq(subsidyRounds.id, roundId));
  if (!row) throw new AppError(404, 'ROUND_NOT_FOUND');
  const [listed, confirmed, claims, days] = await Promise.all([
    listedCounts(db, [roundId]),
    confirmationCounts(db, [roundId], now),
    claimCounts(db, roundId),
    roundDays(db, roundId),
  ]);
  const c = confirmed.get(roundId);
  return {
    round: summaryOf(row.round, row.matterName, countsOf(listed.get(roundId), c), now),
    rule: row.round.rule,
    claims,
    days,
    asOf: now.toISOString(),
    oldestOverdueDue: c?.oldest_overdue_due ?? null,
  };
}

export type RoundEnterpriseRow = {
  creditCode: string;
  name: string;
  amountFen: number;
  confirmedAt: Date | null;
  caseNumber: string | null;
  acceptedAt: Date | null;
  status: string | null;
  payBy: Date | null;
  paidOn: string | null;
  paidFen: number | null;
};

/** Every enterprise on a round's list with where its confirmation stands, in credit-code order (for the CSV). */
export async function roundEnterprises(
  db: DatabaseOrTransaction,
  roundId: string,
): Promise<RoundEnterpriseRow[]> {
  const rows = await db
    .execute(sql`
      select s.credit_code, s.enterprise_name, s.amount_fen, k.confirmed_at, c.proj_id, c.accepted_at, c.status,
        c.pay_by, c.payment->>'paidOn' as paid_on, (c.payment->>'amountFen')::int as paid_fen
      from subsidy_screened s
      left join subsidy_confirmations k on k.round_id = s.round_id and k.credit_code = s.credit_code
      left join cases c on c.id = k.case_id
      where s.round_id = ${roundId}::uuid
      order by s.credit_code`)
    .then(
      rowsOf<{
        credit_code: string;
        enterprise_name: string;
        amount_fen: number;
        confirmed_at: Date | string | null;
        proj_id: string | null;
        accepted_at: Date | string | null;
        status: string | null;
        pay_by: Date | string | null;
        paid_on: string | null;
        paid_fen: number | null;
      }>,
    );
  const at = (v: Date | string | null) => (v === null ? null : new Date(v));
  return rows.map((r) => ({
    creditCode: r.credit_code,
    name: r.enterprise_name,
    amountFen: r.amount_fen,
    confirmedAt: at(r.confirmed_at),
    caseNumber: r.proj_id,
    acceptedAt: at(r.accepted_at),
    status: r.status,
    payBy: at(r.pay_by),
    paidOn: r.paid_on,
    paidFen: r.paid_fen,
  }));
}

/** Where an enterprise on the list stands, in a supervisor's words. */
export function enterpriseStanding(r: RoundEnterpriseRow, now: Date): string {
  if (!r.confirmedAt) return '未确认';
  if (r.status === 'refused' || r.status === 'returned') return '不予受理';
  if (r.paidOn) return r.payBy && r.paidOn > beijingDate(r.payBy) ? '已拨付（超期）' : '已拨付';
  if (r.payBy && r.payBy < now) return '超期未拨付';
  if (r.acceptedAt) return '已受理，待拨付';
  return '已确认，待受理';
}

const yuan = (fen: number | null) => (fen === null ? null : yuanOf(fen));
const beijingTime = (d: Date | null) => (d ? formatEmsTime(d).slice(0, 16) : null);

/**
 * A round's progress as CSV (UTF-8 with a BOM, like the figures): the counts, claims by channel, the per-day
 * table, then every enterprise on the list with where it stands — what a supervisor chases from a desk.
 */
export function roundProgressCsv(p: RoundProgress, enterprises: RoundEnterpriseRow[], now: Date): string {
  const c = p.round.counts;
  const rows: CsvCell[][] = [
    ['免申即享批次', p.round.name],
    ['事项', p.round.matterName],
    ['确认截止', beijingTime(new Date(p.round.deadline))],
    ['统计时间', beijingTime(now)],
    [],
    ['进度', '企业数', '金额（元）'],
    ['名单内', c.listed, yuan(c.listedFen)],
    ['已确认', c.confirmed, yuan(c.confirmedFen)],
    ['平台已受理', c.accepted, null],
    ['不予受理', c.refused, null],
    ['已拨付', c.paid, yuan(c.paidFen)],
    ['超期未拨付', c.overdue, null],
    ['超期拨付', c.paidLate, null],
    [],
    ['邮寄申领渠道', '件数'],
    ...claimChannels.map((ch) => [claimChannelLabels[ch], p.claims.byChannel[ch]]),
    ['合计（已收到）', p.claims.received],
    [],
    ['日期', '确认', '受理', '拨付', '拨付金额（元）'],
    ...p.days.map((d) => [d.date, d.confirmed, d.accepted, d.paid, yuan(d.paidFen)]),
    [],
    [
      '统一社会信用代码',
      '企业名称',
      '核定金额（元）',
      '状态',
      '确认时间',
      '办件编号',
      '受理时间',
      '拨付期限',
      '拨付日期',
      '拨付金额（元）',
    ],
    ...enterprises.map((e) => [
      e.creditCode,
      e.name,
      yuan(e.amountFen),
      enterpriseStanding(e, now),
      beijingTime(e.confirmedAt),
      e.caseNumber,
      beijingTime(e.acceptedAt),
      e.payBy ? beijingDate(e.payBy) : null,
      e.paidOn,
      yuan(e.paidFen),
    ]),
  ];
  return csvDocument(rows);
}
