import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openBrowser, screenshot } from './browser';
import {
  bookAsap,
  caseStatus,
  findDoorMatter,
  input,
  type Matter,
  open,
  photographMaterials,
  press,
  type Resident,
  review,
  type SimClocks,
  signInAgent,
  signInFirstTime,
  simulators,
  submitReview,
  takeToReview,
  top,
  watchCases,
} from './steps';

/**
 * Case tracking in the H5 build against the demo stack, with the simulators' clocks sped up: a door visit is
 * booked and collected; EMS carries the materials to the centre, and only then does the government platform
 * accept the case (已受理, 快递送达) and complete it (已办结); EMS takes the result (已揽收) and delivers it (已签收). The resident follows it in 我的办件: the status ends as 已送达, the
 * promised date and the next step are on top, the result's 13-digit waybill can be copied, and the timeline
 * shows every step, newest first.
 *
 * The resident is 蒋十 (demo-resident-5), theirs alone: journey.e2e.ts needs 张三 fresh, booking.e2e.ts 李四, and
 * the files share one stack in whichever order vitest runs them.
 *
 * Clocks: both simulators stamp events with real instants and only shrink the waiting between them. The
 * government simulator runs at ×2000 from before the collection; EMS runs at ×40000 only while the materials
 * travel to the centre and from the result's order until its delivery, so the other files see EMS at its usual
 * speed. Both clocks and EMS's default
 * outcome are put back afterwards.
 */

const RESIDENT: Resident = { nickname: '蒋十', name: '蒋十', idNumber: '440112198805120333' };
const GOV_SPEED = 2000;
const EMS_SPEED = 40_000;
/** Collection → submission → 受理 → 审核 → 办结 → result ordered from EMS, then the page's 15 s poll. */
const COMPLETED_TIMEOUT_MS = 90_000;
/** Result ordered → 妥投 at ×40000 (about 2 s), then the page's 15 s poll. */
const DELIVERED_TIMEOUT_MS = 60_000;

const TITLES = {
  accepted: '已受理',
  completed: '已办结',
  shipped: '办理结果寄给您 · 已揽收',
  delivered: '办理结果寄给您 · 已签收',
} as const;

interface EmsOrder {
  logisticsOrderNo: string;
  waybillNo: string;
  outcome: string;
  status: string;
  events: { opCode: string; opName: string; opTime: string }[];
}
interface CaseDetail {
  id: string;
  status: string;
  caseNumber: string | null;
  timeline: { at: string; source: string; title: string }[];
  shipments: { leg: string; waybillNo: string | null; status: string }[];
}

