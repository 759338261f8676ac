import QRCode from 'qrcode';
import { bagUrl, formatBagCode } from './codes';

/**
 * The printable label sheet of a batch: A4 pages (in millimetres) of 3 × 7 labels, each a QR of the bag's URL
 * (`<BAG_URL_BASE>/b/<code>`, error correction M) and the same code in text for typing by hand. One SVG, pages
 * stacked; the QR comes from the `qrcode` library as SVG and is placed as a nested <svg>.
 */
export const SHEET = { width: 210, height: 297, cols: 3, rows: 7, margin: 10, qr: 30 } as const;
const LABEL_W = (SHEET.width - 2 * SHEET.margin) / SHEET.cols;
const LABEL_H = (SHEET.height - 2 * SHEET.margin) / SHEET.rows;

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!,
  );

/** Where label `i` sits on the sheet (top-left corner, mm). */
export function labelOrigin(i: number): { x: number; y: number } {
  const perPage = SHEET.cols * SHEET.rows;
  const page = Math.floor(i / perPage);
  const onPage = i % perPage;
  return {
    x: SHEET.margin + (onPage % SHEET.cols) * LABEL_W,
    y: page * SHEET.height + SHEET.margin + Math.floor(onPage / SHEET.cols) * LABEL_H,
  };
}

export async function labelSheet(params: {
  codes: readonly string[];
  urlBase: string;
  validUntil: string;
}): Promise<string> {
  const { codes, urlBase, validUntil } = params;
  const pages = Math.max(1, Math.ceil(codes.length / (SHEET.cols * SHEET.rows)));
  const height = pages * SHEET.height;
  const labels = await Promise.all(
    codes.map(async (code, i) => {
      const { x, y } = labelOrigin(i);
      const qr = await QRCode.toString(bagUrl(urlBase, code), {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      const placed = qr
        .replace(/^<\?xml[^>]*>\s*/, '')
        .replace(
          '<svg ',
          `<svg x="${x + 2}" y="${y + (LABEL_H - SHEET.qr) / 2}" width="${SHEET.qr}" height="${SHEET.qr}" `,
        );
      const tx = x + SHEET.qr + 4;
      const ty = y + LABEL_H / 2;
      return [
        `<rect x="${x}" y="${y}" width="${LABEL_W}" height="${LABEL_H}" fill="none" stroke="#bbb" stroke-width="0.2" stroke-dasharray="1 1"/>`,
        placed.trim(),
        `<text x="${tx}" y="${ty - 8}" font-size="3.4" font-family="sans-serif">政邮通·替你跑</text>`,
        `<text x="${tx}" y="${ty}" font-size="3.2" font-family="monospace" font-weight="bold">${escapeXml(formatBagCode(code))}</text>`,
        `<text x="${tx}" y="${ty + 6}" font-size="2.6" font-family="sans-serif">扫码免费寄送补正材料</text>`,
        `<text x="${tx}" y="${ty + 10.5}" font-size="2.4" font-family="sans-serif">有效期至${escapeXml(validUntil)}</text>`,
      ].join('');
    }),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SHEET.width}mm" height="${height}mm" viewBox="0 0 ${SHEET.width} ${height}">`,
    `<rect width="${SHEET.width}" height="${height}" fill="#fff"/>`,
    ...labels,
    '</svg>',
  ].join('\n');
}
