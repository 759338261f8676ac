import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, openBrowser, screenshot } from './browser';
import {
  bookAsap,
  findDoorMatter,
  input,
  type Matter,
  open,
  photographMaterials,
  press,
  type Resident,
  review,
  signInAgent,
  signInFirstTime,
  submitReview,
  takeToReview,
  top,
} from './steps';

/**
 * 好差评 in the H5 build, three people in three browsers: a resident's materials are collected at the door;
 * the resident rates the visit 不满意 with a reason; the supervisor (钱主管), at a desk, assigns the ticket to
 * the agent (赵专员) from the workbench (监管工作台); the agent finds it under 我的待办, records the call-back
 * on the ticket page and closes it with a reply; the workbench keeps it closed with the reply; the resident
 * reads the reply under their rating.
 *
 * The resident is the fourth demo resident (冯八): the other files' residents may already be real-named.
 */

const RESIDENT: Resident = { nickname: '冯八', name: '冯八', idNumber: '440112199105060338' };
const COMMENT = '专员比约定时间晚到了四十分钟';
const REPLY = '已约谈专员并调整排班，向您致歉';

/** The supervisor signs in from the sign-in page, agreeing to the privacy guide on a first visit. */
async function signInSupervisor(page: Page, baseUrl: string) {
  await open(page, baseUrl, '/pages/login/index');
  await top(page).locator('.demo-user').filter({ hasText: '钱主管' }).locator('taro-button-core').click();
  const workbench = top(page).getByText('进入工作台');
  await workbench.or(top(page).getByText('同意并继续')).first().waitFor();
  if (!(await workbench.isVisible())) {
    await press(page, '同意并继续');
    await top(page).getByText('同意并继续').waitFor({ state: 'detached' });
  }
}

