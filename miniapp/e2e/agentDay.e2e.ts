import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openBrowser, screenshot } from './browser';
import {
  bookAsap,
  confirmModal,
  findDoorMatter,
  input,
  type Matter,
  open,
  press,
  type Resident,
  review,
  signInFirstTime,
  takeToReview,
  top,
} from './steps';

/**
 * The postal agent's working day (issue 16) in the H5 build, four people in three browsers: a resident books;
 * agent A (赵专员) accepts, sets off, and hands the visit back (AB岗) with a reason; agent B (孙专员) of the same
 * post office takes it and collects; B seals the materials in a bag at the post office; the centre clerk (周收件)
 * confirms receipt item by item; the resident's timeline shows every step (chain of custody).
 *
 * The resident is the third demo resident (陈六): the other files' residents may already be real-named.
 */

const RESIDENT: Resident = { nickname: '陈六', name: '陈六', idNumber: '440112199203044219' };
const REASON = '车辆故障，无法按时上门';
const BAG = `HPBAG${Date.now().toString().slice(-6)}`;

/**
 * A demo staff member signs in from the sign-in page. Agents are seeded with consent and real name; the centre
 * clerk agrees to the privacy guide on their first visit, like anyone.
 */
async function signInAs(page: Page, baseUrl: string, nickname: string) {
  await open(page, baseUrl, '/pages/login/index');
  await top(page).locator('.demo-user').filter({ hasText: nickname }).locator('taro-button-core').click();
  const workbench = top(page).getByText('进入工作台');
  await workbench.or(top(page).getByText('同意并继续')).first().waitFor();
  if (!(await workbench.isVisible())) {
    await press(page, '同意并继续');
    await top(page).getByText('同意并继续').waitFor({ state: 'detached' });
  }
}

describe("the agent's day: hand-back, a colleague completes, handover and receipt (H5)", () => {
  const baseUrl = inject('baseUrl');
  let resident: Page;
  let agentA: Page;
  let agentB: Page;
  const closers: (() => Promise<void>)[] = [];
  let matter: Matter;
  let firstRequired: string;
  let number = '';
  let bookingUrl = '';

  beforeAll(async () => {
    const browsers = [await openBrowser(), await openBrowser(), await openBrowser()];
    closers.push(...browsers.map((b) => b.close));
    [resident, agentA, agentB] = browsers.map((b) => b.page) as [Page, Page, Page];
    ({ matter, firstRequired } = await findDoorMatter(baseUrl));
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [who, page] of [
      ['resident', resident],
      ['agent-a', agentA],
      ['agent-b', agentB],
    ] as const)
      await page?.screenshot({ path: `${artifactsDir}/agent-day-failed-${who}.png`, fullPage: true });
  });

  it('resident books a door visit "as soon as possible"', async () => {
    await open(resident, baseUrl, `/booking/pages/index/index?matterCode=${encodeURIComponent(matter.code)}`);
    await signInFirstTime(resident, RESIDENT);
    number = await bookAsap(resident, { name: RESIDENT.name, firstRequired });
    bookingUrl = resident.url();
  });

  it('agent A sees the order with its age and the 1-hour promise, accepts, sets off, and hands it back', async () => {
    await signInAs(agentA, baseUrl, '赵专员');
    await open(agentA, baseUrl, '/staff/pages/index/index');
    await top(agentA)
      .getByText(/所属网点：黄埔邮局/)
      .waitFor();
    const item = top(agentA).locator('.visit-item').filter({ hasText: number });
    await item.waitFor();
    await expect(item.textContent()).resolves.toMatch(/已下单 \d+ 分钟 · 距接单时限还剩 \d+ 分钟/);
    await screenshot(agentA, 'agent-day-01-queue');
    await item.click();
    await press(agentA, '接单');
    await top(agentA).locator('taro-button-core').filter({ hasText: '出发' }).first().waitFor();
    await press(agentA, '出发');
    await top(agentA).locator('taro-button-core').filter({ hasText: '已到达' }).first().waitFor();
    await press(agentA, '转交其他专员（AB岗）');
    await input(agentA, 'visit-handback-reason').fill(REASON);
    await screenshot(agentA, 'agent-day-02-hand-back');
    await press(agentA, '确认转交');
    await top(agentA).locator('.staff-tags').getByText('等待专员接单').waitFor();
  });

  it('the resident is told, and the visit still waits for an agent (nothing cancelled)', async () => {
    await open(resident, baseUrl, bookingUrl.split('#')[1]!);
    await top(resident).getByText('专员无法上门，已重新派单').waitFor();
    await top(resident).getByText(REASON).first().waitFor();
    await top(resident).locator('.status-tag').filter({ hasText: '等待专员接单' }).waitFor();
    await screenshot(resident, 'agent-day-03-resident-told');
  });

  it('agent B of the same post office takes it and collects the materials', async () => {
    await signInAs(agentB, baseUrl, '孙专员');
    await takeToReview(agentB, baseUrl, number);
    await review(agentB);
    await press(agentB, '提交初审结果');
    await agentB
      .locator('.taro-modal__content:visible')
      .getByText(/收取以下 \d+ 项材料/)
      .waitFor();
    await screenshot(agentB, 'agent-day-04-review-confirm');
    await confirmModal(agentB, '确认提交');
    await top(agentB).getByText('材料齐全，已收件').waitFor();
  });

  it('agent B records the sealed bag at the post office', async () => {
    await open(agentB, baseUrl, '/staff/pages/handover/index');
    await top(agentB).locator('.visit-item').filter({ hasText: number }).click();
    await input(agentB, 'handover-code').fill(BAG);
    await press(agentB, '登记封袋交接（1 个任务）');
    await top(agentB).getByText(`${BAG} → 黄埔区政务服务中心`, { exact: false }).waitFor();
    await screenshot(agentB, 'agent-day-05-handover');

    await open(agentB, baseUrl, '/staff/pages/day/index');
    const today = top(agentB).locator('.day-item').filter({ hasText: number });
    await today.waitFor();
    await expect(today.textContent()).resolves.toContain('材料齐全，已收件');
    await expect(today.textContent()).resolves.toContain('已封袋交接');
  });

  it('the centre clerk confirms receipt item by item', async () => {
    await signInAs(agentA, baseUrl, '周收件');
    await open(agentA, baseUrl, '/staff/pages/centre/index');
    await input(agentA, 'centre-code').fill(BAG);
    await press(agentA, '查找材料袋');
    const rows = top(agentA).locator('.review-item');
    await rows.first().waitFor();
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await rows.nth(i).getByText('完好', { exact: true }).click();
    await top(agentA).getByText('全部完好').waitFor();
    await screenshot(agentA, 'agent-day-06-centre-receipt');
    await press(agentA, '确认签收');
    await confirmModal(agentA, '确认签收');
    await top(agentA).getByText(`材料袋 ${BAG} 已签收`).waitFor();
  });

  it("the resident's timeline shows each step: hand-back, collection, sealed bag, receipt", async () => {
    await open(resident, baseUrl, bookingUrl.split('#')[1]!);
    for (const title of [
      '专员无法上门，已重新派单',
      '材料已收取',
      '材料已封袋交寄政务服务中心',
      '政务服务中心已签收材料',
    ])
      await top(resident).locator('.timeline__title').filter({ hasText: title }).first().waitFor();
    await expect(top(resident).locator('.timeline').textContent()).resolves.toContain(BAG);
    await screenshot(resident, 'agent-day-07-resident-timeline');
  });
});
