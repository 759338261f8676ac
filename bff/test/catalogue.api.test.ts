import type { MatterGuide, MatterPage, OutletDetail, OutletList } from '@zyt/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matterNamed, matters as simMatters } from '../simulators/gov/catalogue';
import { beijingMoment, hoursToday, isOpenAt } from '../src/features/catalogue/hours';
import catalogueRoutes from '../src/features/catalogue/routes';
import { indexGrams, normaliseForSearch, queryGrams, searchTerms } from '../src/features/catalogue/search';
import { initialCatalogue } from './catalogueHelpers';
import { buildTestApp, errorOf, type TestApp } from './helpers';

/** Saturday 7 November 2026, 10:00 in Beijing (02:00 UTC). */
const SATURDAY_10AM = new Date('2026-11-07T02:00:00Z');
/** Sunday 8 November 2026, 13:00 in Beijing. */
const SUNDAY_1PM = new Date('2026-11-08T05:00:00Z');

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({}, (app) => {
    // The same routes on fixed clocks: "today" at a weekend.
    app.register(catalogueRoutes, { prefix: '/saturday', now: () => SATURDAY_10AM });
    app.register(catalogueRoutes, { prefix: '/sunday', now: () => SUNDAY_1PM });
  });
  await initialCatalogue(t);
});
afterAll(() => t?.close());

async function get<T>(url: string, status = 200): Promise<T> {
  const res = await t.app.inject({ url });
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}
const search = (query: Record<string, string | number>) =>
  get<MatterPage>(
    `/api/v1/matters?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`,
  );
const names = (page: MatterPage) => page.items.map((m) => m.name);

async function badRequest(url: string) {
  const res = await t.app.inject({ url });
  expect(res.statusCode, res.body).toBe(400);
  const error = errorOf(res);
  expect(error.code).toBe('VALIDATION_FAILED');
  return error.details!.map((d) => d.field);
}

describe('search text', () => {
  it('indexes characters and pairs; looks a query up by its pairs', () => {
    expect(normaliseForSearch(' 失业 保险ＡＢ ')).toBe('失业保险ab');
    expect(indexGrams('失业登记')).toEqual(['失', '失业', '业', '业登', '登', '登记', '记']);
    expect(queryGrams('失业保险')).toEqual(['失业', '业保', '保险']);
    expect(queryGrams('证')).toEqual(['证']);
    expect(searchTerms('社保  补换')).toEqual([['社保', '社会保险', '社会保障'], ['补换']]);
  });
});

