import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmsSimulator, type EmsSimulator } from '../simulators/ems/server';
import { DEMO_EMS_SIGN_KEY } from '../src/config';
import { createEmsClient, type EmsApi, EmsError, type EmsOrderRequest } from '../src/integrations/ems/client';
import { until } from './until';

/** The HTTP client against the simulator over real HTTP: what the BFF's jobs will see from EMS. */

const ACCOUNT = {
  senderNo: '1100000000001',
  authorization: 'test-authorization',
  signKey: DEMO_EMS_SIGN_KEY,
};

let sim: EmsSimulator;
let url: string;
let ems: EmsApi;

async function admin<T = unknown>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as T;
}

const simOrders = async (logisticsOrderNo: string) =>
  (
    await admin<{ orders: { logisticsOrderNo: string; createCalls: number; cancelled: boolean }[] }>(
      '/sim/orders',
    )
  ).orders.filter((o) => o.logisticsOrderNo === logisticsOrderNo);

function order(logisticsOrderNo = `ZYT${randomBytes(6).toString('hex')}`): EmsOrderRequest {
  const now = Date.now();
  return {
    logisticsOrderNo,
    ecommerceUserId: 'user-1',
    weight: 300,
    pickupType: '1',
    pickupPreBeginTime: new Date(now),
    pickupPreEndTime: new Date(now + 2 * 3_600_000),
    sender: {
      name: '张三',
      mobile: '13800138000',
      prov: '江苏省',
      city: '南京市',
      county: '鼓楼区',
      address: '中山北路1号',
      postCode: '210009',
    },
    receiver: {
      name: '政务服务中心',
      mobile: '13900139000',
      prov: '江苏省',
      city: '南京市',
      county: '建邺区',
      address: '江东中路265号',
    },
    cargos: [{ cargoName: '申请材料', cargoQuantity: 1 }],
  };
}

async function rejection(promise: Promise<unknown>): Promise<EmsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EmsError);
  return err as EmsError;
}

beforeAll(async () => {
  sim = createEmsSimulator({ ...ACCOUNT, pushIntervalMs: 50 });
  url = await sim.listen();
  ems = createEmsClient({ apiBase: url, ...ACCOUNT, timeoutMs: 1000 });
});
afterAll(() => sim?.close());
beforeEach(() => admin('/sim/admin/reset', {}));

describe('create order (020003)', () => {
  it('returns a 13-digit waybill for our order number', async () => {
    const o = order();
    const created = await ems.createOrder(o);
    expect(created.logisticsOrderNo).toBe(o.logisticsOrderNo);
    expect(created.waybillNo).toMatch(/^\d{13}$/);
    expect(await simOrders(o.logisticsOrderNo)).toMatchObject([
      { waybillNo: created.waybillNo, createCalls: 1 },
    ]);
  });

  it('is idempotent: the same logisticsOrderNo gets the same waybill and one order', async () => {
    const o = order();
    const first = await ems.createOrder(o);
    const again = await ems.createOrder(o);
    expect(again.waybillNo).toBe(first.waybillNo);
    expect(await simOrders(o.logisticsOrderNo)).toMatchObject([{ createCalls: 2 }]);
    const other = await ems.createOrder(order());
    expect(other.waybillNo).not.toBe(first.waybillNo);
  });

  it('reports every invalid field at once, not retryable', async () => {
    const o = order();
    o.receiver.mobile = '12345';
    o.cargos = [];
    const err = await rejection(ems.createOrder(o));
    expect(err).toMatchObject({ retCode: 'B0003', retryable: false });
    expect(err.retMsg).toContain('receiver.mobile');
    expect(err.retMsg).toContain('cargos');
    expect(err.serialNo).toBeTruthy();
  });
});

