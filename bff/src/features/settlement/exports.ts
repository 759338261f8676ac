import { PassThrough } from 'node:stream';
import { formatFen, mismatchKindLabels, settlementModeLabels } from '@zyt/shared';
import ExcelJS from 'exceljs';
import type { DatabaseOrTransaction } from '../../db/client';
import type { SettlementContract } from '../../db/schema';
import { formatEmsTime } from '../../integrations/ems/time';
import type { Centre } from './contracts';
import { monthLabel } from './months';
import { findReconciliation, mismatchDetail } from './reconcile';
import { allStatementLegs, lineOf, statementTotals } from './statements';

export type ExportFormat = 'csv' | 'xlsx';

export const exportContentType: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** attachment with a Chinese name (RFC 6266 filename*) and an ASCII one for old clients. */
export function exportDisposition(centre: Centre, month: string, format: ExportFormat): string {
  const ascii = `statement-${centre.id.replace(/[^\w-]/g, '_')}-${month}.${format}`;
  const name = `政府买单对账单-${centre.name}-${month}.${format}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const STATEMENT_HEADER = [
  '序号',
  '运单号',
  '寄递类型',
  '下单时间（北京时间）',
  '重量（克）',
  '金额（元）',
];

interface Params {
  centre: Centre;
  month: string;
  contract: SettlementContract;
}

/**
 * The statement as rows: one per leg, then a subtotal per leg kind and the total. Amounts in yuan (numbers, two
 * decimals); under a lump sum the legs carry no amount and the total is the month's amount.
 */
async function* statementRows(
  db: DatabaseOrTransaction,
  p: Params,
): AsyncGenerator<(string | number | null)[]> {
  let n = 0;
  for await (const page of allStatementLegs(db, { centreId: p.centre.id, month: p.month })) {
    for (const leg of page) {
      const line = lineOf(p.contract, leg);
      yield [
        ++n,
        line.waybillNo,
        line.legLabel,
        formatEmsTime(leg.orderedAt),
        line.weightGrams,
        line.amountFen === null ? null : line.amountFen / 100,
      ];
    }
  }
  const totals = await statementTotals(db, { centreId: p.centre.id, month: p.month, contract: p.contract });
  for (const l of totals.byLeg)
    yield ['小计', null, l.legLabel, null, `${l.pieces} 件`, l.amountFen === null ? null : l.amountFen / 100];
  yield [
    '合计',
    null,
    settlementModeLabels[p.contract.mode],
    null,
    `${totals.pieces} 件`,
    totals.totalFen / 100,
  ];
}

/** CSV (UTF-8 with BOM so Excel reads the Chinese): the table and its totals. */
export function statementCsv(db: DatabaseOrTransaction, p: Params): PassThrough {
  const out = new PassThrough();
  void (async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('对账单');
    sheet.addRow(STATEMENT_HEADER);
    for await (const row of statementRows(db, p))
      sheet.addRow(
        row.map((v, i) => (i === 5 && typeof v === 'number' ? formatFen(Math.round(v * 100)) : v)),
      );
    await workbook.csv.write(out, { formatterOptions: { writeBOM: true } });
  })().catch((err: Error) => out.destroy(err));
  return out;
}

/**
 * XLSX, written as it is read (exceljs's streaming writer): the 对账单 sheet (title, contract, table, totals)
 * and, once the month is reconciled, the 对账差异 sheet.
 */
export function statementXlsx(db: DatabaseOrTransaction, p: Params): PassThrough {
  const out = new PassThrough();
  void (async () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    workbook.creator = '政邮通';
    const sheet = workbook.addWorksheet('对账单');
    sheet.columns = [{ width: 8 }, { width: 18 }, { width: 26 }, { width: 22 }, { width: 12 }, { width: 12 }];
    sheet.addRow([`${p.centre.name} ${monthLabel(p.month)}政府买单寄递对账单`]).commit();
    const terms =
      p.contract.mode === 'per_piece'
        ? `计件结算：材料 ¥${formatFen(p.contract.pricesFen?.materials_to_centre ?? 0)}、补正 ¥${formatFen(p.contract.pricesFen?.supplement_to_centre ?? 0)}、结果 ¥${formatFen(p.contract.pricesFen?.result_to_applicant ?? 0)} 每件`
        : `包干结算：每月 ¥${formatFen(p.contract.monthlyFen ?? 0)}`;
    sheet.addRow([terms]).commit();
    sheet.addRow([]).commit();
    const header = sheet.addRow(STATEMENT_HEADER);
    header.font = { bold: true };
    header.commit();
    for await (const values of statementRows(db, p)) {
      const row = sheet.addRow(values);
      row.getCell(2).numFmt = '@';
      row.getCell(6).numFmt = '0.00';
      if (typeof values[0] === 'string') row.font = { bold: true };
      row.commit();
    }
    sheet.commit();

    const done = await findReconciliation(db, { centreId: p.centre.id, month: p.month });
    if (done?.status === 'done') {
      const diff = workbook.addWorksheet('对账差异');
      diff.columns = [{ width: 24 }, { width: 18 }, { width: 40 }];
      diff.addRow(['差异类型', '运单号', '说明']).commit();
      for (const m of done.mismatches)
        diff.addRow([mismatchKindLabels[m.kind], m.waybillNo, mismatchDetail(m)]).commit();
      diff.commit();
    }
    await workbook.commit();
  })().catch((err: Error) => out.destroy(err));
  return out;
}