describe('GET /api/v1/matters', () => {
  it('finds matters by a Chinese substring, name matches first', async () => {
    const page = await search({ q: '失业' });
    expect(names(page)[0]).toBe('失业保险金申领');
    expect(names(page)).toEqual(expect.arrayContaining(['失业登记', '失业保险稳岗返还（稳岗补贴）申领']));
    expect(page.total).toBe(simMatters.filter((m) => m.name.includes('失业')).length);
    expect(page.items.every((m) => m.name.includes('失业'))).toBe(true);
    expect(page.catalogueSyncedAt).toEqual(expect.any(String));
    expect(page.items[0]).toMatchObject({
      code: matterNamed('失业保险金申领').serviceCode,
      applicantType: 'person',
      theme: '社会保险',
      caseType: 2,
      caseTypeLabel: '承诺件',
      promisedWorkingDays: 5,
      channels: { doorPickup: true, outlet: true, mail: 'two_way' },
    });
  });

  it('finds one character, longer phrases and full-width input', async () => {
    expect((await search({ q: '证' })).total).toBe(simMatters.filter((m) => m.name.includes('证')).length);
    expect(names(await search({ q: '居民身份证补领' }))).toEqual(['居民身份证补领']);
    expect(names(await search({ q: '营业执照遗失' }))).toEqual(['营业执照遗失补领']);
    expect((await search({ q: '没有这种事项' })).total).toBe(0);
  });

  it('matches themes and departments after names, and everyday words (社保)', async () => {
    const page = await search({ q: '户籍', pageSize: 50 });
    expect(page.total).toBe(simMatters.filter((m) => m.theme === '户籍' || m.name.includes('户籍')).length);
    expect(names(page)[0]).toBe('户籍证明开具');
    const social = await search({ q: '社保', pageSize: 50 });
    expect(names(social)).toContain('社会保障卡补换');
    expect(social.total).toBeGreaterThan(15);
  });

  it('filters by applicant, theme and channel', async () => {
    const enterprise = await search({ applicant: 'enterprise', pageSize: 50 });
    expect(enterprise.total).toBe(simMatters.filter((m) => m.applicantType === 'enterprise').length);
    expect(enterprise.items.every((m) => m.applicantType === 'enterprise')).toBe(true);

    const door = await search({ channel: 'door_pickup', pageSize: 50 });
    expect(door.total).toBe(simMatters.filter((m) => m.channels.doorPickup).length);
    expect(door.items.every((m) => m.channels.doorPickup)).toBe(true);
    const mail = await search({ channel: 'mail', pageSize: 50 });
    expect(mail.total).toBe(simMatters.filter((m) => m.channels.mail !== 'none').length);

    const combined = await search({
      q: '补贴',
      applicant: 'person',
      theme: '劳动就业',
      channel: 'door_pickup',
    });
    const expected = simMatters.filter(
      (m) =>
        m.name.includes('补贴') &&
        m.applicantType === 'person' &&
        m.theme === '劳动就业' &&
        m.channels.doorPickup,
    );
    expect(names(combined).sort()).toEqual(expected.map((m) => m.name).sort());
  });

  it('pages in a stable order with the total', async () => {
    const all = await search({ pageSize: 50, page: 1 });
    const rest = await search({ pageSize: 50, page: 2 });
    expect(all.total).toBe(86);
    expect(rest.items).toHaveLength(36);
    expect(names(all)[0]).toBe(simMatters[0]!.name);
    const pageTwo = await search({ pageSize: 5, page: 2 });
    expect(names(pageTwo)).toEqual(names(all).slice(5, 10));
    const beyond = await search({ pageSize: 50, page: 9 });
    expect(beyond).toMatchObject({ items: [], total: 86, page: 9 });
  });

  it('refuses bad parameters with the field named', async () => {
    expect(await badRequest('/api/v1/matters?applicant=alien')).toContain('applicant');
    expect(await badRequest('/api/v1/matters?pageSize=500')).toContain('pageSize');
    expect(await badRequest('/api/v1/matters?page=0')).toContain('page');
    expect(await badRequest('/api/v1/matters?channel=fax')).toContain('channel');
    expect(await badRequest(`/api/v1/matters?q=${'失'.repeat(41)}`)).toContain('q');
  });

  it('lists themes with counts', async () => {
    const { items } = await get<{ items: { theme: string; count: number }[] }>('/api/v1/matters/themes');
    expect(items[0]).toEqual({ theme: '社会保险', count: 16 });
    expect(items.reduce((n, i) => n + i.count, 0)).toBe(86);
    const enterprise = await get<{ items: { theme: string; count: number }[] }>(
      '/api/v1/matters/themes?applicant=enterprise',
    );
    expect(enterprise.items.map((i) => i.theme)).not.toContain('户籍');
  });
});

