import { describe, expect, it } from 'vitest';
import { checkReceiptFields, parseReceiptCode, receiptUrl } from '../src/cases/receiptCode';

const N = '44011220261202000042';

describe('receipt code (受理单二维码)', () => {
  it('round-trips through the URL, whatever the base', () => {
    for (const base of [
      'https://zyt.example.gov.cn',
      'https://zyt.example.gov.cn/',
      'http://127.0.0.1:8080/app',
    ]) {
      const url = receiptUrl(base, N, '123456');
      expect(url).toMatch(/\/r\/44011220261202000042\/123456$/);
      expect(parseReceiptCode(url)).toEqual({ ok: true, caseNumber: N, queryCode: '123456' });
    }
  });

  it('reads a URL with a query or fragment, and the bare path', () => {
    expect(parseReceiptCode(`https://x.cn/r/${N}/123456?from=qr`)).toMatchObject({
      ok: true,
      queryCode: '123456',
    });
    expect(parseReceiptCode(`https://x.cn/r/${N}/123456/#top`)).toMatchObject({ ok: true });
    expect(parseReceiptCode(` r/${N}/000001 `)).toEqual({ ok: true, caseNumber: N, queryCode: '000001' });
  });

  it('refuses anything else', () => {
    for (const bad of [
      '',
      N,
      `https://x.cn/b/${N}/123456`,
      `https://x.cn/r/${N}`,
      `https://x.cn/r/${N}/12345`,
      `https://x.cn/r/${N}/1234567`,
      `https://x.cn/r/${N}/12a456`,
      `https://x.cn/r/short/123456`,
      `https://x.cn/r/${N}/123456/extra`,
      `https://x.cn/r/${N}!/123456`,
    ])
      expect(parseReceiptCode(bad), bad).toEqual({ ok: false });
  });

  it('normalises typed fields: spaces and dashes dropped, letters upper-cased', () => {
    expect(checkReceiptFields(' 4401-1220 2612 0200 0042 ', ' 123 456')).toEqual({
      ok: true,
      caseNumber: N,
      queryCode: '123456',
    });
    expect(checkReceiptFields('ab12cd34ef', '123456')).toMatchObject({ ok: true, caseNumber: 'AB12CD34EF' });
    expect(checkReceiptFields(N, '')).toEqual({ ok: false });
    expect(checkReceiptFields('123', '123456')).toEqual({ ok: false });
  });
});