describe('cancel (020006) and tracking (040001)', () => {
  it('cancels before pickup; the timeline ends with 801 撤单 and a repeated cancel is harmless', async () => {
    const o = order();
    const { waybillNo } = await ems.createOrder(o);
    await ems.cancelOrder({ logisticsOrderNo: o.logisticsOrderNo, waybillNo, reason: '用户取消预约' });
    await ems.cancelOrder({ logisticsOrderNo: o.logisticsOrderNo, waybillNo, reason: '用户取消预约' });
    expect(await simOrders(o.logisticsOrderNo)).toMatchObject([{ cancelled: true }]);
    expect((await ems.queryTracking(waybillNo)).map((e) => e.opCode)).toEqual(['801']);
    expect(await rejection(ems.createOrder(o))).toMatchObject({ retCode: 'B0103', retryable: false });
  });

  it('refuses to cancel once collected, and a waybill that is not this order', async () => {
    const o = order();
    const { waybillNo } = await ems.createOrder(o);
    await expect(
      ems.cancelOrder({ logisticsOrderNo: o.logisticsOrderNo, waybillNo: '1199999999999', reason: 'x' }),
    ).rejects.toMatchObject({
      retCode: 'B0101',
    });
    await admin('/sim/admin/clock', { advanceMinutes: 90 });
    const err = await rejection(
      ems.cancelOrder({ logisticsOrderNo: o.logisticsOrderNo, waybillNo, reason: 'x' }),
    );
    expect(err).toMatchObject({ retCode: 'B0102', retryable: false });
  });

  it('returns the events so far, oldest first, with every field', async () => {
    const o = order();
    const { waybillNo } = await ems.createOrder(o);
    expect(await ems.queryTracking(waybillNo)).toEqual([]);
    await admin('/sim/admin/clock', { advanceMinutes: 8 * 60 + 1 });
    const events = await ems.queryTracking(waybillNo);
    // Within one city: 揽投部 → the city's processing centre → the receiver's 揽投部, never a hub to itself.
    expect(events.map((e) => [e.opCode, e.opDesc])).toEqual([
      ['203', '【南京市鼓楼区揽投部】已收寄，揽投员：刘师傅'],
      ['305', '离开【南京市鼓楼区揽投部】，下一站【南京市邮件处理中心】'],
      ['954', '到达【南京市邮件处理中心】'],
      ['305', '离开【南京市邮件处理中心】，下一站【南京市建邺区揽投部】'],
    ]);
    expect(events[0]).toMatchObject({
      waybillNo,
      opName: '收寄',
      opOrgCity: '南京市',
      opOrgCode: '21000901',
    });
    expect(events[0]!.opTime < events[1]!.opTime && events[1]!.opTime < events[2]!.opTime).toBe(true);
    expect(await ems.queryTracking('1188888888888')).toEqual([]);
  });

  it('routes a piece to another city through both processing centres', async () => {
    const o = order();
    o.receiver = { ...o.receiver, prov: '广东省', city: '广州市', county: '黄埔区' };
    const { waybillNo } = await ems.createOrder(o);
    await admin('/sim/admin/clock', { advanceMinutes: 14 * 60 });
    const route = (await ems.queryTracking(waybillNo)).filter((e) => e.opCode !== '203').map((e) => e.opDesc);
    expect(route).toEqual([
      '离开【南京市鼓楼区揽投部】，下一站【南京市邮件处理中心】',
      '到达【南京市邮件处理中心】',
      '离开【南京市邮件处理中心】，下一站【广州市邮件处理中心】',
      '到达【广州市邮件处理中心】',
      '离开【广州市邮件处理中心】，下一站【广州市黄埔区揽投部】',
    ]);
  });
});

describe('credentials', () => {
  it('a wrong signKey gets EMS’s decryption error, word for word', async () => {
    const wrongKey = createEmsClient({
      apiBase: url,
      ...ACCOUNT,
      signKey: Buffer.from('0123456789abcdef').toString('base64'),
      timeoutMs: 1000,
    });
    const err = await rejection(wrongKey.createOrder(order()));
    expect(err).toMatchObject({ retCode: 'B0002', retryable: false });
    expect(err.retMsg).toMatch(/解密\/验签失败.*signKey/);
    expect(err.message).toContain('B0002');
  });

  it('a wrong authorization or senderNo is B0001', async () => {
    for (const wrong of [{ authorization: 'nope' }, { senderNo: '1100000000002' }]) {
      const client = createEmsClient({ apiBase: url, ...ACCOUNT, ...wrong, timeoutMs: 1000 });
      const err = await rejection(client.queryTracking('1100000000012'));
      expect(err).toMatchObject({ retCode: 'B0001', retryable: false });
      expect(err.retMsg).toContain('授权码');
    }
  });
});

