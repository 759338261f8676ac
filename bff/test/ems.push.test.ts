import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { validateResidentId } from '@zyt/shared';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeTrackPush } from '../simulators/ems/push';
import { createEmsSimulator, type EmsSimulator } from '../simulators/ems/server';
import { DEMO_EMS_SIGN_KEY } from '../src/config';
import { createEmsClient, type EmsApi } from '../src/integrations/ems/client';
import { sealLogitcs } from '../src/integrations/ems/crypto';
import {
  currentStatus,
  decodeTrackPush,
  type EmsPushError,
  type EmsTrackEvent,
  effectiveTimeline,
  parseEmsTime,
  trackPushReply,
} from '../src/integrations/ems/tracking';

/** 040002 tracking pushes: the simulator posts to a tiny receiver built on decodeTrackPush, as our hook will be. */

const ACCOUNT = {
  senderNo: '1100000000001',
  authorization: 'test-authorization',
  signKey: DEMO_EMS_SIGN_KEY,
};
interface Pushes {
  pending: unknown[];
  log: { serialNo: string; attempts: number; acknowledged: boolean }[];
}

const OTHER_KEY = Buffer.from('0123456789abcdef').toString('base64');

const event = (extra: Partial<EmsTrackEvent> = {}): EmsTrackEvent => ({
  waybillNo: '1100000000012',
  opTime: '2025-03-01 09:00:00',
  opCode: '203',
  opName: '收寄',
  opDesc: '【南京市鼓楼区揽投部】已收寄',
  opOrgProvName: '江苏省',
  opOrgCity: '南京市',
  opOrgCode: '21000901',
  opOrgName: '南京市鼓楼区揽投部',
  operatorNo: '10000001',
  operatorName: '刘师傅',
  ...extra,
});

function refusal(body: unknown, cfg = ACCOUNT): EmsPushError {
  try {
    decodeTrackPush(body, cfg);
  } catch (err) {
    expect((err as Error).name).toBe('EmsPushError');
    return err as EmsPushError;
  }
  throw new Error('expected the push to be refused');
}

describe('decodeTrackPush', () => {
  it('decodes what encodeTrackPush sealed', () => {
    const events = [event(), event({ opCode: '704', opTime: '2025-03-02 10:00:00', deliverCode: '10' })];
    const body = encodeTrackPush(events, ACCOUNT, 'SN-1');
    expect(body).toMatchObject({
      method: '040002',
      msgType: '0',
      senderNo: ACCOUNT.senderNo,
      serialNo: 'SN-1',
      version: 'V1.0.0',
    });
    expect(body.logitcsInterface.startsWith('|$4|')).toBe(true);
    expect(decodeTrackPush(JSON.parse(JSON.stringify(body)), ACCOUNT)).toEqual({ serialNo: 'SN-1', events });
  });

  it('accepts a single item, null texts and an empty senderNo, as real pushes have them', () => {
    const raw = { ...event(), operatorName: null, deliverCode: null, attemptDeliveryCode: '' };
    const body = {
      ...encodeTrackPush([], ACCOUNT, 'SN-2'),
      senderNo: '',
      logitcsInterface: sealLogitcs(JSON.stringify(raw), ACCOUNT.signKey),
    };
    const { events } = decodeTrackPush(body, ACCOUNT);
    expect(events).toEqual([{ ...event(), operatorName: '' }]);
    expect(parseEmsTime(events[0]!.opTime).toISOString()).toBe('2025-03-01T01:00:00.000Z');
  });

  it('refuses a push for another senderNo', () => {
    const err = refusal(encodeTrackPush([event()], { ...ACCOUNT, senderNo: '1100000000002' }, 'SN-3'));
    expect(err).toMatchObject({ reason: 'SENDER_MISMATCH', serialNo: 'SN-3' });
  });

  it('refuses ciphertext sealed with another key, tampered or not sealed at all', () => {
    const good = encodeTrackPush([event()], ACCOUNT, 'SN-4');
    const bytes = Buffer.from(good.logitcsInterface.slice(4), 'base64');
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0x80;
    for (const logitcsInterface of [
      encodeTrackPush([event()], { ...ACCOUNT, signKey: OTHER_KEY }).logitcsInterface,
      `|$4|${bytes.toString('base64')}`,
      JSON.stringify([event()]),
    ]) {
      expect(refusal({ ...good, logitcsInterface })).toMatchObject({
        reason: 'BAD_CIPHERTEXT',
        serialNo: 'SN-4',
      });
    }
  });

  it.each<[string, unknown]>([
    ['an opTime in another format', [event({ opTime: '2025-03-01T09:00:00+08:00' })]],
    ['a numeric opCode', [{ ...event(), opCode: 704 }]],
    ['no waybillNo', [{ ...event(), waybillNo: undefined }]],
    ['a numeric deliverCode', [{ ...event(), deliverCode: 10 }]],
    ['an object where a text belongs', [{ ...event(), opDesc: { text: 'x' } }]],
    ['an item that is not an object', [event(), 'x']],
  ])('refuses items with %s', (_label, items) => {
    const body = {
      ...encodeTrackPush([], ACCOUNT, 'SN-5'),
      logitcsInterface: sealLogitcs(JSON.stringify(items), ACCOUNT.signKey),
    };
    expect(refusal(body)).toMatchObject({ reason: 'BAD_PAYLOAD', serialNo: 'SN-5' });
  });

  it('refuses a body that is not a push', () => {
    expect(refusal('text').reason).toBe('BAD_PAYLOAD');
    expect(refusal({ ...encodeTrackPush([event()], ACCOUNT), serialNo: undefined }).reason).toBe(
      'BAD_PAYLOAD',
    );
    expect(refusal({ ...encodeTrackPush([event()], ACCOUNT), method: '040001' }).reason).toBe('BAD_PAYLOAD');
    const notJson = {
      ...encodeTrackPush([], ACCOUNT, 'SN-6'),
      logitcsInterface: sealLogitcs('not json', ACCOUNT.signKey),
    };
    expect(refusal(notJson).reason).toBe('BAD_PAYLOAD');
  });
});

