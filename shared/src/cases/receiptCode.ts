/**
 * The code printed on a case's acceptance receipt (受理单) for result mailing (单程寄递): an ordinary URL the
 * WeChat camera opens, `<base>/r/<办件编号>/<查询码>`. The case number is the platform's PROJID; the query code
 * (查询码) is the six digits the window prints beside it, so only the receipt's holder can add the case.
 * One source for the format: the BFF prints it, the mini-program and the demo server read it.
 */

/** PROJID as platforms issue it: 10–32 letters and digits (ours: 20 digits). */
export const RECEIPT_CASE_NUMBER_PATTERN = '^[0-9A-Za-z]{10,32}$';
/** At most this many cases in one service centre's result-mailing list (the mini-program sends longer lists in parts). */
export const RESULT_MAILING_LIST_MAX = 500;
/** 查询码: six digits. */
export const RECEIPT_QUERY_CODE_PATTERN = '^[0-9]{6}$';

const caseNumberRe = new RegExp(RECEIPT_CASE_NUMBER_PATTERN);
const queryCodeRe = new RegExp(RECEIPT_QUERY_CODE_PATTERN);

export type ParsedReceiptCode = { ok: true; caseNumber: string; queryCode: string } | { ok: false };

/** The URL a receipt's QR holds. */
export const receiptUrl = (urlBase: string, caseNumber: string, queryCode: string) =>
  `${urlBase.replace(/\/+$/, '')}/r/${caseNumber}/${queryCode}`;

/** A typed case number: spaces and dashes dropped, letters upper-cased. */
export const normaliseCaseNumber = (input: string) => input.replace(/[\s-]/g, '').toUpperCase();

/** Checks a typed case number and query code; null when either is malformed. */
export function checkReceiptFields(caseNumber: string, queryCode: string): ParsedReceiptCode {
  const n = normaliseCaseNumber(caseNumber);
  const q = queryCode.replace(/\s/g, '');
  return caseNumberRe.test(n) && queryCodeRe.test(q)
    ? { ok: true, caseNumber: n, queryCode: q }
    : { ok: false };
}

/**
 * Reads what a camera scanned: the receipt URL (any base, possibly with a query or fragment), or its path
 * part `r/<n>/<q>`. Anything else is refused.
 */
export function parseReceiptCode(input: string): ParsedReceiptCode {
  const raw = input.trim();
  const at = raw.lastIndexOf('/r/');
  const path = at >= 0 ? raw.slice(at + 3) : raw.startsWith('r/') ? raw.slice(2) : undefined;
  if (path === undefined) return { ok: false };
  const [caseNumber, queryCode, ...rest] = (path.split(/[?#]/)[0] ?? '').split('/');
  if (caseNumber === undefined || queryCode === undefined || rest.some((p) => p !== '')) return { ok: false };
  return checkReceiptFields(decodeURIComponent(caseNumber), decodeURIComponent(queryCode));
}