describe('faults', () => {
  it('EMS down (HTTP 503) is retryable, and calls work again once it is back', async () => {
    await admin('/sim/admin/faults', { downForSeconds: 60 });
    expect(await rejection(ems.createOrder(order()))).toMatchObject({ retCode: 'HTTP_503', retryable: true });
    await admin('/sim/admin/faults', { downForSeconds: 0 });
    expect((await ems.createOrder(order())).waybillNo).toMatch(/^\d{13}$/);
  });

  it('a dropped connection or nothing listening is a retryable NETWORK error', async () => {
    await admin('/sim/admin/faults', { downForSeconds: 60, downMode: 'reset' });
    expect(await rejection(ems.queryTracking('1100000000012'))).toMatchObject({
      retCode: 'NETWORK',
      retryable: true,
    });
    const nowhere = createEmsClient({ ...ACCOUNT, apiBase: 'http://127.0.0.1:9', timeoutMs: 1000 });
    expect(await rejection(nowhere.queryTracking('1100000000012'))).toMatchObject({
      retCode: 'NETWORK',
      retryable: true,
    });
  });

  it('latency beyond the timeout, or no answer at all, is a retryable TIMEOUT', async () => {
    const impatient = createEmsClient({ apiBase: url, ...ACCOUNT, timeoutMs: 150 });
    await admin('/sim/admin/faults', { latencyMs: 600 });
    expect(await rejection(impatient.createOrder(order()))).toMatchObject({
      retCode: 'TIMEOUT',
      retryable: true,
    });
    await admin('/sim/admin/faults', { latencyMs: 0, timeoutRate: 1 });
    expect(await rejection(impatient.queryTracking('1100000000012'))).toMatchObject({
      retCode: 'TIMEOUT',
      retryable: true,
    });
  });

  it('a timed-out create that EMS did complete is safe to retry: still one order', async () => {
    const o = order();
    const impatient = createEmsClient({ apiBase: url, ...ACCOUNT, timeoutMs: 150 });
    await admin('/sim/admin/faults', { latencyMs: 300 });
    await rejection(impatient.createOrder(o));
    // EMS completes the create we gave up on.
    await until(async () => (await simOrders(o.logisticsOrderNo)).length === 1);
    await admin('/sim/admin/faults', { latencyMs: 0 });
    const retried = await ems.createOrder(o);
    expect(await simOrders(o.logisticsOrderNo)).toMatchObject([
      { waybillNo: retried.waybillNo, createCalls: 2 },
    ]);
  });

  it('EMS busy (S0001) is retryable', async () => {
    await admin('/sim/admin/faults', { errorRate: 1 });
    const err = await rejection(ems.createOrder(order()));
    expect(err).toMatchObject({ retCode: 'S0001', retryable: true });
    expect(err.retMsg).toContain('繁忙');
  });
});

describe('answer variants seen from EMS', () => {
  it('accepts retBody as an object and tracking as { responseItems }, and refuses answers it cannot use', async () => {
    const answers: unknown[] = [];
    const fake = Fastify({ logger: false });
    fake.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req, _body, done) => done(null, {}),
    );
    fake.post('/api/gateway', async (_req, reply) => {
      const next = answers.shift();
      return typeof next === 'string' ? reply.type('text/html').send(next) : next;
    });
    await fake.listen({ host: '127.0.0.1', port: 0 });
    const client = createEmsClient({
      ...ACCOUNT,
      apiBase: `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/`,
      timeoutMs: 1000,
    });
    const ok = (retBody: unknown) => ({
      retCode: '00000',
      retMsg: '成功',
      retBody,
      retDate: '',
      serialNo: 'X',
    });
    try {
      const o = order();
      answers.push(ok({ waybillNo: '1100000000012' }));
      expect(await client.createOrder(o)).toEqual({
        logisticsOrderNo: o.logisticsOrderNo,
        waybillNo: '1100000000012',
      });

      const item = {
        waybillNo: '1100000000012',
        opTime: '2025-03-01 09:00:00',
        opCode: '203',
        opName: '收寄',
        opDesc: null,
      };
      answers.push(ok({ responseItems: [item] }));
      expect(await client.queryTracking('1100000000012')).toMatchObject([{ opCode: '203', opDesc: '' }]);
      answers.push(ok(null));
      expect(await client.queryTracking('1100000000012')).toEqual([]);

      answers.push(ok({ waybillNo: 'EMS12345' }));
      expect(await rejection(client.createOrder(o))).toMatchObject({
        retCode: 'BAD_RESPONSE',
        retryable: false,
      });
      answers.push(ok([{ ...item, opTime: '2025/03/01' }]));
      expect(await rejection(client.queryTracking('1100000000012'))).toMatchObject({
        retCode: 'BAD_RESPONSE',
      });
      answers.push('<html>gateway error</html>');
      expect(await rejection(client.queryTracking('1100000000012'))).toMatchObject({
        retCode: 'BAD_RESPONSE',
        retryable: true,
      });
    } finally {
      await fake.close();
    }
  });
});

