import { BEIJING_OFFSET_MS, beijingDate, receiptUrl } from '@zyt/shared';
import QRCode from 'qrcode';

const beijingMinute = (d: Date) =>
  new Date(d.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!,
  );

/**
 * 受理单: the acceptance receipt printed at the window (A5 portrait, millimetres). It names the case number and
 * the query code in text and holds the result-mailing QR (`<base>/r/<办件编号>/<查询码>`, the shared receiptUrl),
 * which the WeChat camera opens to order the result by post (单程寄递). No personal data beyond the masked name.
 */
export async function receiptSvg(params: {
  urlBase: string;
  caseNumber: string;
  queryCode: string;
  matterName: string;
  outletName: string;
  applicantName: string;
  collectedAt: Date;
  promisedWorkingDays: number;
  materials: { name: string; copies: number }[];
}): Promise<{ svg: string; url: string }> {
  const url = receiptUrl(params.urlBase, params.caseNumber, params.queryCode);
  const qr = (await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }))
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace('<svg ', '<svg x="94" y="150" width="40" height="40" ')
    .trim();
  const line = (y: number, text: string, size = 4, weight = 'normal') =>
    `<text x="12" y="${y}" font-size="${size}" font-family="sans-serif" font-weight="${weight}">${escapeXml(text)}</text>`;
  const materials = params.materials
    .slice(0, 10)
    .map((m, k) => line(96 + k * 5.5, `${k + 1}. ${m.name} ×${m.copies}`, 3.4));
  const svg = [
    '<svg xmlns="http://www.w3.org/2000/svg" width="148mm" height="210mm" viewBox="0 0 148 210">',
    '<rect width="148" height="210" fill="#fff"/>',
    `<text x="74" y="20" text-anchor="middle" font-size="7" font-family="sans-serif" font-weight="bold">受理单</text>`,
    `<text x="74" y="28" text-anchor="middle" font-size="3.6" font-family="sans-serif">${escapeXml(params.outletName)} · 政务服务专窗</text>`,
    line(42, `办件编号：${params.caseNumber}`, 4.2, 'bold'),
    line(50, `查询码：${params.queryCode}`, 4.2, 'bold'),
    line(58, `事项：${params.matterName}`),
    line(66, `申请人：${params.applicantName}`),
    line(74, `收件时间：${beijingMinute(params.collectedAt)}`),
    line(82, `承诺时限：受理后${params.promisedWorkingDays}个工作日`),
    line(90, '已收取材料：', 3.6, 'bold'),
    ...materials,
    qr,
    line(160, '扫码或在“政邮通”小程序输入', 3.4),
    line(166, '办件编号和查询码，', 3.4),
    line(172, '办结后证照由EMS免费寄到家。', 3.4),
    line(200, `打印日期：${beijingDate(new Date())}`, 3),
    '</svg>',
  ].join('\n');
  return { svg, url };
}
