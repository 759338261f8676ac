import { type FiguresResponse, hoursOf, yuanOf } from '@zyt/shared';

/** One CSV field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused (formula injection). */
function field(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
export type CsvCell = string | number | null;
const line = (cells: CsvCell[]) => cells.map(field).join(',');

/** Rows as a CSV document: UTF-8 with a BOM (spreadsheet programs then read the Chinese), CRLF line ends. */
export const csvDocument = (rows: CsvCell[][]) => `\uFEFF${rows.map(line).join('\r\n')}\r\n`;
const share = (n: number | null) => (n === null ? null : `${(n * 100).toFixed(1)}%`);

/**
 * The figures table as CSV (UTF-8 with a BOM, so spreadsheet programs read the Chinese): the same rows the
 * figures page shows beside its charts, one section after another.
 */
export function figuresCsv(f: FiguresResponse): string {
  const rows: CsvCell[][] = [
    ['统计时段', `${f.from} 至 ${f.to}`],
    ['政务服务中心', f.centre?.name ?? '全部'],
    [],
    ['受理渠道', '件数'],
    ...f.channels.map((c) => [c.label, c.count]),
    ['合计（办件）', f.applications],
    [],
    ['免费寄递', '件数'],
    ...f.freeMail.legs.map((l) => [l.label, l.pieces]),
    ['合计', f.freeMail.pieces],
    ['群众免付邮费（元）', yuanOf(f.freeMail.postageFen)],
    [],
    ['环节', '办件数', '中位数（小时）', '90分位（小时）'],
    ...f.stages.map((s) => [s.label, s.cases, hoursOf(s.medianSeconds), hoursOf(s.p90Seconds)]),
    [],
    ['政邮专员', '工号', '接单', '到达', '准时', '准时率', '评价数', '平均评分'],
    ...f.agents.map((a) => [
      a.name ?? '',
      a.staffNo,
      a.visits,
      a.arrived,
      a.onTime,
      share(a.onTimeShare),
      a.ratings,
      a.averageRating,
    ]),
  ];
  return csvDocument(rows);
}
