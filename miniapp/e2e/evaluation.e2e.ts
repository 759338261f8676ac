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
 * the resident rates the visit 不满意 with a reason; the supervisor (钱主管) assigns the ticket to the agent
 * (赵专员); the agent records the call-back and closes it with a reply; the resident reads the reply under
 * their rating.
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

/** Opens the (only) ticket of this file from the 整改工单 list. */
async function openTicket(page: Page, baseUrl: string) {
  await open(page, baseUrl, '/staff/pages/tickets/index');
  const item = top(page).locator('.visit-item').filter({ hasText: '上门收件 · 不满意' });
  await item.waitFor();
  await item.click();
  await top(page).getByText(COMMENT).waitFor();
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

  it('the supervisor assigns the ticket to the agent', async () => {
    await signInSupervisor(supervisor, baseUrl);
    await openTicket(supervisor, baseUrl);
    await top(supervisor)
      .getByText(/HP0012/)
      .click();
    await press(supervisor, '确认指派');
    await top(supervisor).getByText('整改中').first().waitFor();
    await expect(top(supervisor).locator('#ticket-history').textContent()).resolves.toContain(
      '指派给 HP0012',
    );
    await screenshot(supervisor, 'evaluation-02-assigned');
  });

  it('the agent records the call-back, then closes the ticket with a reply', async () => {
    await openTicket(agent, baseUrl);
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

  it('the resident reads the reply under their rating', async () => {
    await resident.reload();
    await top(resident).getByText(`整改答复：${REPLY}`).waitFor();
    await screenshot(resident, 'evaluation-04-reply');
  });
});
