import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { currentPage } from './browser';

/**
 * Steps the door-visit journeys share (booking.e2e.ts, tracking.e2e.ts, bag.e2e.ts…): finding a matter to book,
 * a resident's first sign-in (privacy guide, real name), booking "as soon as possible", the agent taking the
 * visit to the review and collecting, and the simulators' admin calls.
 */

export interface Matter {
  code: string;
  name: string;
}
export interface Resident {
  /** The demo user's name on the sign-in page. */
  nickname: string;
  name: string;
  idNumber: string;
}
interface MatterGuide {
  materials: { name: string; required: boolean }[];
  result: { documentName: string; kind: 'physical' | 'electronic' };
}
/** Takes a screenshot of one step, named by the caller's file; absent when the run wants none. */
export type Shot = ((step: string) => Promise<void>) | undefined;

export const AGENT = '赵专员';
/** The address and phone the resident books with (the agent sees them once the visit is accepted). */
export const ADDRESS_DETAIL = '大沙地东路1号3栋502';
export const PHONE = '13800138000';
/** A 1×1 PNG: the photo the agent "takes" of the materials. */
export const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export const top = (page: Page) => currentPage(page);
// A NutUI button's label sits under the button element, which takes the click.
export const press = (page: Page, label: string) =>
  top(page)
    .locator('taro-button-core')
    .filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
    .first()
    .click();
export const input = (page: Page, id: string) => top(page).locator(`#${id} input, input#${id}`).first();
let loads = 0;
/** Opens an app page in a fresh document: a hash change alone may show a page instance already in Taro's stack. */
export const open = (page: Page, baseUrl: string, hashPath: string) =>
  page.goto(`${baseUrl}/?load=${++loads}#${hashPath}`);

/**
 * A matter the agent can collect at the door, with at least one required material and whatever else `wanted`
 * asks of its guide (the catalogue syncs from the government simulator when the stack starts).
 */
export async function findDoorMatter(
  baseUrl: string,
  wanted: (guide: MatterGuide) => boolean = () => true,
): Promise<{ matter: Matter; firstRequired: string; guide: MatterGuide }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const page = (await (
      await fetch(`${baseUrl}/api/v1/matters?channel=door_pickup&pageSize=50`)
    ).json()) as { items: Matter[] };
    for (const matter of page.items) {
      const guide = (await (await fetch(`${baseUrl}/api/v1/matters/${matter.code}`)).json()) as MatterGuide;
      const required = guide.materials.filter((x) => x.required);
      if (required.length >= 1 && wanted(guide)) return { matter, firstRequired: required[0]!.name, guide };
    }
    if (Date.now() > deadline) throw new Error('no door-pickup matter in the catalogue');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * From a page that asks to sign in (请先登录): signs in as the demo user, agrees to the privacy guide and does
 * real name (their first visit: the stack is fresh), then goes back to the page that asked.
 */
export async function signInFirstTime(page: Page, resident: Resident): Promise<void> {
  await top(page).getByText('请先登录').waitFor();
  await press(page, '去登录');
  await top(page)
    .locator('.demo-user')
    .filter({ hasText: resident.nickname })
    .locator('taro-button-core')
    .click();
  await top(page).getByText('同意并继续').waitFor();
  await press(page, '同意并继续');
  await top(page).getByText('提交认证').waitFor();
  await input(page, 'identity-name').fill(resident.name);
  await input(page, 'identity-idNumber').fill(resident.idNumber);
  await press(page, '提交认证');
  await top(page).getByText('已实名').waitFor();
  await page.goBack();
}

/**
 * Fills the booking form for "as soon as possible", shows a phone mistake on the way, books, and opens the
 * booking's detail. Resolves with the booking number (预约号).
 */
export async function bookAsap(
  page: Page,
  opts: { name: string; firstRequired: string; shot?: Shot },
): Promise<string> {
  const { shot } = opts;
  await input(page, 'booking-detail').waitFor();
  // The form starts from the resident's last address; a first booking starts empty.
  await input(page, 'booking-province').fill('广东省');
  await input(page, 'booking-city').fill('广州市');
  await input(page, 'booking-county').fill('黄埔区');
  await input(page, 'booking-detail').fill(ADDRESS_DETAIL);
  await input(page, 'booking-name').fill(opts.name);
  await input(page, 'booking-phone').fill('1380013');
  await expect(top(page).locator('#booking-phone-error').textContent()).resolves.toBe('请输入11位手机号码');
  await press(page, '下一步：确认信息');
  await top(page).getByText('请按标红的提示修改后再继续').waitFor();
  await shot?.('03-form-invalid-phone');
  await input(page, 'booking-phone').fill(PHONE);
  await expect(top(page).locator('#booking-phone-error').count()).resolves.toBe(0);
  // 尽快上门 is the default choice; the slots of the serving post office are listed too.
  await expect(top(page).locator('.choice--asap').getAttribute('class')).resolves.toContain('choice--chosen');
  await top(page)
    .getByText(/剩余 \d+ 个名额/)
    .first()
    .waitFor();
  await shot?.('04-form');
  await press(page, '下一步：确认信息');

  await top(page).getByText('请核对预约信息').waitFor();
  await top(page).getByText('请提前备好这些材料').waitFor();
  await top(page).getByText(opts.firstRequired).first().waitFor();
  await shot?.('05-confirm');
  await press(page, '确认预约');

  await top(page).getByText('预约成功').waitFor();
  const number = (await top(page).locator('#booking-number').textContent())?.trim() ?? '';
  expect(number).toMatch(/^\d{12}$/);
  await shot?.('06-success');
  await press(page, '查看预约详情');
  await top(page).locator('#booking-status-text').waitFor();
  await top(page).locator('.status-tag').filter({ hasText: '等待专员接单' }).waitFor();
  return number;
}