describe('monthly bill (050001)', () => {
  /** The Beijing month before this one (yyyy-MM) and a time in it. */
  const lastMonth = () => {
    const now = new Date(Date.now() + 8 * 3_600_000);
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 10));
    const month = d.toISOString().slice(0, 7);
    return { month, at: `${month}-10 09:00:00` };
  };

  async function posted(n: number, projectId: string, at: string, weight = 300) {
    const waybills: string[] = [];
    for (let i = 0; i < n; i++)
      waybills.push((await ems.createOrder({ ...order(), weight, projectId })).waybillNo);
    await admin('/sim/admin/posting-date', { waybillNos: waybills, postedAt: at });
    return waybills;
  }

  it('lists the pieces posted in a closed month for one project, priced by the tariff, over several pages', async () => {
    const { month, at } = lastMonth();
    const mine = await posted(3, 'C1', at);
    const heavy = await posted(1, 'C1', at, 1200);
    await posted(2, 'C2', at);
    await ems.createOrder({ ...order(), projectId: 'C1' }); // this month: not on last month's bill
    const bill = await ems.monthlyBill({ billMonth: month, projectId: 'C1' });
    expect(bill.items.map((i) => i.waybillNo).sort()).toEqual([...mine, ...heavy].sort());
    expect(bill.items.find((i) => i.waybillNo === heavy[0])).toMatchObject({
      weightGrams: 1200,
      postageFen: 1600, // ¥12 to 500 g + 2 × ¥2
      projectId: 'C1',
      postingTime: at,
    });
    expect(bill.totalFen).toBe(3 * 1200 + 1600);
    expect((await ems.monthlyBill({ billMonth: month })).items).toHaveLength(6);
    // Page by page (2 a page): the same pieces, each once.
    const paged = await ems.monthlyBill({ billMonth: month, projectId: 'C1', pageSize: 2 });
    expect(paged.items.map((i) => i.waybillNo)).toEqual(bill.items.map((i) => i.waybillNo));
  });

  it('carries the scripted discrepancies', async () => {
    const { month, at } = lastMonth();
    const [a, b, c, d] = await posted(4, 'C1', at);
    await admin('/sim/admin/bill-discrepancies', {
      billMonth: month,
      discrepancies: [
        { kind: 'duplicate', waybillNo: a },
        { kind: 'unknown', projectId: 'C1', waybillNo: '1199999999990' },
        { kind: 'weight', waybillNo: b, weightGrams: 1500 },
        { kind: 'price', waybillNo: c, postageFen: 2000 },
        { kind: 'omit', waybillNo: d },
      ],
    });
    const items = (await ems.monthlyBill({ billMonth: month, projectId: 'C1' })).items;
    expect(items.filter((i) => i.waybillNo === a)).toHaveLength(2);
    expect(items.find((i) => i.waybillNo === '1199999999990')).toBeTruthy();
    expect(items.find((i) => i.waybillNo === b)).toMatchObject({ weightGrams: 1500, postageFen: 1600 });
    expect(items.find((i) => i.waybillNo === c)).toMatchObject({ weightGrams: 300, postageFen: 2000 });
    expect(items.find((i) => i.waybillNo === d)).toBeUndefined();
  });

  it('refuses a month that is not over (B0201) and a malformed month (B0003), not retryable', async () => {
    const thisMonth = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    expect(await rejection(ems.monthlyBill({ billMonth: thisMonth }))).toMatchObject({
      retCode: 'B0201',
      retryable: false,
    });
    expect(await rejection(ems.monthlyBill({ billMonth: '2026-13' }))).toMatchObject({ retCode: 'B0003' });
  });
});