describe('好差评: a bad rating, its ticket assigned, called back and closed, the reply read (H5)', () => {
  const baseUrl = inject('baseUrl');
  let resident: Page;
  let agent: Page;
  let supervisor: Page;
  const closers: (() => Promise<void>)[] = [];
  let matter: Matter;
  let firstRequired: string;
  let bookingNumber = '';

  beforeAll(async () => {
    const browsers = [await openBrowser(), await openBrowser(), await openBrowser()];
    closers.push(...browsers.map((b) => b.close));
    [resident, agent, supervisor] = browsers.map((b) => b.page) as [Page, Page, Page];
    ({ matter, firstRequired } = await findDoorMatter(baseUrl));
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [name, page] of [
      ['resident', resident],
      ['agent', agent],
      ['supervisor', supervisor],
    ] as const)
      await page?.screenshot({ path: `${artifactsDir}/evaluation-failed-${name}.png`, fullPage: true });
  });

  it('the resident books and the agent collects the materials at the door', async () => {
    await open(resident, baseUrl, `/booking/pages/index/index?matterCode=${encodeURIComponent(matter.code)}`);
    await signInFirstTime(resident, RESIDENT);
    await top(resident).getByText(matter.name).first().waitFor();
    await input(resident, 'booking-detail').waitFor();
    bookingNumber = await bookAsap(resident, { name: RESIDENT.name, firstRequired });
    await signInAgent(agent, baseUrl);
    await takeToReview(agent, baseUrl, bookingNumber);
    await photographMaterials(agent);
    await review(agent);
    await submitReview(agent);
    await top(agent).getByText('材料齐全，已收件').waitFor();
  });

  it('the resident rates the door visit 不满意 with a reason', async () => {
    await open(resident, baseUrl, '/cases/pages/index/index');
    const item = top(resident).locator('.case-item').filter({ hasText: matter.name });
    await item.waitFor();
    await item.click();
    const visit = top(resident).locator('#evaluation-visit');
    await visit.waitFor();
    await visit.locator('taro-button-core').filter({ hasText: '评价' }).click();
    await top(resident).getByText('评价环节：上门收件').waitFor();

    await top(resident).getByText('不满意', { exact: true }).click();
    for (const indicator of ['overall', 'efficiency', 'conduct', 'attitude'])
      await top(resident).locator(`#indicator-${indicator} .nut-rate-item`).nth(1).click();
    await top(resident).getByText('不满意的原因（必填）').waitFor();
    await top(resident).getByText('上门或送达不及时', { exact: true }).click();
    await top(resident).locator('#evaluate-form textarea').fill(COMMENT);
    await screenshot(resident, 'evaluation-01-form');
    await press(resident, '提交评价');
    await top(resident).getByText('感谢您的评价！').waitFor();
    await expect(top(resident).locator('#evaluate-done').textContent()).resolves.toContain(
      '您的评价：不满意',
    );
    await top(resident)
      .getByText(/已转交整改/)
      .waitFor();
  });

  it('the supervisor assigns the ticket from the workbench, at a desk', async () => {
    await signInSupervisor(supervisor, baseUrl);
    // A desktop browser (the H5 build at a desk): list and item side by side.
    await supervisor.setViewportSize({ width: 1366, height: 900 });
    await open(supervisor, baseUrl, '/staff/pages/workbench/index');
    await top(supervisor)
      .locator('.chip')
      .filter({ hasText: /^整改工单 \d+$/ })
      .click();
    const item = top(supervisor).locator('.desk-item').filter({ hasText: '上门收件 · 不满意' });
    await item.filter({ hasText: matter.name }).first().click();
    const detail = top(supervisor).locator('#work-detail');
    await detail.locator('#work-assignee').waitFor();
    await expect(top(supervisor).locator('.desk-list').isVisible()).resolves.toBe(true);
    await top(supervisor)
      .locator('#work-assign')
      .getByText(/HP0012/)
      .click();
    await press(supervisor, '确认指派');
    await expect.poll(() => top(supervisor).locator('#work-assignee').textContent()).toContain('HP0012');
    await expect(top(supervisor).locator('#work-history').textContent()).resolves.toMatch(/指派 → HP0012/);
    await screenshot(supervisor, 'evaluation-02-workbench-assigned');
    // At a desk the workbench sets its own root size; the page opened from it keeps the app's.
    const rootSize = () => supervisor.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    await expect(rootSize()).resolves.toBe('24px');
    // The ticket itself was assigned, by its own rules.
    await press(supervisor, '打开整改工单');
    await top(supervisor).getByText(COMMENT).waitFor();
    await expect.poll(rootSize).not.toBe('24px');
    await expect(top(supervisor).locator('#ticket-history').textContent()).resolves.toContain(
      '指派给 HP0012',
    );
  });

  it('the agent finds it under 我的待办, records the call-back, then closes the ticket with a reply', async () => {
    await open(agent, baseUrl, '/staff/pages/workbench/index');
    const mine = top(agent).locator('.desk-item').filter({ hasText: '上门收件 · 不满意' });
    await mine.filter({ hasText: matter.name }).first().click();
    await press(agent, '确认接手');
    await top(agent).locator('#work-acknowledge').waitFor({ state: 'detached' });
    await press(agent, '打开整改工单');
    await top(agent).getByText(COMMENT).waitFor();
    await top(agent).getByText('回访并记录结果后才能办结工单。').waitFor();
    await top(agent).getByText('回访满意', { exact: true }).click();
    await top(agent).locator('#ticket-callback textarea').fill('电话回访，群众表示理解');
    await press(agent, '保存回访记录');
    await top(agent).getByText('整改答复并办结').waitFor();
    await top(agent).locator('#ticket-close textarea').fill(REPLY);
    await press(agent, '办结工单');
    await top(agent).getByText('已办结').first().waitFor();
    await screenshot(agent, 'evaluation-03-closed');
  });

  it('the workbench keeps the closed item with who closed it and the reply', async () => {
    await open(supervisor, baseUrl, '/staff/pages/workbench/index');
    await top(supervisor)
      .locator('.chip')
      .filter({ hasText: /^已办结$/ })
      .click();
    const closed = top(supervisor).locator('.desk-item').filter({ hasText: '上门收件 · 不满意' });
    await closed.filter({ hasText: matter.name }).first().click();
    await expect.poll(() => top(supervisor).locator('#work-outcome').textContent()).toContain(REPLY);
    await expect(top(supervisor).locator('#work-history').textContent()).resolves.toMatch(/HP0012.*办结/);
    await screenshot(supervisor, 'evaluation-04-workbench-closed');
  });

  it('the resident reads the reply under their rating', async () => {
    await resident.reload();
    await top(resident).getByText(`整改答复：${REPLY}`).waitFor();
    await screenshot(resident, 'evaluation-05-reply');
  });
});
