import Taro from '@tarojs/taro';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { BundleTimeline, RebookDraft, VisitView } from '@zyt/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveTokens } from '@/api/session';
import BookingEntry from '@/booking/pages/index';
import BundleProgressPage from '@/cases/pages/bundle';
import VisitPage from '@/staff/pages/visit';
import { visit } from '../booking/fixtures';
import { fakeBff, tokens, user } from '../fakeBff';
import { setRouterParams } from '../taro-mock';
import { birthBundle, birthTimeline, bundleBookingId } from './fixtures';

/** 一件事一次办 when the door found materials missing (issue 15). */
const incomplete = (): BundleTimeline => ({
  ...birthTimeline(),
  events: [
    { at: '2026-12-02T02:00:00.000Z', title: '已预约', detail: '一件事：新生儿在本区落户' },
    { at: '2026-12-02T03:00:00.000Z', title: '材料不齐', detail: '缺少1项材料' },
  ],
  items: [],
  parcels: [],
  waiting: [
    {
      matter: { code: 'M-HUKOU', name: '出生登记' },
      materials: ['居民户口簿'],
      note: '材料不齐：补齐后可重新预约上门，或用快递袋把材料寄到政务服务中心',
    },
    {
      matter: { code: 'M-CARD', name: '社会保障卡申领（首次）' },
      materials: ['居民户口簿'],
      note: '材料不齐：补齐后可重新预约上门，或用快递袋把材料寄到政务服务中心',
    },
  ],
});

const lines = (selector: string) =>
  [...document.querySelectorAll(`${selector} .material`)].map((el) =>
    el.textContent?.replace(/\s+/g, ' ').trim(),
  );

describe('一件事 progress when materials are missing', () => {
  it('after 材料不齐: which matter waits on what, and booking the same bundle again', async () => {
    fakeBff((req) =>
      req.path === `/api/v1/bookings/${bundleBookingId}/bundle`
        ? { status: 200, data: incomplete() }
        : { status: 404 },
    );
    setRouterParams({ id: bundleBookingId });
    render(<BundleProgressPage />);
    await screen.findByText('待补材料');
    expect(screen.getByText(/上门核对时材料不齐，各事项尚未提交/)).toBeTruthy();
    expect(screen.queryByText('各事项进度')).toBeNull();
    expect(lines('#bundle-waiting')).toEqual([
      '出生登记：居民户口簿材料不齐：补齐后可重新预约上门，或用快递袋把材料寄到政务服务中心',
      '社会保障卡申领（首次）：居民户口簿材料不齐：补齐后可重新预约上门，或用快递袋把材料寄到政务服务中心',
    ]);
    fireEvent.click(screen.getByText('重新预约上门'));
    expect(Taro.navigateTo).toHaveBeenLastCalledWith({
      url: `/booking/pages/index/index?matterCode=YJS-CSYJS-440112&from=${bundleBookingId}`,
    });
  });

  it('under 容缺受理: the matter waiting says so beside its progress', async () => {
    const view = birthTimeline();
    view.items[1] = {
      ...view.items[1]!,
      status: 'awaiting_materials',
      statusLabel: '补齐材料寄送中',
      waitingForMaterials: ['父或母一方的居民户口簿'],
    };
    view.waiting = [
      {
        matter: { code: 'M-HUKOU', name: '出生登记' },
        materials: ['父或母一方的居民户口簿'],
        note: '等所缺材料寄到政务服务中心后提交办理',
      },
    ];
    fakeBff((req) =>
      req.path === `/api/v1/bookings/${bundleBookingId}/bundle`
        ? { status: 200, data: view }
        : { status: 404 },
    );
    setRouterParams({ id: bundleBookingId });
    render(<BundleProgressPage />);
    await screen.findByText('各事项进度');
    expect(screen.getByText('待补材料：父或母一方的居民户口簿')).toBeTruthy();
    expect(lines('#bundle-waiting')).toEqual([
      '出生登记：父或母一方的居民户口簿等所缺材料寄到政务服务中心后提交办理',
    ]);
    expect(screen.queryByText('重新预约上门')).toBeNull();
  });
});

