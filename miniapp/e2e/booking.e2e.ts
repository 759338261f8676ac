import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifactsDir, currentPage, openBrowser, screenshot } from './browser';

/**
 * Journey 2 in the H5 build against the real demo stack, with two people in two browsers: a resident books a
 * door visit; the postal agent accepts it, goes, arrives and reviews the materials.
 * 1. All present: the resident's booking ends as 已提交审批 with the government case number (办件编号).
 * 2. A required material absent: the resident sees the one complete list of what is missing (一次性告知).
 *
 * The resident is the second demo resident (李四): the first-visit journey (journey.e2e.ts) needs 张三 fresh,
 * and the two files share one stack in whichever order vitest runs them.
 */

interface Matter {
  code: string;
  name: string;
}

const RESIDENT = { nickname: '李四', name: '李四', idNumber: '44011219900307451X' };
const AGENT = '赵专员';
/** Jobs and the simulated government platform are asynchronous: the case number comes within about a minute. */
const CASE_TIMEOUT_MS = 90_000;
/** A 1×1 PNG: the photo the agent "takes" of the materials. */
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const top = (page: Page) => currentPage(page);
// A NutUI button's label sits under the button element, which takes the click.
const press = (page: Page, label: string) =>
  top(page)
    .locator('taro-button-core')
    .filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
    .first()
    .click();
