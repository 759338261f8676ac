import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { BagBatch } from '@zyt/shared';
import { describe, expect, it, vi } from 'vitest';
import { saveTokens } from '@/api/session';
import BagBind from '@/staff/pages/bag-bind';
import BagReceive from '@/staff/pages/bag-receive';
import BagBatches from '@/staff/pages/bags';
import Workbench from '@/staff/pages/index';
import Supervision from '@/staff/pages/supervision';
import VisitPage from '@/staff/pages/visit';
import { CODE, staffBag, supplement } from '../bag/fixtures';
import { visit } from '../booking/fixtures';
import { breaches } from '../cases/fixtures';
import { apiError, fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';

const centre = () => saveTokens(tokens(1, user({ roles: ['resident', 'centre_clerk'] })));
const field = (id: string) => document.querySelector(`#${id} input, input#${id}`) as HTMLInputElement;
const type = (id: string, value: string) => fireEvent.input(field(id), { target: { value } });
/** The clerk types the code under the QR (a desk without a scanner). */
const enterCode = async (code = CODE) => {
  await screen.findByText('查询');
  type('bag-code', code.toLowerCase());
  fireEvent.click(screen.getByText('查询'));
};

const batch: BagBatch = {
  id: '5d6c3b2a-1111-4000-8000-000000000001',
  count: 50,
  validUntil: '2027-05-31',
  note: '黄埔区政务服务中心窗口',
  createdAt: '2026-12-01T02:00:00.000Z',
  states: { issued: 47, bound: 1, sent: 1, received: 1 },
  labelsUrl: '/api/v1/staff/bag-batches/5d6c3b2a-1111-4000-8000-000000000001/labels.svg',
};

describe('工作台 for the centre clerk', () => {
  it('shows the bag entries, not the agents’ visit queue', async () => {
    centre();
    const log = fakeBff(() => ({ status: 404 }));
    render(<Workbench />);
    expect(screen.getByText('扫码收件')).toBeTruthy();
    expect(screen.getByText('绑定快递袋')).toBeTruthy();
    expect(screen.getByText('管理批次')).toBeTruthy();
    expect(screen.queryByText('上门任务仅对政邮专员开放')).toBeNull();
    fireEvent.click(screen.getByText('扫码收件'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/staff/pages/bag-receive/index' });
    expect(log).toEqual([]);
  });

  it('gives supervisors the batches entry only', () => {
    saveTokens(tokens(1, user({ roles: ['supervisor'] })));
    fakeBff(() => ({ status: 404 }));
    render(<Workbench />);
    expect(screen.getByText('管理批次')).toBeTruthy();
    expect(screen.queryByText('扫码收件')).toBeNull();
  });
});

describe('快递袋批次与标签', () => {
  it('creates a batch (count, valid until) and downloads its label sheet with the staff token', async () => {
    centre();
    let batches: BagBatch[] = [];
    const log = fakeBff((req) => {
      if (req.method === 'GET' && req.path === '/api/v1/staff/bag-batches')
        return { status: 200, data: { items: batches } };
      if (req.method === 'POST' && req.path === '/api/v1/staff/bag-batches') {
        batches = [batch];
        return { status: 201, data: { ...batch, codes: [CODE] } };
      }
      if (req.path === batch.labelsUrl)
        return { status: 200, data: '<svg xmlns="http://www.w3.org/2000/svg"/>' };
      return { status: 404 };
    });
    const createObjectURL = vi.fn(() => 'blob:labels');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    render(<BagBatches />);
    await screen.findByText('还没有快递袋批次');

    type('batch-count', '0');
    fireEvent.click(screen.getByText('生成袋码'));
    await screen.findByText('请输入1到1000之间的整数');
    type('batch-count', '50');
    type('batch-note', '黄埔区政务服务中心窗口');
    fireEvent.click(screen.getByText('生成袋码'));
    await screen.findByText('50 个快递袋 · 有效期至 2027-05-31');
    const create = log.find((r) => r.method === 'POST')!;
    expect(create.body).toMatchObject({ count: 50, note: '黄埔区政务服务中心窗口' });
    expect((create.body as { validUntil: string }).validUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(screen.getByText('未绑定 47 · 已绑定 1 · 寄送中 1 · 已收件 1')).toBeTruthy();

    fireEvent.click(screen.getByText('下载标签（A4，可打印）'));
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
    const sheet = log.find((r) => r.path === batch.labelsUrl)!;
    expect(sheet.token).toBe('access-1');
  });

  it('is refused to residents with the role it needs', () => {
    saveTokens(tokens(1, user()));
    fakeBff(() => ({ status: 404 }));
    render(<BagBatches />);
    expect(screen.getByText('管理快递袋批次仅对政务中心收件或监管/运营人员开放')).toBeTruthy();
  });
});

describe('窗口发袋', () => {
  it('binds a scanned bag to a case number and shows what it carries (applicant masked)', async () => {
    centre();
    const log = fakeBff((req) =>
      req.path === `/api/v1/staff/bags/${CODE}/bind`
        ? { status: 200, data: staffBag({ state: 'bound', shipment: null }) }
        : { status: 404 },
    );
    render(<BagBind />);
    vi.mocked(Taro.scanCode).mockResolvedValueOnce({
      result: `https://zyt.example.gov.cn/b/${CODE}`,
    } as never);
    fireEvent.click(screen.getByText('扫码'));
    await screen.findByText(`快递袋 ${CODE}`);
    type('bind-caseNumber', '44011200000000012345');
    fireEvent.click(screen.getByText('绑定并发袋'));
    await screen.findByText('已绑定，可交给申请人');
    expect(log[0]!.body).toEqual({ caseNumber: '44011200000000012345' });
    expect(screen.getByText('张*')).toBeTruthy();
  });

  it('says why a case cannot get a bag', async () => {
    centre();
    fakeBff(() => apiError(409, 'SUPPLEMENT_NOT_NEEDED', '该办件目前不需要补交材料，无需寄送'));
    render(<BagBind />);
    await enterCode();
    type('bind-caseNumber', '44011200000000012345');
    fireEvent.click(screen.getByText('绑定并发袋'));
    await screen.findByText('该办件目前不需要补交材料，无需寄送');
  });
});

describe('快递袋收件', () => {
  it('every item must be checked; a complete bag is confirmed and the case resumes', async () => {
    centre();
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/staff/bags/${CODE}`) return { status: 200, data: staffBag() };
      if (req.path === `/api/v1/staff/bags/${CODE}/receive`)
        return {
          status: 200,
          data: staffBag({
            state: 'received',
            receipt: { at: '2026-12-03T02:00:00.000Z', complete: true, missing: [] },
          }),
        };
      return { status: 404 };
    });
    render(<BagReceive />);
    await enterCode();
    await screen.findByText('逐项核对袋内材料');
    expect(screen.getByText('还有 2 项未核对')).toBeTruthy();
    for (const row of document.querySelectorAll('.review-item'))
      fireEvent.click(row.querySelector('[role=radio]')!);
    await screen.findByText('材料齐全，提交后推送政务服务平台，办件继续办理');
    fireEvent.click(screen.getByText('确认收件'));
    await screen.findByText('已确认收件，材料齐全');
    expect(log.find((r) => r.method === 'POST')!.body).toEqual({
      items: [
        { id: 'm1', present: true },
        { id: 'm2', present: true },
      ],
    });
  });

  it('an incomplete bag: the one new complete list told to the applicant', async () => {
    centre();
    const missing = [supplement().items[1]!];
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/staff/bags/${CODE}`) return { status: 200, data: staffBag() };
      return {
        status: 200,
        data: staffBag({
          state: 'received',
          receipt: { at: '2026-12-03T02:00:00.000Z', complete: false, missing },
        }),
      };
    });
    render(<BagReceive />);
    await enterCode();
    await screen.findByText('逐项核对袋内材料');
    const rows = document.querySelectorAll('.review-item');
    fireEvent.click(rows[0]!.querySelectorAll('[role=radio]')[0]!);
    fireEvent.click(rows[1]!.querySelectorAll('[role=radio]')[1]!);
    await screen.findByText('提交后将一次性告知申请人仍缺少 1 项材料');
    fireEvent.click(screen.getByText('确认收件'));
    await screen.findByText('已收件，材料仍不齐');
    expect(screen.getByText('已一次性告知申请人仍缺少的全部 1 项材料：')).toBeTruthy();
    expect(log.find((r) => r.method === 'POST')!.body).toEqual({
      items: [
        { id: 'm1', present: true },
        { id: 'm2', present: false },
      ],
    });
  });

  it('a bag not sent yet cannot be received', async () => {
    centre();
    fakeBff(() => ({ status: 200, data: staffBag({ state: 'bound', shipment: null }) }));
    render(<BagReceive />);
    await enterCode();
    await screen.findByText(/这个快递袋还没有寄出，不能登记收件/);
    expect(screen.queryByText('确认收件')).toBeNull();
  });

  it('an unknown code: the server’s message, and the way to the next bag', async () => {
    centre();
    fakeBff(() => apiError(404, 'BAG_NOT_FOUND', '没有找到这个快递袋，请核对袋码'));
    render(<BagReceive />);
    await enterCode();
    await screen.findByText('没有找到这个快递袋，请核对袋码');
    fireEvent.click(screen.getByText('换一个快递袋'));
    await screen.findByText('扫描寄到的快递袋');
  });
});

describe('容缺受理 at the door: collect what is complete, leave a bag for the rest', () => {
  const choose = (materialId: string, answer: '有' | '无') =>
    fireEvent.click(
      [...document.querySelector(`#review-${materialId}`)!.querySelectorAll('[role="radio"]')].find(
        (el) => el.textContent === answer,
      )!,
    );
  const serve = (tolerant: boolean) => {
    const reviewing = visit({ tolerantAcceptance: tolerant });
    return fakeBff((req) => {
      if (req.path === `/api/v1/staff/visits/${reviewing.id}`) return { status: 200, data: reviewing };
      if (req.path.endsWith('/photos')) return { status: 200, data: { items: [] } };
      if (req.method === 'POST' && req.path.endsWith('/review'))
        return { status: 200, data: visit({ status: 'collected', statusLabel: '材料已收取' }) };
      return { status: 404 };
    });
  };
  const reviewWithOneMissing = async () => {
    saveTokens(tokens(1, user({ roles: ['resident', 'postal_agent'] })));
    setRouterParams({ id: visit().id });
    render(<VisitPage />);
    await screen.findByText('初审：逐项核对材料');
    choose('m-id', '有');
    choose('m-proof', '无');
    choose('m-proxy', '无');
  };

  it('the agent scans a bag; the review carries it and the visit is collected', async () => {
    const log = serve(true);
    await reviewWithOneMissing();
    await screen.findByText('容缺受理：先收件，缺少的用快递袋补寄');
    await enterCode();
    await screen.findByText(`容缺受理：留下快递袋 ${CODE}`);
    expect(screen.getByText('提交后收取齐全的材料，缺少的 1 项由快递袋补寄')).toBeTruthy();
    fireEvent.click(screen.getByText('提交初审结果'));
    await screen.findByText('容缺受理，已收件');
    expect(screen.getByText(`缺少的材料由居民装入快递袋 ${CODE} 补寄。`)).toBeTruthy();
    expect(log.find((r) => r.method === 'POST')!.body).toMatchObject({ tolerate: { bagCode: CODE } });
  });

  it('without a bag, or for a matter that does not allow it, the review ends as 材料不齐 (no bag sent)', async () => {
    const log = serve(false);
    await reviewWithOneMissing();
    await screen.findByText('提交后将告知居民缺少 1 项材料，本次不收件');
    expect(screen.queryByText('容缺受理：先收件，缺少的用快递袋补寄')).toBeNull();
    fireEvent.click(screen.getByText('提交初审结果'));
    await waitFor(() => expect(log.some((r) => r.method === 'POST')).toBe(true));
    expect(log.find((r) => r.method === 'POST')!.body).not.toHaveProperty('tolerate');
  });
});

describe('替你跑 figures for supervisors', () => {
  it('shows uses, bags by state, receipts and deadlines missed on 时效监管', async () => {
    saveTokens(tokens(1, user({ roles: ['supervisor'] })));
    fakeBff((req) => {
      if (req.path === '/api/v1/supervision/bag-stats')
        return {
          status: 200,
          data: {
            uses: 42,
            bags: { issued: 500, bound: 3, sent: 2, received: 40 },
            receivedComplete: 38,
            receivedIncomplete: 2,
            deadlinesMissed: 1,
          },
        };
      if (req.path === '/api/v1/supervision/breaches') return { status: 200, data: breaches };
      return { status: 404 };
    });
    render(<Supervision />);
    await screen.findByText('42 袋');
    const card = document.querySelector('#bag-stats')!.textContent;
    expect(card).toContain('未绑定 500 · 已绑定 3 · 寄送中 2 · 已收件 40');
    expect(card).toContain('38 袋');
    expect(card).toContain('补正逾期未寄1 件');
  });
});