describe('simulator → our hook', () => {
  let sim: EmsSimulator;
  let simUrl: string;
  let ems: EmsApi;
  let receiver: FastifyInstance;
  let hookUrl: string;
  /** Every push that reached the hook, with what it answered. */
  let received: { serialNo: string; events: EmsTrackEvent[]; code: string }[] = [];
  /** serialNos to answer S00001 once; 'always' refuses every push. */
  let failOnce = new Set<string>();
  let failAlways = false;

  const admin = async <T = unknown>(path: string, body?: unknown): Promise<T> =>
    (
      await fetch(`${simUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json() as T;

  async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > until) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  const eventsFor = (waybillNo: string) =>
    received
      .filter((r) => r.code === '00000')
      .flatMap((r) => r.events.filter((e) => e.waybillNo === waybillNo));

  beforeAll(async () => {
    receiver = Fastify({ logger: false });
    receiver.post('/hooks/ems/track', async (req) => {
      const { serialNo, events } = decodeTrackPush(req.body, ACCOUNT);
      const ok = !failAlways && !failOnce.delete(serialNo);
      received.push({ serialNo, events, code: ok ? '00000' : 'S00001' });
      return trackPushReply(serialNo, ACCOUNT.senderNo, ok, ok ? '' : '暂时无法处理');
    });
    await receiver.listen({ host: '127.0.0.1', port: 0 });
    hookUrl = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hooks/ems/track`;

    // Started before the hook is known, as in the demo: the push URL is set afterwards.
    sim = createEmsSimulator({ ...ACCOUNT, pushIntervalMs: 20, maxPushAttempts: 4 });
    simUrl = await sim.listen();
    ems = createEmsClient({ apiBase: simUrl, ...ACCOUNT, timeoutMs: 2000 });
  });
  afterAll(async () => {
    await sim?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    await admin('/sim/admin/reset', {});
    sim.setPushUrl(hookUrl);
    received = [];
    failOnce = new Set();
    failAlways = false;
  });

  it('holds pushes until it knows where to send them', async () => {
    sim.setPushUrl(undefined);
    await admin('/sim/admin/push', { events: [event()], serialNo: 'HELD' });
    await new Promise((r) => setTimeout(r, 150));
    expect(received).toEqual([]);
    await admin('/sim/admin/push-url', { url: hookUrl });
    await waitFor(() => received.length === 1);
    expect(received[0]).toMatchObject({ serialNo: 'HELD', events: [event()], code: '00000' });
  });

  it('pushes the same batch again until the hook answers 00000', async () => {
    failOnce.add('RETRY-ME');
    await admin('/sim/admin/push', { events: [event()], serialNo: 'RETRY-ME' });
    await waitFor(() => received.some((r) => r.code === '00000'));
    expect(received.map((r) => [r.serialNo, r.code])).toEqual([
      ['RETRY-ME', 'S00001'],
      ['RETRY-ME', '00000'],
    ]);
    expect(received[1]!.events).toEqual(received[0]!.events);
    expect((await admin<Pushes>('/sim/pushes')).log).toMatchObject([
      { serialNo: 'RETRY-ME', attempts: 2, acknowledged: true },
    ]);
  });

  it('gives a batch up after the last attempt', async () => {
    failAlways = true;
    await admin('/sim/admin/push', { events: [event()], serialNo: 'NEVER' });
    await waitFor(() => received.length === 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(4);
    const pushes = await admin<Pushes>('/sim/pushes');
    expect(pushes.pending).toEqual([]);
    expect(pushes.log).toMatchObject([{ serialNo: 'NEVER', attempts: 4, acknowledged: false }]);
  });

  it('can send an acknowledged batch again, as EMS does, for the hook to de-duplicate', async () => {
    await admin('/sim/admin/push', { events: [event()], serialNo: 'TWICE', repeat: 2 });
    await waitFor(() => received.length === 2);
    expect(received.map((r) => r.serialNo)).toEqual(['TWICE', 'TWICE']);
    expect(effectiveTimeline(eventsFor('1100000000012'))).toHaveLength(1);
  });

  it('with the clock sped up, orders travel their scripted way to the end, in order', async () => {
    // 南京 → 苏州: through both cities' processing centres (each leaves with a 305 and arrives with a 954).
    const travel = ['203', '305', '954', '305', '954', '305'];
    const scripts = {
      delivered: [...travel, '702', '704'],
      failed_then_delivered: [...travel, '702', '705', '702', '704'],
      reversal: [...travel, '702', '704', '743', '704'],
      // Back the way it came, to the sender.
      returned: [...travel, '702', '705', '708', '305', '954', '305', '954', '711'],
    };
    const waybills: Record<string, string> = {};
    for (const outcome of Object.keys(scripts)) {
      const logisticsOrderNo = `ZYT${randomBytes(6).toString('hex')}`;
      await admin('/sim/admin/script', { logisticsOrderNo, outcome });
      waybills[outcome] = (
        await ems.createOrder({
          logisticsOrderNo,
          ecommerceUserId: 'user-1',
          weight: 300,
          pickupType: '0',
          sender: {
            name: '张三',
            mobile: '13800138000',
            prov: '江苏省',
            city: '南京市',
            county: '鼓楼区',
            address: '中山北路1号',
          },
          receiver: {
            name: '李四',
            mobile: '13900139000',
            prov: '江苏省',
            city: '苏州市',
            county: '姑苏区',
            address: '人民路1号',
          },
          cargos: [{ cargoName: '办件结果' }],
        })
      ).waybillNo;
    }
    // One simulated hour every 5 ms: the longest script (45 h) ends in about a quarter of a second.
    await admin('/sim/admin/clock', { speed: 720_000 });
    for (const [outcome, codes] of Object.entries(scripts)) {
      const waybillNo = waybills[outcome]!;
      const events = await waitFor(() => {
        const got = eventsFor(waybillNo);
        return got.length >= codes.length && got;
      });
      expect(
        events.map((e) => e.opCode),
        outcome,
      ).toEqual(codes);
      const times = events.map((e) => parseEmsTime(e.opTime).getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(await ems.queryTracking(waybillNo)).toEqual(events);
    }
    expect(currentStatus(eventsFor(waybills.delivered!))).toBe('delivered');
    expect(eventsFor(waybills.delivered!).at(-1)).toMatchObject({
      opCode: '704',
      deliverCode: '10',
      opOrgCity: '苏州市',
    });
    expect(
      eventsFor(waybills.failed_then_delivered!).find((e) => e.opCode === '705')?.attemptDeliveryCode,
    ).toBe('4');
    expect(effectiveTimeline(eventsFor(waybills.reversal!)).at(-1)).toMatchObject({
      opCode: '704',
      deliverCode: '20',
    });
    expect(currentStatus(eventsFor(waybills.returned!))).toBe('returned');
    const { orders } = await admin<{ orders: { status: string }[] }>('/sim/orders');
    expect(orders.map((o) => o.status).sort()).toEqual(['delivered', 'delivered', 'delivered', 'returned']);
  });

  it('proxies sign with or without relation and ID; parcel points use a locker or a 驿站', async () => {
    const order = async (outcome: string) => {
      const logisticsOrderNo = `ZYT${randomBytes(6).toString('hex')}`;
      await admin('/sim/admin/script', { logisticsOrderNo, outcome });
      const party = {
        name: '李四',
        mobile: '13900139000',
        prov: '江苏省',
        city: '苏州市',
        county: '姑苏区',
        address: '人民路1号',
      };
      return (
        await ems.createOrder({
          logisticsOrderNo,
          ecommerceUserId: 'user-1',
          weight: 300,
          pickupType: '0',
          sender: party,
          receiver: party,
          cargos: [{ cargoName: '办件结果' }],
        })
      ).waybillNo;
    };
    const unverified = await order('proxy_unverified');
    const recorded = await order('proxy_recorded');
    const points = [await order('parcel_point'), await order('parcel_point'), await order('parcel_point')];
    await admin('/sim/admin/clock', { speed: 720_000 });
    const last = (w: string) =>
      waitFor(() => {
        const got = eventsFor(w);
        return got.at(-1)?.opCode === '704' && got;
      });

    const plain = (await last(unverified)).at(-1)!;
    expect(plain).toMatchObject({ deliverCode: '20' });
    expect(plain).not.toHaveProperty('signerRelation');
    expect(plain).not.toHaveProperty('signerIdNo');
    const signed = (await last(recorded)).at(-1)!;
    expect(signed).toMatchObject({ deliverCode: '20', signerRelation: '家属' });
    expect(validateResidentId(signed.signerIdNo!).ok).toBe(true);
    for (const w of points) {
      const codes = (await last(w)).map((e) => `${e.opCode}${e.deliverCode ? `/${e.deliverCode}` : ''}`);
      expect([
        // Within one city: sorted once at its processing centre, never sent from a hub to itself.
        ['203', '305', '954', '305', '702', '747', '704/50'],
        ['203', '305', '954', '305', '702', '704/30'],
      ]).toContainEqual(codes);
    }
  });
});