describe('case tracking: accepted → completed → result shipped → delivered (H5)', () => {
  const baseUrl = inject('baseUrl');
  let resident: Page;
  let agent: Page;
  const closers: (() => Promise<void>)[] = [];
  let matter: Matter;
  let firstRequired: string;
  let bookingNumber: string;
  let bookingId: string;
  /** The case's own id (the platform's ourId), known once the resident opens it. */
  let caseId: string | undefined;
  let waybill: string;
  /** The clocks and EMS outcome as found, put back in afterAll. */
  let restore: SimClocks = {};
  /** The last case the resident's page fetched (GET /api/v1/cases/:id), for the report of a failure. */
  let lastCase: CaseDetail | undefined;

  const sims = simulators(baseUrl);
  const { sim } = sims;
  const emsOrders = async () => (await sim<{ orders: EmsOrder[] }>('/sim/ems/sim/orders')).orders;

  /** The whole page, not just the screen: Taro scrolls inside the page, so the window grows to its height. */
  async function wholePageShot(page: Page, name: string): Promise<void> {
    const size = page.viewportSize()!;
    const height = await top(page).evaluate((el) => el.scrollHeight);
    await page.setViewportSize({ width: size.width, height: Math.max(size.height, Math.ceil(height)) });
    try {
      await screenshot(page, name);
    } finally {
      await page.setViewportSize(size);
    }
  }

  beforeAll(async () => {
    const a = await openBrowser();
    const b = await openBrowser();
    resident = a.page;
    agent = b.page;
    closers.push(a.close, b.close);
    watchCases<CaseDetail>(resident, (detail) => {
      lastCase = detail;
    });
    // A result on paper, so it travels back by EMS.
    ({ matter, firstRequired } = await findDoorMatter(baseUrl, (g) => g.result.kind === 'physical'));
  });
  afterAll(async () => {
    try {
      await sims.restore(restore);
    } finally {
      for (const close of closers) await close();
    }
  });
  // What each person saw when a step failed, the case as the page last fetched it, and the simulators' view.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await resident?.screenshot({ path: `${artifactsDir}/tracking-failed-resident.png`, fullPage: true });
    await agent?.screenshot({ path: `${artifactsDir}/tracking-failed-agent.png`, fullPage: true });
    const state = {
      bookingId,
      caseId,
      bookingNumber,
      lastCase,
      ...(await sims.state(caseId)),
    };
    writeFileSync(path.join(artifactsDir, 'tracking-failed-state.json'), JSON.stringify(state, null, 2));
  });

  it('resident signs in, agrees to privacy, does real name and books a door visit', async () => {
    await open(resident, baseUrl, `/booking/pages/index/index?matterCode=${encodeURIComponent(matter.code)}`);
    await signInFirstTime(resident, RESIDENT);
    await top(resident).getByText(matter.name).first().waitFor();
    await input(resident, 'booking-detail').waitFor();
    bookingNumber = await bookAsap(resident, { name: RESIDENT.name, firstRequired });
    // The case opens (with an id of its own) when the materials are collected.
    bookingId = /[?&]id=([0-9a-f-]{36})/.exec(resident.url())?.[1] ?? '';
    expect(bookingId, resident.url()).not.toBe('');
  });

  it('with the government clock sped up, the agent accepts, departs, arrives, reviews all and collects', async () => {
    const [gov, ems] = await Promise.all([
      sim<{ speed: number }>('/sim/gov/sim/health'),
      sim<{ speed: number }>('/sim/ems/sim/orders'),
    ]);
    restore = { gov: gov.speed, ems: ems.speed };
    await expect(sim('/sim/gov/sim/admin/clock', { speed: GOV_SPEED })).resolves.toEqual({
      speed: GOV_SPEED,
    });
    // Every new EMS order is delivered first time (the mix would sometimes fail, divert or return it).
    await expect(sim('/sim/ems/sim/admin/script', { defaultOutcome: 'delivered' })).resolves.toEqual({
      defaultOutcome: 'delivered',
    });

    const earlier = new Set((await emsOrders()).map((o) => o.logisticsOrderNo));
    await signInAgent(agent, baseUrl);
    await takeToReview(agent, baseUrl, bookingNumber);
    await photographMaterials(agent);
    await review(agent);
    await submitReview(agent);
    await top(agent).getByText('材料齐全，已收件').waitFor();

    // 快递送达: the centre accepts the case only once the materials are signed for there.
    await sim('/sim/ems/sim/admin/clock', { speed: EMS_SPEED });
    try {
      await expect
        .poll(async () => (await emsOrders()).find((o) => !earlier.has(o.logisticsOrderNo))?.status, {
          timeout: 30_000,
          interval: 250,
        })
        .toBe('delivered');
    } finally {
      await sim('/sim/ems/sim/admin/clock', { speed: restore.ems });
    }
  });

  it('resident opens 我的办件 and the case: accepted and completed, the result handed to EMS', async () => {
    await open(resident, baseUrl, '/me/pages/index/index');
    await press(resident, '我的办件');
    const item = top(resident).locator('.case-item').filter({ hasText: matter.name });
    await item.waitFor();
    await screenshot(resident, 'tracking-01-my-cases');
    await item.click();
    await top(resident).locator('#case-next-step').waitFor();
    caseId = /cases\/pages\/detail\/index\?id=([0-9a-f-]{36})/.exec(resident.url())?.[1];
    expect(caseId, resident.url()).toBeDefined();
    expect(caseId).not.toBe(bookingId);

    // The page polls every 15 s while the case moves.
    await caseStatus(resident, '结果寄送中').waitFor({ timeout: COMPLETED_TIMEOUT_MS });
    const titles = await top(resident).locator('.case-timeline__title').allTextContents();
    expect(titles).toEqual(expect.arrayContaining([TITLES.accepted, TITLES.completed]));
    await expect(top(resident).locator('#case-number').textContent()).resolves.toMatch(/^\d{20}$/);
    const result = top(resident).locator('.case-shipment').filter({ hasText: '办理结果寄给您' });
    waybill = (await result.locator('.copy-row__value').textContent())?.trim() ?? '';
    expect(waybill).toMatch(/^\d{13}$/);
    await wholePageShot(resident, 'tracking-02-result-shipping');
  });

  it('resident turns on the reminder (H5 stands in for WeChat’s dialog)', async () => {
    await press(resident, '开启进度提醒');
    const dialog = resident.locator('.taro__modal');
    await dialog.getByText('“政邮通”申请向您发送以下通知').waitFor();
    // The button spins while the dialog is up: no waiting for animations to end here.
    await resident.screenshot({ path: path.join(artifactsDir, 'tracking-03-subscribe-dialog.png') });
    await dialog.locator('.taro-model__confirm').click();
    await expect
      .poll(() => top(resident).locator('#subscribe-on').textContent())
      .toBe('已开启：签收、评价提醒');
  });

  it(
    'with the EMS clock sped up, the result is delivered and the status reads 已送达',
    async () => {
      const order = (await emsOrders()).find((o) => o.waybillNo === waybill);
      expect(order, `EMS order of waybill ${waybill}`).toBeDefined();
      expect(order!.outcome).toBe('delivered');
      await sim('/sim/ems/sim/admin/clock', { speed: EMS_SPEED });
      try {
        await expect
          .poll(async () => (await emsOrders()).find((o) => o.waybillNo === waybill)?.status, {
            timeout: 30_000,
            interval: 250,
          })
          .toBe('delivered');
      } finally {
        await sim('/sim/ems/sim/admin/clock', { speed: restore.ems });
      }

      await caseStatus(resident, '已送达').waitFor({ timeout: DELIVERED_TIMEOUT_MS });
      // Delivered within the 2 working days of the rule, and nothing asked of the resident any more.
      await expect(top(resident).locator('#case-delivered-at').textContent()).resolves.not.toContain(
        '尚未送达',
      );
      await expect(top(resident).locator('.case-result--late').count()).resolves.toBe(0);
      await expect(top(resident).getByText('开启进度提醒').count()).resolves.toBe(0);
    },
    DELIVERED_TIMEOUT_MS + 45_000,
  );

  it('timeline, newest first: 已受理 → 已办结 → 收寄 → 妥投; promised date and next step on top', async () => {
    const items = top(resident).locator('.case-timeline__item');
    const titles = (await items.locator('.case-timeline__title').allTextContents()).map((t) => t.trim());
    const at = (title: string) => titles.indexOf(title);
    for (const title of Object.values(TITLES)) expect(titles, title).toContain(title);
    // Newest first: the later a step, the higher on the page.
    expect(at(TITLES.delivered)).toBe(0);
    expect(at(TITLES.delivered)).toBeLessThan(at(TITLES.shipped));
    expect(at(TITLES.shipped)).toBeLessThan(at(TITLES.completed));
    expect(at(TITLES.completed)).toBeLessThan(at(TITLES.accepted));
    await expect(top(resident).locator('.case-timeline__item--latest').textContent()).resolves.toContain(
      TITLES.delivered,
    );
    const y = async (title: string) =>
      (await items
        .filter({ has: resident.getByText(title, { exact: true }) })
        .first()
        .boundingBox())!.y;
    const ys = [
      await y(TITLES.delivered),
      await y(TITLES.shipped),
      await y(TITLES.completed),
      await y(TITLES.accepted),
    ];
    expect(ys).toEqual([...ys].sort((p, q) => p - q));
    // The result's events name their waybill.
    await expect(
      items.filter({ has: resident.getByText(TITLES.delivered, { exact: true }) }).textContent(),
    ).resolves.toContain(waybill);

    // The API sends the same steps oldest first.
    expect(lastCase?.status).toBe('delivered');
    const api = lastCase!.timeline.map((t) => t.title);
    expect(api.indexOf(TITLES.accepted)).toBeLessThan(api.indexOf(TITLES.completed));
    expect(api.indexOf(TITLES.completed)).toBeLessThan(api.indexOf(TITLES.shipped));
    expect(api.indexOf(TITLES.shipped)).toBeLessThan(api.indexOf(TITLES.delivered));

    // On top, in the first card: the status, the next step and the promised date, above everything else.
    const head = top(resident).locator('.card').first();
    await expect(head.locator('.case-status').textContent()).resolves.toBe('已送达');
    const next = head.locator('#case-next-step');
    await expect(next.textContent()).resolves.toMatch(/^证照已签收.+。$/);
    await head.getByText('承诺办结日期').waitFor();
    await expect(head.locator('#case-promised').textContent()).resolves.toMatch(
      /^\d{4}年\d{1,2}月\d{1,2}日 周.(（预计）)?$/,
    );
    const timelineTop = (await top(resident).locator('#case-timeline').boundingBox())!.y;
    const resultTop = (await top(resident).locator('#case-result').boundingBox())!.y;
    for (const id of ['#case-next-step', '#case-promised']) {
      const box = (await head.locator(id).boundingBox())!;
      expect(box.y, id).toBeLessThan(Math.min(timelineTop, resultTop));
    }
  });

  it('the reminder the resident allowed reached WeChat: 已签收, with the case number', async () => {
    const caseNumber = lastCase?.caseNumber;
    expect(caseNumber).toMatch(/^\d{20}$/);
    type Sent = { touser: string; data?: Record<string, { value?: string }> };
    await expect
      .poll(
        async () =>
          (await sim<{ sent: Sent[] }>('/sim/wechat/stats')).sent
            .filter((m) => m.touser === 'demo-resident-5')
            .map((m) => `${m.data?.character_string1?.value} ${m.data?.phrase3?.value}`),
        { timeout: 20_000, interval: 500 },
      )
      .toContain(`${caseNumber} 已签收`);
  });

  it('the result’s 13-digit waybill is shown with a copy control that copies it', async () => {
    const card = top(resident).locator('.case-shipment').filter({ hasText: '办理结果寄给您' });
    await expect(card.locator('.copy-row__value').textContent()).resolves.toBe(waybill);
    await expect(card.getByText('已签收', { exact: true }).count()).resolves.toBe(1);
    await card.locator('taro-button-core').filter({ hasText: '复制' }).click();
    await resident.locator('.taro__toast').getByText('运单号已复制').waitFor();
    // Taro's H5 clipboard keeps what it copied in storage, beside the system clipboard.
    await expect(resident.evaluate(() => localStorage.getItem('taro_clipboard'))).resolves.toContain(waybill);
    await resident.locator('.taro__toast').getByText('运单号已复制').waitFor({ state: 'hidden' });
    await wholePageShot(resident, 'tracking-04-delivered');
  });
});