/** The demo agent signs in from the sign-in page (staff are seeded with consent and real name). */
export async function signInAgent(page: Page, baseUrl: string): Promise<void> {
  await open(page, baseUrl, '/pages/login/index');
  await top(page).locator('.demo-user').filter({ hasText: AGENT }).locator('taro-button-core').click();
  await top(page).getByText('进入工作台').waitFor();
}

/** The agent opens the visit from the queue and takes it to the review: accepts, departs, arrives. */
export async function takeToReview(page: Page, baseUrl: string, number: string, shot?: Shot) {
  await open(page, baseUrl, '/staff/pages/index/index');
  const item = top(page).locator('.visit-item').filter({ hasText: number });
  await item.waitFor();
  await shot?.('08-agent-queue');
  await item.click();
  await top(page).getByText('上门地址和联系人').waitFor();
  await shot?.('09-agent-visit');
  for (const [step, after] of [
    ['接单', '出发'],
    ['出发', '已到达'],
    ['已到达', '开始初审'],
  ] as const) {
    await press(page, step);
    await top(page).locator('taro-button-core').filter({ hasText: after }).first().waitFor();
  }
  // Accepted: the full address and the phone to call.
  await expect(top(page).locator('#visit-address').textContent()).resolves.toContain(ADDRESS_DETAIL);
  await top(page).getByText(`拨打电话 ${PHONE}`).waitFor();
  await press(page, '开始初审');
  await top(page).getByText('初审：逐项核对材料').waitFor();
}

/** A photo of the materials for the record (on H5 the camera is a file picker). */
export async function photographMaterials(page: Page): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await press(page, '拍照留档');
  await (await chooser).setFiles({ name: 'materials.png', mimeType: 'image/png', buffer: PHOTO });
  await top(page)
    .getByText(/^已留档 1 张/)
    .waitFor();
}

/** Every item 有 with the copies asked for, or one required material 无. */
export async function review(page: Page, absent?: string) {
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

/** Taro's H5 modal (Taro.showModal): the button of the visible dialog. */
export const confirmModal = (page: Page, label: string) =>
  page.locator('.taro-modal__foot:visible').getByText(label, { exact: true }).click();

/** Submits the review and confirms the summary the app asks the agent to check (collected or missing list). */
export async function submitReview(page: Page): Promise<void> {
  await press(page, '提交初审结果');
  await confirmModal(page, '确认提交');
}

/** The simulators' clocks as found (read before a file speeds them up), put back afterwards. */
export interface SimClocks {
  ems?: number;
  gov?: number;
}

/** Admin calls to the simulators through the demo launcher's proxy (/sim/ems, /sim/gov, /sim/wechat). */
export function simulators(baseUrl: string) {
  async function sim<T>(url: string, body?: unknown): Promise<T> {
    const res = await fetch(`${baseUrl}${url}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${body === undefined ? 'GET' : 'POST'} ${url} → ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }
  return {
    sim,
    /** Puts the clocks and EMS's default outcome back as found. */
    async restore(clocks: SimClocks): Promise<void> {
      if (clocks.gov !== undefined) await sim('/sim/gov/sim/admin/clock', { speed: clocks.gov });
      if (clocks.ems !== undefined) {
        await sim('/sim/ems/sim/admin/clock', { speed: clocks.ems });
        await sim('/sim/ems/sim/admin/script', { defaultOutcome: null });
      }
    },
    /** What EMS and the government platform hold (for the case, once known), for the report of a failure. */
    async state(caseId: string | undefined) {
      return {
        ems: await sim<{ orders: unknown[] }>('/sim/ems/sim/orders')
          .then((r) => r.orders)
          .catch((e: Error) => e.message),
        gov: await sim(caseId ? `/sim/gov/sim/cases?ourId=${caseId}` : '/sim/gov/sim/cases').catch(
          (e: Error) => e.message,
        ),
      };
    },
  };
}

/** The case's status on the resident's page (我的办件 or the case), by its label. */
export const caseStatus = (page: Page, label: string): Locator =>
  top(page).locator('.case-status').filter({ hasText: label }).first();

/** Tells `onCase` of every case the page fetches (GET /api/v1/cases/:id): the last one goes in a failure's report. */
export function watchCases<T>(page: Page, onCase: (detail: T) => void): void {
  page.on('response', async (res) => {
    if (res.request().method() !== 'GET' || !/\/api\/v1\/cases\/[0-9a-f-]{36}$/.test(res.url())) return;
    try {
      if (res.ok()) onCase((await res.json()) as T);
    } catch {
      // the page went away with the body
    }
  });
}