describe('GET /api/v1/matters/:code (the guide)', () => {
  it('gives conditions, materials, case type, time limit, fees, channels, department, result and outlets', async () => {
    const sim = matterNamed('失业保险金申领');
    const guide = await get<MatterGuide>(`/api/v1/matters/${sim.serviceCode}`);
    expect(guide).toMatchObject({
      code: sim.serviceCode,
      version: '1',
      name: '失业保险金申领',
      caseTypeLabel: '承诺件',
      matterType: '05',
      matterTypeLabel: '行政给付',
      promisedWorkingDays: 5,
      legalWorkingDays: 20,
      department: '广州市黄埔区人力资源和社会保障局',
      fees: { text: '不收费', free: true },
      channels: { doorPickup: true, outlet: true, mail: 'two_way' },
      result: { documentName: '失业保险待遇核定通知书', kind: 'physical' },
    });
    expect(guide.conditions).toContain('非因本人意愿中断就业');
    expect(guide.materials.map((m) => [m.name, m.formLabel, m.count, m.required])).toEqual([
      ['申请人居民身份证', '原件', 1, true],
      ['终止或解除劳动关系证明', '复印件', 1, true],
      ['本人社会保障卡或银行储蓄卡', '复印件', 1, true],
      ['授权委托书及受托人居民身份证', '原件和复印件', 1, false],
    ]);
    expect(guide.materials[0]!.id).toBe(sim.materials[0]!.id);
    expect(guide.outlets.map((o) => o.id).sort()).toEqual([...sim.outletIds].sort());
    expect(guide.outlets[0]).toMatchObject({ distanceMetres: null, today: { text: expect.any(String) } });
  });

  it('says what is charged, and when only some outlets accept a matter', async () => {
    const idCard = await get<MatterGuide>(`/api/v1/matters/${matterNamed('居民身份证换领').serviceCode}`);
    expect(idCard.fees).toEqual({ text: '工本费20元（按国家规定收取）', free: false });
    expect(idCard.outlets.map((o) => o.id)).toEqual(['HP-SC-01']);
    const seal = await get<MatterGuide>(`/api/v1/matters/${matterNamed('印章刻制备案').serviceCode}`);
    expect(seal.fees.free).toBe(true);
  });

  it('answers MATTER_NOT_FOUND for an unknown code and 400 for a malformed one', async () => {
    const res = await t.app.inject({ url: '/api/v1/matters/11440112NOSUCHMATTER' });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res)).toMatchObject({
      code: 'MATTER_NOT_FOUND',
      message: expect.stringContaining('事项'),
    });
    expect(await badRequest('/api/v1/matters/bad%20code')).toContain('code');
  });
});

describe('GET /api/v1/outlets', () => {
  const HUANGPU = { lat: 23.106, lng: 113.459 };

  it('lists outlets nearest first, with distances in metres', async () => {
    const { items, districts } = await get<OutletList>(
      `/api/v1/outlets?lat=${HUANGPU.lat}&lng=${HUANGPU.lng}`,
    );
    expect(items).toHaveLength(14);
    expect(districts).toEqual(['黄埔区']);
    expect(items[0]).toMatchObject({
      id: 'HP-PO-01',
      name: '黄埔邮局（政务服务便民点）',
      phone: '020-82211183',
      // Its region from the catalogue: a booking form with no last address starts from the nearest one's.
      province: '广东省',
      city: '广州市',
      district: '黄埔区',
    });
    expect(items[0]!.distanceMetres).toBeLessThan(150);
    const distances = items.map((o) => o.distanceMetres!);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // 大沙街 centre is ~570 m north; 九佛 (23.34 N) is ~26 km away.
    expect(items[1]).toMatchObject({ id: 'HP-SC-02' });
    expect(items[1]!.distanceMetres).toBeGreaterThan(400);
    expect(items[1]!.distanceMetres).toBeLessThan(700);
    expect(items.at(-1)!.distanceMetres).toBeGreaterThan(20_000);
    expect(items[0]!.matterCount).toBeGreaterThan(40);
  });

  it('limits, and filters by district and by a matter', async () => {
    const near = await get<OutletList>(`/api/v1/outlets?lat=${HUANGPU.lat}&lng=${HUANGPU.lng}&limit=3`);
    expect(near.items).toHaveLength(3);
    const all = await get<OutletList>('/api/v1/outlets?district=黄埔区');
    expect(all.items).toHaveLength(14);
    expect(all.items[0]!.distanceMetres).toBeNull();
    expect((await get<OutletList>('/api/v1/outlets?district=天河区')).items).toEqual([]);
    const idCard = matterNamed('居民身份证换领').serviceCode;
    expect((await get<OutletList>(`/api/v1/outlets?matter=${idCard}`)).items.map((o) => o.id)).toEqual([
      'HP-SC-01',
    ]);
    const res = await t.app.inject({ url: '/api/v1/outlets?matter=NOSUCHMATTER' });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('MATTER_NOT_FOUND');
  });

  it('refuses coordinates out of range, or one without the other', async () => {
    expect(await badRequest('/api/v1/outlets?lat=91&lng=113')).toContain('lat');
    expect(await badRequest('/api/v1/outlets?lat=23&lng=200')).toContain('lng');
    expect(await badRequest('/api/v1/outlets?lat=abc&lng=113')).toContain('lat');
    expect(await badRequest('/api/v1/outlets?lat=23.1')).toEqual(['lng']);
    expect(await badRequest('/api/v1/outlets?limit=0')).toContain('limit');
  });

  it('gives today’s hours in Beijing time at weekends, and says when an outlet is closed today', async () => {
    const saturday = await get<OutletList>('/saturday/outlets');
    const byId = new Map(saturday.items.map((o) => [o.id, o]));
    expect(byId.get('HP-PO-01')).toMatchObject({
      today: { date: '2026-11-07', weekday: 6, closed: false, text: '09:00-17:00' },
      openNow: true,
      openAtWeekends: true,
    });
    expect(byId.get('HP-SC-02')).toMatchObject({
      today: { weekday: 6, closed: true, ranges: [], text: '今日休息' },
      openNow: false,
      openAtWeekends: false,
    });
    expect(byId.get('HP-SC-01')).toMatchObject({ today: { text: '09:00-17:00' }, openNow: true });

    const sunday = new Map((await get<OutletList>('/sunday/outlets')).items.map((o) => [o.id, o]));
    expect(sunday.get('HP-PO-03')).toMatchObject({
      today: { weekday: 7, text: '09:00-12:30' },
      openNow: false,
    });
    expect(sunday.get('HP-PO-01')).toMatchObject({ today: { text: '09:00-17:00' }, openNow: true });
    expect(sunday.get('HP-SC-01')).toMatchObject({ today: { closed: true, text: '今日休息' } });
  });
});