const input = (page: Page, id: string) => top(page).locator(`#${id} input, input#${id}`).first();
let loads = 0;
/** Opens an app page in a fresh document: a hash change alone may show a page instance already in Taro's stack. */
const open = (page: Page, baseUrl: string, hashPath: string) =>
  page.goto(`${baseUrl}/?load=${++loads}#${hashPath}`);

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
    // A matter the agent can collect at the door, with at least one required material (the catalogue syncs
    // from the government simulator when the stack starts).
    const deadline = Date.now() + 30_000;
    while (!matter) {
      const page = (await (
        await fetch(`${baseUrl}/api/v1/matters?channel=door_pickup&pageSize=50`)
      ).json()) as {
        items: Matter[];
      };
      for (const m of page.items) {
        const guide = (await (await fetch(`${baseUrl}/api/v1/matters/${m.code}`)).json()) as {
          materials: { name: string; required: boolean }[];
        };
        const required = guide.materials.filter((x) => x.required);
        if (required.length >= 1) {
          matter = m;
          firstRequired = required[0]!.name;
          break;
        }
      }
      if (!matter) {
        if (Date.now() > deadline) throw new Error('no door-pickup matter in the catalogue');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
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

  /** Fills the booking form for "as soon as possible", shows a phone mistake on the way, and books. */
  async function book(page: Page, shots: boolean): Promise<string> {
    await input(page, 'booking-detail').waitFor();
    await input(page, 'booking-detail').fill('大沙地东路1号3栋502');
    await input(page, 'booking-name').fill(RESIDENT.name);
    await input(page, 'booking-phone').fill('1380013');
    await expect(top(page).locator('#booking-phone-error').textContent()).resolves.toBe('请输入11位手机号码');
    await press(page, '下一步：确认信息');
    await top(page).getByText('请按标红的提示修改后再继续').waitFor();
    if (shots) await screenshot(page, 'booking-03-form-invalid-phone');
    await input(page, 'booking-phone').fill('13800138000');
    await expect(top(page).locator('#booking-phone-error').count()).resolves.toBe(0);
    // 尽快上门 is the default choice; the slots of the serving post office are listed too.
    await expect(top(page).locator('.choice--asap').getAttribute('class')).resolves.toContain(
      'choice--chosen',
    );
    await top(page)
      .getByText(/剩余 \d+ 个名额/)
      .first()
      .waitFor();
    if (shots) await screenshot(page, 'booking-04-form');
    await press(page, '下一步：确认信息');

    await top(page).getByText('请核对预约信息').waitFor();
    await top(page).getByText('请提前备好这些材料').waitFor();
    await top(page).getByText(firstRequired).first().waitFor();
    if (shots) await screenshot(page, 'booking-05-confirm');
    await press(page, '确认预约');

    await top(page).getByText('预约成功').waitFor();
    const number = (await top(page).locator('#booking-number').textContent())?.trim() ?? '';
    expect(number).toMatch(/^\d{12}$/);
    if (shots) await screenshot(page, 'booking-06-success');
    await press(page, '查看预约详情');
    await top(page).locator('#booking-status-text').waitFor();
    await top(page).locator('.status-tag').filter({ hasText: '等待专员接单' }).waitFor();
    return number;
  }

  /** The agent opens the visit from the queue and takes it to the review. */
  async function takeToReview(page: Page, number: string, shots: boolean) {
    await open(page, baseUrl, '/staff/pages/index/index');
    const item = top(page).locator('.visit-item').filter({ hasText: number });
    await item.waitFor();
    if (shots) await screenshot(page, 'booking-08-agent-queue');
    await item.click();
    await top(page).getByText('上门地址和联系人').waitFor();
    if (shots) await screenshot(page, 'booking-09-agent-visit');
    for (const [step, after] of [
      ['接单', '出发'],
      ['出发', '已到达'],
      ['已到达', '开始初审'],
    ] as const) {
      await press(page, step);
      await top(page).locator('taro-button-core').filter({ hasText: after }).first().waitFor();
    }
    // Accepted: the full address and the phone to call.
    await expect(top(page).locator('#visit-address').textContent()).resolves.toContain('大沙地东路1号3栋502');
    await top(page).getByText('拨打电话 13800138000').waitFor();
    await press(page, '开始初审');
    await top(page).getByText('初审：逐项核对材料').waitFor();
  }

  /** Every item 有 with the copies asked for, or one required material 无. */
  async function review(page: Page, absent?: string) {
    const rows = top(page).locator('.review-item');
    const count = await rows.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) {
      const row = rows.nth(i);
      const name = await row.locator('.text-body').first().textContent();
      await row.getByText(name === absent ? '无' : '有', { exact: true }).click();
    }
    await top(page)
      .getByText(absent ? /提交后将告知居民缺少 1 项材料/ : '必需材料齐全，提交后收件')
      .waitFor();
  }

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

    await top(resident).getByText('请先登录').waitFor();
    await press(resident, '去登录');
    await top(resident)
      .locator('.demo-user')
      .filter({ hasText: RESIDENT.nickname })
      .locator('taro-button-core')
      .click();
    // First visit of this resident: privacy guide, then real name (the stack is fresh).
    await top(resident).getByText('同意并继续').waitFor();
    await press(resident, '同意并继续');
    await top(resident).getByText('提交认证').waitFor();
    await input(resident, 'identity-name').fill(RESIDENT.name);
    await input(resident, 'identity-idNumber').fill(RESIDENT.idNumber);
    await press(resident, '提交认证');
    await top(resident).getByText('已实名').waitFor();

    // Back to the booking, which now opens the form.
    await resident.goBack();
    await top(resident).getByText(matter.name).first().waitFor();
    await input(resident, 'booking-detail').waitFor();
    await screenshot(resident, 'booking-02-form-empty');
  });

  it('resident books "as soon as possible" and gets a booking number', async () => {
    numbers.push(await book(resident, true));
    await screenshot(resident, 'booking-07-detail-requested');
  });

  it('agent accepts, departs, arrives, reviews everything present: collected', async () => {
    await open(agent, baseUrl, '/pages/login/index');
    await top(agent).locator('.demo-user').filter({ hasText: AGENT }).locator('taro-button-core').click();
    await top(agent).getByText('进入工作台').waitFor();
    await takeToReview(agent, numbers[0]!, true);
    // A photo of the materials for the record (on H5 the camera is a file picker).
    const chooser = agent.waitForEvent('filechooser');
    await press(agent, '拍照留档');
    await (await chooser).setFiles({ name: 'materials.png', mimeType: 'image/png', buffer: PHOTO });
    await top(agent)
      .getByText(/^已留档 1 张/)
      .waitFor();
    await review(agent);
    await screenshot(agent, 'booking-10-agent-review');
    await press(agent, '提交初审结果');
    await top(agent).getByText('材料齐全，已收件').waitFor();
    await screenshot(agent, 'booking-11-agent-collected');
  });

  it(
    'resident sees 已提交审批 with the 办件编号',
    async () => {
      // The detail page polls every 10 s while it is shown.
      await top(resident).locator('#booking-case-number').waitFor({ timeout: CASE_TIMEOUT_MS });
      await expect(top(resident).locator('#booking-case-number').textContent()).resolves.toMatch(/^\d{20}$/);
      await top(resident)
        .locator('.status-tag')
        .filter({ hasText: '已提交审批' })
        .waitFor({ timeout: CASE_TIMEOUT_MS });
      await expect(top(resident).locator('.timeline__item--latest').textContent()).resolves.toContain(
        '已提交审批',
      );
      await screenshot(resident, 'booking-12-detail-case-submitted');
    },
    CASE_TIMEOUT_MS + 30_000,
  );

  it('second visit: a required material absent → the resident gets the one complete missing list', async () => {
    await open(resident, baseUrl, `/booking/pages/index/index?matterCode=${encodeURIComponent(matter.code)}`);
    numbers.push(await book(resident, false));

    await takeToReview(agent, numbers[1]!, false);
    await review(agent, firstRequired);
    await press(agent, '提交初审结果');
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
    await expect(top(resident).locator('.status-tag').allTextContents()).resolves.toEqual(
      expect.arrayContaining(['已提交审批', '材料不齐']),
    );
    await screenshot(resident, 'booking-15-my-bookings');
  });
});
