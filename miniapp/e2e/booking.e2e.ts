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
 * Journey 2 in the H5 build against the real demo stack, with two people in two browsers: a resident books a
 * door visit; the postal agent accepts it, goes, arrives and reviews the materials.
 * 1. All present: the resident's booking shows its case's status (the one truth from then on) with the government
 *    case number (办件编号).
 * 2. A required material absent: the resident sees the one complete list of what is missing (一次性告知).
 *
 * The resident is the second demo resident (李四): the first-visit journey (journey.e2e.ts) needs 张三 fresh,
 * and the two files share one stack in whichever order vitest runs them.
 */

const RESIDENT: Resident = { nickname: '李四', name: '李四', idNumber: '44011219900307451X' };
/** Jobs and the simulated government platform are asynchronous: the case number comes within about a minute. */
const CASE_TIMEOUT_MS = 90_000;

describe('door-visit booking: resident and postal agent (H5)', () => {
  const baseUrl = inject('baseUrl');
  let resident: Page;
  let agent: Page;
  const closers: (() => Promise<void>)[] = [];
  let matter: Matter;
  let firstRequired: string;
  const numbers: string[] = [];

  beforeAll(async () => {
    const a = await openBrowser();
    const b = await openBrowser();
    resident = a.page;
    agent = b.page;
    closers.push(a.close, b.close);
    ({ matter, firstRequired } = await findDoorMatter(baseUrl));
  });
  afterAll(async () => {
    for (const close of closers) await close();
  });
  // What each person saw when a step failed.
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await resident?.screenshot({ path: `${artifactsDir}/booking-failed-resident.png`, fullPage: true });
    await agent?.screenshot({ path: `${artifactsDir}/booking-failed-agent.png`, fullPage: true });
  });

  const shot =
    (page: Page) =>
    (step: string): Promise<void> =>
      screenshot(page, `booking-${step}`);
  const book = (page: Page, shots: boolean) =>
    bookAsap(page, { name: RESIDENT.name, firstRequired, shot: shots ? shot(page) : undefined });

  it('resident searches a matter, reads its guide, books from it: signs in, agrees to privacy, does real name', async () => {
    await resident.goto(`${baseUrl}/`);
    // Find the matter from the home search box and read its guide, then book from the guide.
    await top(resident).locator('input').first().fill(matter.name);
    await press(resident, '搜索');
    const result = top(resident).getByText(matter.name, { exact: true }).first();
    await result.waitFor();
    await screenshot(resident, 'booking-01-search');
    await result.click();
    await top(resident)
      .getByText(/^申请材料（\d+ 项）$/)
      .waitFor();
    await screenshot(resident, 'booking-01-guide');
    await press(resident, '预约上门收件');

    // First visit of this resident: privacy guide, then real name (the stack is fresh); back to the booking,
    // which now opens the form.
    await signInFirstTime(resident, RESIDENT);
    await top(resident).getByText(matter.name).first().waitFor();
    await input(resident, 'booking-detail').waitFor();
    await screenshot(resident, 'booking-02-form-empty');
  });

  it('resident books "as soon as possible" and gets a booking number', async () => {
    numbers.push(await book(resident, true));
    await screenshot(resident, 'booking-07-detail-requested');
  });

  it('agent accepts, departs, arrives, reviews everything present: collected', async () => {
    await signInAgent(agent, baseUrl);
    await takeToReview(agent, baseUrl, numbers[0]!, shot(agent));
    await photographMaterials(agent);
    await review(agent);
    await screenshot(agent, 'booking-10-agent-review');
    await submitReview(agent);
    await top(agent).getByText('材料齐全，已收件').waitFor();
    await screenshot(agent, 'booking-11-agent-collected');
  });

  it(
    'resident sees the case’s status with the 办件编号, not the booking’s last step',
    async () => {
      // The detail page polls every 10 s while it is shown.
      await top(resident).locator('#booking-case-number').waitFor({ timeout: CASE_TIMEOUT_MS });
      await expect(top(resident).locator('#booking-case-number').textContent()).resolves.toMatch(/^\d{20}$/);
      await top(resident)
        .locator('.booking-detail .case-status')
        .first()
        .waitFor({ timeout: CASE_TIMEOUT_MS });
      await expect(top(resident).locator('#booking-status-text').textContent()).resolves.toContain(
        '办件进度',
      );
      await expect(top(resident).locator('.booking-detail .status-tag').count()).resolves.toBe(0);
      await screenshot(resident, 'booking-12-detail-case-submitted');
    },
    CASE_TIMEOUT_MS + 30_000,
  );

  it('second visit: a required material absent → the resident gets the one complete missing list', async () => {
    await open(resident, baseUrl, `/booking/pages/index/index?matterCode=${encodeURIComponent(matter.code)}`);
    numbers.push(await book(resident, false));

    await takeToReview(agent, baseUrl, numbers[1]!);
    await review(agent, firstRequired);
    await submitReview(agent);
    await top(agent).getByText('材料不齐，未收件').waitFor();
    await expect(top(agent).locator('#review-result').textContent()).resolves.toContain(firstRequired);
    await screenshot(agent, 'booking-13-agent-incomplete');

    const list = top(resident).locator('#missing-list');
    await list.waitFor({ timeout: 30_000 });
    await expect(list.textContent()).resolves.toContain('材料不齐：还缺 1 项');
    await expect(list.textContent()).resolves.toContain(firstRequired);
    await expect(list.textContent()).resolves.toContain('未提供');
    // Nothing left to change: cancel and reschedule are gone.
    await expect(top(resident).getByText('取消预约', { exact: true }).count()).resolves.toBe(0);
    await screenshot(resident, 'booking-14-detail-missing-list');
  });

  it('我的预约 lists both bookings with their status', async () => {
    await open(resident, baseUrl, '/booking/pages/list/index');
    for (const number of numbers) await top(resident).getByText(`预约号 ${number}`).waitFor();
    // The first became a case: its status is the case's; the second ended at the door.
    await expect(top(resident).locator('.booking-item .case-status').count()).resolves.toBe(1);
    await expect(top(resident).locator('.booking-item .status-tag').allTextContents()).resolves.toEqual([
      '材料不齐',
    ]);
    await screenshot(resident, 'booking-15-my-bookings');
  });
});
