import {
  normaliseCaseNumber,
  RECEIPT_CASE_NUMBER_PATTERN,
  type StaffResultMailingsBody,
  validateMobile,
  validatePersonName,
} from '@zyt/shared';
import Papa from 'papaparse';

/**
 * A service centre's list of results to mail (单程寄递, 批量): rows copied from its spreadsheet (tab-separated)
 * or a CSV export, with a header row naming the columns. Each row is checked here as the BFF will, so a clerk
 * fixes the list before sending it, row by row.
 */
export type ResultListItem = StaffResultMailingsBody['items'][number];

export interface ResultListRow {
  /** 1-based line in what the clerk pasted (header is line 1), to find it in their spreadsheet. */
  line: number;
  item?: ResultListItem;
  problems: string[];
}

/** The columns, by the headers a centre's export uses (several spellings accepted). */
const columns = {
  caseNumber: ['办件编号', '办件号', '受理编号'],
  matterCode: ['事项编码', '事项代码'],
  name: ['收件人', '收件人姓名', '姓名'],
  phone: ['手机号', '联系电话', '电话', '手机号码'],
  province: ['省', '省份'],
  city: ['市', '城市'],
  county: ['区县', '区/县', '县区'],
  detail: ['详细地址', '地址'],
} as const;
type Column = keyof typeof columns;

export const RESULT_LIST_HEADER = Object.values(columns)
  .map((names) => names[0])
  .join('\t');

export type ParsedResultList = { ok: true; rows: ResultListRow[] } | { ok: false; message: string };

export function parseResultList(text: string): ParsedResultList {
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: 'greedy' });
  const [header, ...body] = parsed.data;
  if (!header || body.length === 0)
    return { ok: false, message: '请粘贴含表头的清单：第一行为列名，之后每行一件' };
  const at = {} as Record<Column, number>;
  const missing: string[] = [];
  for (const [column, names] of Object.entries(columns) as [Column, readonly string[]][]) {
    const index = header.findIndex((h) => names.includes(h.trim()));
    if (index < 0) missing.push(names[0]!);
    at[column] = index;
  }
  if (missing.length > 0) return { ok: false, message: `表头缺少列：${missing.join('、')}` };

  const seen = new Map<string, number>();
  const rows = body.map((cells, i): ResultListRow => {
    const line = i + 2;
    const cell = (c: Column) => (cells[at[c]] ?? '').trim();
    const problems: string[] = [];
    const caseNumber = normaliseCaseNumber(cell('caseNumber'));
    if (!new RegExp(RECEIPT_CASE_NUMBER_PATTERN).test(caseNumber))
      problems.push('办件编号应为10–32位字母或数字');
    else if (seen.has(caseNumber)) problems.push(`办件编号与第${seen.get(caseNumber)}行重复`);
    else seen.set(caseNumber, line);
    const matterCode = cell('matterCode');
    if (!matterCode || matterCode.length > 64) problems.push('缺少事项编码');
    const name = validatePersonName(cell('name'));
    if (!name.ok) problems.push(`收件人：${name.message}`);
    const phone = validateMobile(cell('phone'));
    if (!phone.ok) problems.push(`手机号：${phone.message}`);
    const address = {
      province: cell('province'),
      city: cell('city'),
      county: cell('county'),
      detail: cell('detail'),
    };
    if (!address.province || !address.city || !address.county) problems.push('省、市、区县都要填写');
    if (address.detail.length < 2) problems.push('详细地址太短');
    if (problems.length > 0 || !name.ok || !phone.ok) return { line, problems };
    return {
      line,
      problems,
      item: { caseNumber, matterCode, address, contact: { name: name.value, phone: phone.value } },
    };
  });
  return { ok: true, rows };
}