describe('GET /api/v1/outlets/:id', () => {
  it('gives the weekly hours, distance and the matters accepted', async () => {
    const outlet = await get<OutletDetail>('/api/v1/outlets/HP-SC-02?lat=23.106&lng=113.459');
    expect(outlet).toMatchObject({ id: 'HP-SC-02', kind: 'service_centre', kindLabel: '政务服务中心' });
    expect(outlet.distanceMetres).toBeGreaterThan(400);
    expect(outlet.hours.filter((h) => h.day === 1)).toEqual([
      { day: 1, open: '09:00', close: '12:00' },
      { day: 1, open: '14:00', close: '17:30' },
    ]);
    expect(outlet.matters).toHaveLength(outlet.matterCount);
    expect(outlet.matters.every((m) => m.applicantType === 'person')).toBe(true);
  });

  it('answers OUTLET_NOT_FOUND', async () => {
    const res = await t.app.inject({ url: '/api/v1/outlets/HP-XX-99' });
    expect(res.statusCode).toBe(404);
    expect(errorOf(res).code).toBe('OUTLET_NOT_FOUND');
  });
});

describe('opening hours', () => {
  const week = [
    { day: 5, open: '08:30', close: '18:00' },
    { day: 6, open: '09:00', close: '12:00' },
    { day: 6, open: '14:00', close: '17:00' },
  ];

  it('uses the Beijing date, not the UTC one', () => {
    // Friday 17:30 UTC is Saturday 01:30 in Beijing.
    const lateFridayUtc = new Date('2026-11-06T17:30:00Z');
    expect(beijingMoment(lateFridayUtc)).toEqual({ date: '2026-11-07', weekday: 6, time: '01:30' });
    expect(hoursToday(week, lateFridayUtc).text).toBe('09:00-12:00 14:00-17:00');
    expect(isOpenAt(week, lateFridayUtc)).toBe(false);
  });

  it('is open from the opening minute to before the closing minute, lunch break closed', () => {
    const at = (hhmm: string) => new Date(`2026-11-07T${hhmm}:00+08:00`);
    expect(isOpenAt(week, at('09:00'))).toBe(true);
    expect(isOpenAt(week, at('12:00'))).toBe(false);
    expect(isOpenAt(week, at('13:00'))).toBe(false);
    expect(isOpenAt(week, at('16:59'))).toBe(true);
    expect(hoursToday(week, new Date('2026-11-08T03:00:00Z'))).toMatchObject({
      closed: true,
      text: '今日休息',
    });
  });
});