describe('booking a bundle again', () => {
  beforeEach(() => {
    saveTokens(
      tokens(
        1,
        user({
          identity: { name: '张*', idNumber: '110***********002X', verifiedAt: '2026-11-02T02:00:00Z' },
        }),
      ),
    );
  });

  it('starts from the same bundle, situation and form, and books it as that bundle', async () => {
    const guide = birthBundle();
    const draft: RebookDraft = {
      matterCode: guide.code,
      address: { province: '广东省', city: '广州市', county: '黄埔区', detail: '大沙地东路1号3栋502' },
      contact: { name: '张三', phone: '13800138000' },
      entrust: null,
      missingItems: [{ materialId: 'b-02', name: '居民户口簿', reason: '未提供' }],
      bundle: {
        code: guide.code,
        name: guide.name,
        situation: { id: 'settle_here', name: '新生儿在本区落户' },
        form: { babyName: '李小满', birthDate: '2026-11-28', hukouAddress: '广州市黄埔区大沙地东路1号' },
      },
    };
    const log = fakeBff((req) => {
      if (req.path === `/api/v1/bookings/${bundleBookingId}/rebook`) return { status: 200, data: draft };
      if (req.path === `/api/v1/bundles/${guide.code}`) return { status: 200, data: guide };
      if (req.method === 'POST' && req.path === '/api/v1/bookings')
        return { status: 201, data: { id: 'new-booking', number: '261202000043' } };
      return { status: 404 };
    });
    setRouterParams({ from: bundleBookingId, matterCode: guide.code });
    render(<BookingEntry />);
    await screen.findByText('申请表（各事项共用，只填一次）');
    const value = (id: string) =>
      (document.querySelector(`#bundle-${id} input, input#bundle-${id}`) as HTMLInputElement).value;
    expect(value('babyName')).toBe('李小满');
    expect(value('hukouAddress')).toBe('广州市黄埔区大沙地东路1号');
    expect(document.querySelector('#rebook-missing')?.textContent).toContain('居民户口簿');

    fireEvent.click(screen.getByText('下一步：确认信息'));
    fireEvent.click(await screen.findByText('确认预约'));
    await waitFor(() => expect(log.filter((r) => r.method === 'POST')).toHaveLength(1));
    expect(log.find((r) => r.method === 'POST')!.body).toMatchObject({
      matterCode: guide.code,
      address: { county: '黄埔区', detail: '大沙地东路1号3栋502' },
      contact: { name: '张三', phone: '13800138000' },
      bundle: { situation: 'settle_here', form: draft.bundle!.form },
    });
  });
});

describe('the agent at a bundle door', () => {
  beforeEach(() => {
    saveTokens(tokens(1, user({ roles: ['resident', 'postal_agent'] })));
  });

  it('sees which matters ask for each line and which allow 容缺受理; a bag only where one does', async () => {
    const base = visit();
    const bundleVisit: VisitView = {
      ...base,
      status: 'reviewing',
      statusLabel: '初审中',
      mine: true,
      tolerantAcceptance: true,
      checklist: [
        {
          materialId: 'b-01',
          name: '父母双方居民身份证',
          form: 'original',
          count: 2,
          required: true,
          note: null,
          matters: [
            { name: '出生医学证明首次签发', tolerant: false },
            { name: '出生登记', tolerant: false },
          ],
        },
        {
          materialId: 'b-02',
          name: '居民户口簿',
          form: 'original',
          count: 1,
          required: true,
          note: null,
          matters: [{ name: '社会保障卡申领（首次）', tolerant: true }],
        },
      ],
    };
    fakeBff((req) => {
      if (req.path === `/api/v1/staff/visits/${base.id}`) return { status: 200, data: bundleVisit };
      if (req.path === `/api/v1/staff/visits/${base.id}/photos`) return { status: 200, data: { items: [] } };
      return { status: 404 };
    });
    setRouterParams({ id: base.id });
    render(<VisitPage />);
    await screen.findByText('初审：逐项核对材料');
    expect(screen.getByText('用于：出生医学证明首次签发、出生登记')).toBeTruthy();
    expect(screen.getByText('用于：社会保障卡申领（首次）（可容缺）')).toBeTruthy();
    const choose = (materialId: string, answer: '有' | '无') =>
      fireEvent.click(
        [...document.querySelectorAll(`#review-${materialId} [role="radio"]`)].find(
          (el) => el.textContent === answer,
        )!,
      );
    // Missing only what matters without 容缺受理 ask for: no bag offered.
    choose('b-01', '无');
    choose('b-02', '有');
    expect(screen.getByText('提交后将告知居民缺少 1 项材料，本次不收件')).toBeTruthy();
    // Missing the card's line too: the card is taken now, a bag carries the rest.
    choose('b-02', '无');
    await waitFor(() => expect(document.querySelector('.leave-bag, #leave-bag')).toBeTruthy());
  });
});
