import {
  BAG_SUPPLEMENT_LABEL,
  beijingInstant,
  caseChannelLabels,
  caseChannels,
  FIGURES_MAX_DAYS,
  type FiguresQuery,
  type FiguresResponse,
  figureStageLabels,
  figureStages,
  type ShipmentLeg,
  shipmentLegLabels,
} from '@zyt/shared';
import { and, eq, sql } from 'drizzle-orm';
import { type DatabaseOrTransaction, rowsOf } from '../../db/client';
import { outlets } from '../../db/schema';
import { AppError } from '../../lib/errors';
import type { PiiCipher } from '../../lib/pii';
import { agentFigures } from '../staff/figures';

const DAY_MS = 86_400_000;

/** A period of Beijing dates, both ends included, as the instants [start, end). Refused when reversed or too long. */
export function figuresPeriod(from: string, to: string): { start: Date; end: Date } {
  const start = beijingInstant(from, '00:00');
  const end = new Date(beijingInstant(to, '00:00').getTime() + DAY_MS);
  if (end.getTime() <= start.getTime())
    throw new AppError(422, 'FIGURES_PERIOD_INVALID', undefined, [
      { field: 'from', message: '开始日期不能晚于结束日期' },
    ]);
  if ((end.getTime() - start.getTime()) / DAY_MS > FIGURES_MAX_DAYS)
    throw new AppError(422, 'FIGURES_PERIOD_TOO_LONG', undefined, [
      { field: 'to', message: `统计时段最长${FIGURES_MAX_DAYS}天` },
    ]);
  return { start, end };
}

/** The service centres figures can be asked for, in catalogue order. */
export async function figureCentres(db: DatabaseOrTransaction) {
  return db
    .select({ id: outlets.id, name: outlets.name })
    .from(outlets)
    .where(eq(outlets.kind, 'service_centre'))
    .orderBy(outlets.position, outlets.id);
}

async function centreOf(db: DatabaseOrTransaction, id: string) {
  const [centre] = await db
    .select({ id: outlets.id, name: outlets.name })
    .from(outlets)
    .where(and(eq(outlets.id, id), eq(outlets.kind, 'service_centre')));
  if (!centre) throw new AppError(404, 'CENTRE_NOT_FOUND');
  return centre;
}

// date_part answers double precision; extract(epoch …) computes in numeric, about twice as slow over 100,000 rows.
const seconds = (end: string, start: string) => sql.raw(`date_part('epoch', ${end} - ${start})`);
/** Each stage as the seconds between its two steps (null when either is missing). */
const stageSeconds: Record<(typeof figureStages)[number], ReturnType<typeof sql.raw>> = {
  booking_visit: seconds('b.arrived_at', 'b.created_at'),
  visit_submission: seconds('c.submitted_at', 'b.arrived_at'),
  submission_acceptance: seconds('c.accepted_at', 'c.submitted_at'),
  acceptance_completion: seconds('c.completed_at', 'c.accepted_at'),
  completion_delivery: seconds('r.delivered_at', 'c.completed_at'),
};

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);

/** The statements behind the figures of cases, bags and government-paid pieces (the bench EXPLAINs them too). */
export function figureStatements(p: { start: Date; end: Date; centreId?: string }) {
  const { start, end } = p;
  const ofCentre = p.centreId ? sql`and c.centre_id = ${p.centreId}` : sql``;
  const channelCounts = caseChannels.map(
    (ch) => sql`count(*) filter (where c.channel = ${ch})::int as ${sql.identifier(`ch_${ch}`)}`,
  );
  const stageColumns = figureStages.map((s) => {
    const x = stageSeconds[s];
    return sql`count(${x})::int as ${sql.identifier(`n_${s}`)},
      percentile_cont(0.5) within group (order by ${x}) as ${sql.identifier(`p50_${s}`)},
      percentile_cont(0.9) within group (order by ${x}) as ${sql.identifier(`p90_${s}`)}`;
  });
  return {
    cases: sql`
      select count(*)::int as applications, ${sql.join(channelCounts, sql`, `)}, ${sql.join(stageColumns, sql`, `)}
      from cases c
      left join bookings b on b.id = c.booking_id
      left join shipments r on r.id = c.result_shipment_id
      where c.created_at >= ${start} and c.created_at < ${end} ${ofCentre}`,
    bags: sql`
      select count(*)::int as n from bags g
      join supplements s on s.id = g.supplement_id
      join cases c on c.id = s.case_id
      where g.sent_at >= ${start} and g.sent_at < ${end} ${ofCentre}`,
    legs: sql`
      select i.leg, count(*)::int as pieces, coalesce(sum(i.amount_fen), 0)::int as fen
      from settlement_items i
      ${p.centreId ? sql`join cases c on c.id = i.case_id` : sql``}
      where i.payer = 'government' and i.created_at >= ${start} and i.created_at < ${end} ${ofCentre}
      group by i.leg order by i.leg`,
  };
}

/**
 * Supervisors' figures for a period (Beijing dates, both ends included) and optionally one service centre:
 * applications by the channel they came in by (cases opened in the period) and supplements sent by bag (替你跑);
 * government-paid EMS pieces (政府买单) and the postage residents did not pay; the median and 90th percentile of
 * each stage's time over the period's cases that reached both of its steps; per-agent visits, on-time share and
 * average rating. Four statements, each one scan of its period (see `pnpm bench stats`).
 */
export async function figures(
  db: DatabaseOrTransaction,
  pii: PiiCipher,
  query: FiguresQuery,
): Promise<FiguresResponse> {
  const { start, end } = figuresPeriod(query.from, query.to);
  const centre = query.centre ? await centreOf(db, query.centre) : null;

  const q = figureStatements({ start, end, centreId: centre?.id });
  // Independent statements: on PostgreSQL they run on separate pooled connections at once.
  const [[caseRow], [bagRow], legRows, agents] = await Promise.all([
    db.execute(q.cases).then(rowsOf<Record<string, number | null>>),
    db.execute(q.bags).then(rowsOf<{ n: number }>),
    db.execute(q.legs).then(rowsOf<{ leg: ShipmentLeg; pieces: number; fen: number }>),
    agentFigures(db, pii, { from: start, to: end, centreId: centre?.id, activeOnly: true }),
  ]);

  const r = caseRow ?? {};
  const num = (k: string) => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
  return {
    from: query.from,
    to: query.to,
    centre,
    applications: num('applications') ?? 0,
    channels: [
      ...caseChannels.map((ch) => ({
        channel: ch,
        label: caseChannelLabels[ch],
        count: num(`ch_${ch}`) ?? 0,
      })),
      { channel: 'bag_supplement', label: BAG_SUPPLEMENT_LABEL, count: bagRow?.n ?? 0 },
    ],
    freeMail: {
      pieces: legRows.reduce((a, l) => a + l.pieces, 0),
      postageFen: legRows.reduce((a, l) => a + l.fen, 0),
      legs: legRows.map((l) => ({ leg: l.leg, label: shipmentLegLabels[l.leg] ?? l.leg, pieces: l.pieces })),
    },
    stages: figureStages.map((s) => ({
      stage: s,
      label: figureStageLabels[s],
      cases: num(`n_${s}`) ?? 0,
      medianSeconds: round1(num(`p50_${s}`)),
      p90Seconds: round1(num(`p90_${s}`)),
    })),
    agents,
  };
}
