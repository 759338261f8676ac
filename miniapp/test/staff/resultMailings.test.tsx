import { fireEvent, render, screen } from '@testing-library/react';
import type { StaffResultMailingsBody } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import ResultMailingsPage from '@/staff/pages/result-mailings';
import { parseResultList, RESULT_LIST_HEADER } from '@/staff/resultList';
import { apiError, fakeBff, tokens, user } from '../fakeBff';
import { typeInto } from '../typeInto';

const row = (n: number, name = '张三', phone = '13800138000', detail = `科学大道${n}号`) =>
  [`4401122026120100000${n}`, '440112-RESIDENCE-01', name, phone, '广东省', '广州市', '黄埔区', detail].join(
    '\t',
  );

describe('parseResultList', () => {
  it('reads a pasted spreadsheet by its header, in any column order, with CSV too', () => {
    const parsed = parseResultList(
      `${RESULT_LIST_HEADER}\n${row(1)}\n${row(2, '李四', '+86 139-0013-9000')}`,
    );
    expect(parsed.ok && parsed.rows.map((r) => r.item)).toEqual([
      {
        caseNumber: '44011220261201000001',
        matterCode: '440112-RESIDENCE-01',
        address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '科学大道1号' },
        contact: { name: '张三', phone: '13800138000' },
      },
      expect.objectContaining({ contact: { name: '李四', phone: '13900139000' } }),
    ]);
    const csv = parseResultList(
      '详细地址,收件人,手机号,办件编号,事项编码,省,市,区县\n"开创大道1号,A座",王五,13700137000,44011220261201000009,M1,广东省,广州市,黄埔区',
    );
    expect(csv.ok && csv.rows[0]!.item?.address.detail).toBe('开创大道1号,A座');
  });

  it('names each bad row by its line, and a list without its columns', () => {
    const parsed = parseResultList(
      `${RESULT_LIST_HEADER}\n${row(1)}\n${row(1)}\n${row(3, 'Tom', '12345')}\n${row(4, '赵六', '13800138000', '')}`,
    );
    expect(parsed.ok && parsed.rows.map((r) => [r.line, r.problems])).toEqual([
      [2, []],
      [3, ['办件编号与第2行重复']],
      [4, ['收件人：姓名只能包含汉字和间隔号“·”', '手机号：请输入11位手机号码']],
      [5, ['详细地址太短']],
    ]);
    expect(parseResultList('办件编号\t收件人\n44011220261201000001\t张三')).toEqual({
      ok: false,
      message: '表头缺少列：事项编码、手机号、省、市、区县、详细地址',
    });
    expect(parseResultList(RESULT_LIST_HEADER).ok).toBe(false);
  });
});

describe('批量寄递结果 page', () => {
  beforeEach(() => saveTokens(tokens(1, user({ roles: ['resident', 'centre_clerk'] }))));

  it('checks the list, sends it, and says what was ordered and merged', async () => {
    const log = fakeBff((req) => {
      const { items } = req.body as StaffResultMailingsBody;
      return {
        status: 200,
        data: {
          items: items.map((i, n) => ({
            caseNumber: i.caseNumber,
            outcome: n === 2 ? 'already_ordered' : 'ordered',
            parcelId: 'p1',
          })),
          ordered: 2,
          parcels: 1,
        },
      };
    });
    render(<ResultMailingsPage />);
    await typeInto('#result-list', `${RESULT_LIST_HEADER}\n${row(1)}\n${row(2, 'Tom')}`);
    fireEvent.click(document.querySelector('#result-list-check')!);
    expect(await screen.findByText('共 2 件，1 行需修改')).toBeTruthy();
    expect(screen.getByText('请先修改清单')).toBeTruthy();

    await typeInto('#result-list', `${RESULT_LIST_HEADER}\n${row(1)}\n${row(2)}\n${row(3)}`);
    fireEvent.click(document.querySelector('#result-list-check')!);
    fireEvent.click(await screen.findByText('下单寄递（3 件）'));
    expect(await screen.findByText('已下单 2 件，合并为 1 个邮件')).toBeTruthy();
    expect(screen.getByText('1 件此前已下单，未重复下单')).toBeTruthy();
    expect(log.map((r) => [r.method, r.path, (r.body as StaffResultMailingsBody).items.length])).toEqual([
      ['POST', '/api/v1/staff/result-mailings', 3],
    ]);
  });

  it("shows the BFF's refusal on the clerk's own line numbers", async () => {
    fakeBff(() =>
      apiError(422, 'RESULT_MAILING_LIST_INVALID', '清单中有不能寄递的办件', [
        { field: 'items.1.matterCode', message: '事项 440112-RESIDENCE-01 不存在' },
      ]),
    );
    render(<ResultMailingsPage />);
    await typeInto('#result-list', `${RESULT_LIST_HEADER}\n${row(1)}\n${row(2)}`);
    fireEvent.click(document.querySelector('#result-list-check')!);
    fireEvent.click(await screen.findByText('下单寄递（2 件）'));
    expect(await screen.findByText('第3行：事项 440112-RESIDENCE-01 不存在')).toBeTruthy();
  });

  it('is for centre clerks only', async () => {
    saveTokens(tokens(1, user({ roles: ['resident'] })));
    render(<ResultMailingsPage />);
    expect(await screen.findByText(/批量寄递办理结果仅对/)).toBeTruthy();
  });
});
