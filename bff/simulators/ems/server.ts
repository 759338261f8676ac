import { randomInt, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { residentIdCheckChar } from '@zyt/shared';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  EMS_API,
  EMS_GATEWAY_PATH,
  type EmsParty,
  formatYuan as yuan,
} from '../../src/integrations/ems/client';
import { EmsCryptoError, openLogitcs } from '../../src/integrations/ems/crypto';
import { formatEmsTime, parseEmsTime } from '../../src/integrations/ems/time';
import { currentStatus, type EmsTrackEvent } from '../../src/integrations/ems/tracking';
import { createStateFile } from '../stateFile';
import { encodeTrackPush } from './push';

/**
 * EMS open platform simulator: the same gateway protocol as the real one (form POST, SM4 envelope, retCodes),
 * orders kept in memory and moved through realistic tracking events on a clock that can run fast, and 040002
 * pushes to our hook, repeated until we answer 00000.
 *
 * Gateway: POST /api/gateway (020003 create, 020006 cancel, 040001 tracking, 050001 monthly bill). Admin, JSON:
 *   POST /sim/admin/faults   { errorRate?, latencyMs?, timeoutRate?, downForSeconds?, downMode?: '503' | 'reset' }
 *   POST /sim/admin/clock    { speed?, advanceMinutes? }
 *   POST /sim/admin/reset    forget orders, pushes, scripts and faults; the clock returns to its first speed and
 *                            the default outcome to the `defaultOutcome` option
 *   POST /sim/admin/push-url { url }   where 040002 pushes go (null holds them)
 *   POST /sim/admin/script   { logisticsOrderNo, outcome }   before or just after the order is created
 *   POST /sim/admin/script   { defaultOutcome }   the outcome of every new order not scripted one by one; null
 *                            restores the mix (mostly delivered, each other outcome now and then)
 *   POST /sim/admin/push     { events, serialNo?, repeat? }  events are sealed as given, malformed ones too
 *   POST /sim/admin/posting-date { waybillNos, postedAt }   moves orders' 收寄 date for billing (a closed month)
 *   POST /sim/admin/bill-discrepancies { billMonth, discrepancies: [{ kind, waybillNo?, projectId?, weightGrams?,
 *                            postageFen? }] }   deliberate errors in that month's bill: duplicate (a piece billed
 *                            twice), unknown (a piece that is not ours), weight (billed heavier, priced by it),
 *                            price (billed at another price), omit (a piece of ours left out). Without waybillNo
 *                            each takes the month's next order (of projectId when given)
 *   GET  /sim/orders         every order with its createCalls, outcome, status and events
 *   GET  /sim/pushes         batches waiting and the log of attempts
 *
 * retCodes: B0001 credentials, B0002 decryption/signature, B0003 validation, B0004 apiCode, B0005 timeStamp,
 * B0101 no such order, B0102 already collected, B0103 order cancelled, B0201 billing month not closed, S0001 busy
 * (the only retryable one).
 */

/**
 * How an order ends. proxy_unverified: signed by someone else (704, deliverCode 20) with no relation or ID
 * recorded; proxy_recorded: the same with signerRelation 家属 and a valid resident ID in signerIdNo;
 * parcel_point: put in a locker (747 入柜, then 704 deliverCode 50) or left at a 驿站 (704 deliverCode 30).
 */
export type EmsScriptedOutcome =
  | 'delivered'
  | 'failed_then_delivered'
  | 'reversal'
  | 'returned'
  | 'proxy_unverified'
  | 'proxy_recorded'
  | 'parcel_point';
const OUTCOMES: readonly EmsScriptedOutcome[] = [
  'delivered',
  'failed_then_delivered',
  'reversal',
  'returned',
  'proxy_unverified',
  'proxy_recorded',
  'parcel_point',
];

export interface EmsSimulatorOptions {
  senderNo: string;
  authorization: string;
  signKey: string;
  /** Where tracking pushes go; pushes wait in the outbox until it is set. */
  pushUrl?: string;
  /** Simulated seconds per real second: 1 is real time, 3600 makes an hour pass each second. */
  speed?: number;
  /** How often the clock is checked and pushes are sent; also the first retry delay. Default 1000. */
  pushIntervalMs?: number;
  /** Attempts per push batch before it is given up. Default 8. */
  maxPushAttempts?: number;
  /** The outcome of every order not scripted one by one; unset, each order's number picks from the mix. */
  defaultOutcome?: EmsScriptedOutcome;
  /** Keeps orders, pending pushes and the clock in this JSON file across restarts; unset, state is in memory. */
  stateFile?: string;
  /** The agreed tariff (协议价) the monthly bill prices pieces by, in fen. Default ¥12.00 to 500 g, ¥2.00 per 500 g more. */
  tariff?: EmsTariff;
}

export interface EmsTariff {
  firstFen: number;
  extraPer500Fen: number;
}
const DEFAULT_TARIFF: EmsTariff = { firstFen: 1200, extraPer500Fen: 200 };

/** The simulator's postage for a piece of this weight (first 500 g, then each 500 g or part of it). */
export const tariffPostageFen = (tariff: EmsTariff, grams: number) =>
  tariff.firstFen + Math.ceil(Math.max(0, grams - 500) / 500) * tariff.extraPer500Fen;

export const billDiscrepancyKinds = ['duplicate', 'unknown', 'weight', 'price', 'omit'] as const;
export type BillDiscrepancyKind = (typeof billDiscrepancyKinds)[number];
export interface BillDiscrepancy {
  kind: BillDiscrepancyKind;
  waybillNo?: string;
  projectId?: string;
  weightGrams?: number;
  postageFen?: number;
}

/** What a restart keeps (stateFile). */
interface EmsState {
  now: number;
  speed: number;
  waybillSeq: number;
  defaultOutcome?: EmsScriptedOutcome;
  scripts: [string, EmsScriptedOutcome][];
  orders: SimOrder[];
  outbox: PushBatch[];
  billDiscrepancies?: [string, BillDiscrepancy[]][];
}

export interface EmsSimulator {
  app: FastifyInstance;
  /** Listens (port 0 picks a free port) and resolves to the base URL, e.g. http://127.0.0.1:4102. */
  listen(opts?: { host?: string; port?: number }): Promise<string>;
  setPushUrl(url: string | undefined): void;
  /** Stops the clock and pending pushes and closes the server. */
  close(): Promise<void>;
}

interface Faults {
  errorRate: number;
  latencyMs: number;
  timeoutRate: number;
  downUntil: number;
  downMode: '503' | 'reset';
}

const NO_FAULTS: Faults = { errorRate: 0, latencyMs: 0, timeoutRate: 0, downUntil: 0, downMode: '503' };

interface PlannedEvent {
  /** Simulated epoch ms. */
  at: number;
  event: Omit<EmsTrackEvent, 'waybillNo' | 'opTime'>;
}

interface SimOrder {
  logisticsOrderNo: string;
  waybillNo: string;
  outcome: EmsScriptedOutcome;
  createCalls: number;
  cancelled: boolean;
  pickupAt: number;
  sender: EmsParty;
  receiver: EmsParty;
  plan: PlannedEvent[];
  emitted: EmsTrackEvent[];
  /** opTime of the order's last event (epoch ms, whole seconds). */
  lastStamp: number;
  /** Grams declared; the bill charges by it. Absent in state saved before billing existed (500). */
  weight?: number;
  /** 项目号: which of the customer's cost centres pays (we send the service centre). */
  projectId?: string;
  /** 收寄 date for billing (epoch ms); the order's creation unless moved by the admin API. */
  postedAt?: number;
}

/**
 * Events are stamped with the wall-clock time they happen at, as a real courier's scanner does; only the
 * waiting between them is compressed by the clock's speed. So EMS times line up with the platform's (whose
 * simulator does the same), and a result delivered "21 hours later" at ×40000 is delivered now, not in
 * a fortnight. An order's events get distinct, increasing seconds even when several fall due at once.
 */
function stamp(order: SimOrder): string {
  // Rounded up: EMS times have whole seconds, and a scan must not appear before what caused it.
  order.lastStamp = Math.max(Math.ceil(Date.now() / 1000) * 1000, order.lastStamp + 1000);
  return formatEmsTime(new Date(order.lastStamp));
}

interface PushBatch {
  serialNo: string;
  events: unknown[];
  /** Successful deliveries wanted: more than 1 re-sends an acknowledged batch, as EMS sometimes does. */
  repeat: number;
  delivered: number;
  attempts: number;
  nextAt: number;
  lastError?: string;
}

/** What /sim/pushes reports per batch. */
interface PushRecord {
  serialNo: string;
  events: number;
  attempts: number;
  acknowledged: boolean;
  lastError?: string;
}

const HOUR = 3_600_000;
const HANG_MS = 120_000;
const TIMESTAMP_SKEW_MS = 10 * 60_000;
const PUSH_TIMEOUT_MS = 5_000;
const PUSH_BATCH_MAX = 100;
const PUSH_LOG_MAX = 1000;

/** A cheap stable hash, so each order's fate is the same on every run (FNV-1a). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The mix: 70% delivered first time, 10% need a second attempt, 5% see a reversal, 5% come back, 3% signed by a
 * proxy without relation or ID, 3% with them, 4% at a parcel point.
 */
function mixedOutcome(logisticsOrderNo: string): EmsScriptedOutcome {
  const n = hash(logisticsOrderNo) % 100;
  if (n < 10) return 'failed_then_delivered';
  if (n < 15) return 'reversal';
  if (n < 20) return 'returned';
  if (n < 23) return 'proxy_unverified';
  if (n < 26) return 'proxy_recorded';
  if (n < 30) return 'parcel_point';
  return 'delivered';
}

/** A valid resident ID (GB 11643) for a proxy, the same for a waybill on every run. */
function proxyResidentId(waybillNo: string): string {
  const h = hash(`proxy|${waybillNo}`);
  const birth = `${1950 + (h % 50)}${String(1 + ((h >>> 8) % 12)).padStart(2, '0')}${String(1 + ((h >>> 12) % 28)).padStart(2, '0')}`;
  const first17 = `440112${birth}${String((h >>> 4) % 1000).padStart(3, '0')}`;
  return `${first17}${residentIdCheckChar(first17)}`;
}

function orgCode(party: EmsParty, unit: number): string {
  const base =
    party.postCode && /^\d{6}$/.test(party.postCode)
      ? party.postCode
      : String(100000 + (hash(party.city) % 800000));
  return `${base}${String(unit).padStart(2, '0')}`;
}

/** A city's mail processing centre (邮件处理中心): one per city, whatever the post code of the address. */
const hubCode = (party: EmsParty) => `${100000 + (hash(`${party.prov}|${party.city}`) % 800000)}90`;

/** The events an order goes through for its outcome, at simulated times after pickup. */
function planFor(
  order: Pick<SimOrder, 'pickupAt' | 'sender' | 'receiver' | 'waybillNo' | 'outcome'>,
): PlannedEvent[] {
  const { sender: s, receiver: r, pickupAt: t0 } = order;
  const courier = {
    operatorNo: `1${String(hash(order.waybillNo) % 1e7).padStart(7, '0')}`,
    operatorName: '刘师傅',
  };
  const origin = {
    opOrgProvName: s.prov,
    opOrgCity: s.city,
    opOrgCode: orgCode(s, 1),
    opOrgName: `${s.city}${s.county}揽投部`,
  };
  const originHub = {
    opOrgProvName: s.prov,
    opOrgCity: s.city,
    opOrgCode: hubCode(s),
    opOrgName: `${s.city}邮件处理中心`,
  };
  const destHub = {
    opOrgProvName: r.prov,
    opOrgCity: r.city,
    opOrgCode: hubCode(r),
    opOrgName: `${r.city}邮件处理中心`,
  };
  const dest = {
    opOrgProvName: r.prov,
    opOrgCity: r.city,
    opOrgCode: orgCode(r, 1),
    opOrgName: `${r.city}${r.county}揽投部`,
  };
  const none = { operatorNo: '', operatorName: '' };
  const at = (hours: number) => t0 + hours * HOUR;

  const collected: PlannedEvent = {
    at: at(0),
    event: {
      opCode: '203',
      opName: '收寄',
      opDesc: `【${origin.opOrgName}】已收寄，揽投员：${courier.operatorName}`,
      ...origin,
      ...courier,
    },
  };
  /**
   * The route: origin 揽投部 → the sender's city hub → (another city: the receiver's city hub) → the destination
   * 揽投部. Within one city the piece is sorted once and goes straight out, never from a hub to itself.
   */
  const hubs = originHub.opOrgCode === destHub.opOrgCode ? [originHub] : [originHub, destHub];
  const stops = [origin, ...hubs, dest];
  const travel: PlannedEvent[] = [];
  for (let i = 1; i < stops.length - 1; i++) {
    const from = stops[i - 1]!;
    const hub = stops[i]!;
    travel.push(
      {
        at: at(2 + (i - 1) * 6),
        event: {
          opCode: '305',
          opName: '封车',
          opDesc: `离开【${from.opOrgName}】，下一站【${hub.opOrgName}】`,
          ...from,
          ...none,
        },
      },
      {
        at: at(4 + (i - 1) * 6),
        event: { opCode: '954', opName: '到达处理中心', opDesc: `到达【${hub.opOrgName}】`, ...hub, ...none },
      },
    );
  }
  const lastHub = hubs.at(-1)!;
  travel.push({
    at: at(4 + (hubs.length - 1) * 6 + 3),
    event: {
      opCode: '305',
      opName: '封车',
      opDesc: `离开【${lastHub.opOrgName}】，下一站【${dest.opOrgName}】`,
      ...lastHub,
      ...none,
    },
  });
  const outForDelivery = (h: number): PlannedEvent => ({
    at: at(h),
    event: {
      opCode: '702',
      opName: '投递下段',
      opDesc: `【${dest.opOrgName}】安排投递，投递员：王师傅`,
      ...dest,
      operatorNo: '20000001',
      operatorName: '王师傅',
    },
  });
  const delivered = (
    h: number,
    deliverCode: string,
    who: string,
    proxy?: Pick<EmsTrackEvent, 'signerRelation' | 'signerIdNo'>,
  ): PlannedEvent => ({
    at: at(h),
    event: {
      opCode: '704',
      opName: '妥投',
      opDesc: `已签收，${who}`,
      ...dest,
      operatorNo: '20000001',
      operatorName: '王师傅',
      deliverCode,
      ...proxy,
    },
  });
  const failed = (h: number, attemptDeliveryCode: string, why: string): PlannedEvent => ({
    at: at(h),
    event: {
      opCode: '705',
      opName: '未妥投',
      opDesc: `未妥投，原因：${why}`,
      ...dest,
      operatorNo: '20000001',
      operatorName: '王师傅',
      attemptDeliveryCode,
    },
  });
  const start = [collected, ...travel, outForDelivery(19)];
  // A returned piece goes back the way it came: through the same hubs in reverse, to the sender's 揽投部.
  const back = [dest, ...[...hubs].reverse()];
  const returnTrip: PlannedEvent[] = back.slice(1).flatMap((hub, i) => [
    {
      at: at(24 + i * 5),
      event: {
        opCode: '305',
        opName: '封车',
        opDesc: `离开【${back[i]!.opOrgName}】，退回【${hub.opOrgName}】`,
        ...back[i]!,
        ...none,
      },
    },
    {
      at: at(26 + i * 5),
      event: { opCode: '954', opName: '到达处理中心', opDesc: `到达【${hub.opOrgName}】`, ...hub, ...none },
    },
  ]);

  switch (order.outcome) {
    case 'delivered':
      return [...start, delivered(21, '10', '本人签收')];
    case 'failed_then_delivered':
      return [...start, failed(21, '4', '收件人不在'), outForDelivery(43), delivered(45, '10', '本人签收')];
    case 'reversal':
      return [
        ...start,
        delivered(21, '10', '本人签收'),
        {
          at: at(21.5),
          event: {
            opCode: '743',
            opName: '撤销妥投',
            opDesc: '妥投信息录入有误，撤销妥投',
            ...dest,
            ...none,
          },
        },
        // Signed again by a relative, recorded as the rules want: the story is the reversal, not the proxy.
        delivered(22, '20', '他人代收（家属）', {
          signerRelation: '家属',
          signerIdNo: proxyResidentId(order.waybillNo),
        }),
      ];
    case 'proxy_unverified':
      return [...start, delivered(21, '20', '他人代收')];
    case 'proxy_recorded':
      return [
        ...start,
        delivered(21, '20', '他人代收（家属）', {
          signerRelation: '家属',
          signerIdNo: proxyResidentId(order.waybillNo),
        }),
      ];
    case 'parcel_point':
      // Half go to a locker the addressee empties later, half are left at a 驿站.
      if (hash(`point|${order.waybillNo}`) % 2 === 0) {
        return [
          ...start,
          {
            at: at(20),
            event: {
              opCode: '747',
              opName: '入柜',
              opDesc: `已投递至【${r.county}智能快件箱】，请凭取件码取件`,
              ...dest,
              operatorNo: '20000001',
              operatorName: '王师傅',
            },
          },
          delivered(26, '50', '快递柜签收'),
        ];
      }
      return [...start, delivered(21, '30', '驿站代收')];
    case 'returned':
      return [
        ...start,
        failed(21, '7', '收件人拒收'),
        {
          at: at(23),
          event: { opCode: '708', opName: '退件登记', opDesc: '收件人拒收，退回寄件人', ...dest, ...none },
        },
        ...returnTrip,
        {
          at: at(40),
          event: {
            opCode: '711',
            opName: '退回妥投',
            opDesc: '退回邮件已由寄件人签收',
            ...origin,
            ...courier,
          },
        },
      ];
  }
}

type Problems = string[];

function text(
  problems: Problems,
  obj: Record<string, unknown>,
  field: string,
  at: string,
  max = 100,
): string {
  const v = obj[field];
  if (typeof v !== 'string' || v.trim() === '') {
    problems.push(`${at}${field} 不能为空`);
    return '';
  }
  if (v.length > max) problems.push(`${at}${field} 超过${max}个字符`);
  return v;
}

function party(problems: Problems, raw: unknown, at: string): EmsParty {
  if (typeof raw !== 'object' || raw === null) {
    problems.push(`${at} 不能为空`);
    return { name: '', mobile: '', prov: '', city: '', county: '', address: '' };
  }
  const p = raw as Record<string, unknown>;
  const out: EmsParty = {
    name: text(problems, p, 'name', `${at}.`, 50),
    mobile: typeof p.mobile === 'string' ? p.mobile : '',
    prov: text(problems, p, 'prov', `${at}.`, 20),
    city: text(problems, p, 'city', `${at}.`, 20),
    county: text(problems, p, 'county', `${at}.`, 20),
    address: text(problems, p, 'address', `${at}.`, 200),
  };
  const phone = typeof p.phone === 'string' ? p.phone : '';
  if (!out.mobile && !phone) problems.push(`${at}.mobile 与 ${at}.phone 至少填写一项`);
  if (out.mobile && !/^1[3-9]\d{9}$/.test(out.mobile)) problems.push(`${at}.mobile 手机号格式不正确`);
  if (phone && !/^[\d-]{7,20}$/.test(phone)) problems.push(`${at}.phone 固定电话格式不正确`);
  if (p.postCode !== undefined && p.postCode !== '') {
    if (typeof p.postCode === 'string' && /^\d{6}$/.test(p.postCode)) out.postCode = p.postCode;
    else problems.push(`${at}.postCode 邮编须为6位数字`);
  }
  return out;
}

interface ValidOrder {
  logisticsOrderNo: string;
  weight: number;
  projectId?: string;
  sender: EmsParty;
  receiver: EmsParty;
  pickupBegin?: number;
}

/** Checks a 020003 body the way EMS does: all problems at once, in Chinese. */
function validateOrder(body: unknown): ValidOrder | Problems {
  if (!Array.isArray(body) || body.length !== 1) return ['请求报文须为仅含一个订单的数组'];
  const raw = body[0];
  if (typeof raw !== 'object' || raw === null) return ['订单须为对象'];
  const o = raw as Record<string, unknown>;
  const problems: Problems = [];
  const logisticsOrderNo = text(problems, o, 'logisticsOrderNo', '', 50);
  if (logisticsOrderNo && !/^[\w-]+$/.test(logisticsOrderNo)) {
    problems.push('logisticsOrderNo 只能包含字母、数字、下划线和短横线');
  }
  text(problems, o, 'ecommerceUserId', '', 50);
  for (const code of ['contentsAttribute', 'bizProductNo', 'pickupType'] as const) {
    if (!['string', 'number'].includes(typeof o[code]) || String(o[code]) === '') {
      problems.push(`${code} 不能为空`);
    }
  }
  if (typeof o.weight !== 'number' || !Number.isFinite(o.weight) || o.weight <= 0 || o.weight > 50_000) {
    problems.push('weight 须为1-50000之间的克数');
  }
  let pickupBegin: number | undefined;
  if (String(o.pickupType) === '1') {
    const times: number[] = [];
    for (const f of ['pickupPreBeginTime', 'pickupPreEndTime'] as const) {
      try {
        times.push(parseEmsTime(String(o[f] ?? '')).getTime());
      } catch {
        problems.push(`上门揽收须提供 ${f}（yyyy-MM-dd HH:mm:ss）`);
      }
    }
    if (times.length === 2 && times[0]! >= times[1]!) {
      problems.push('pickupPreBeginTime 须早于 pickupPreEndTime');
    }
    pickupBegin = times[0];
  }
  const sender = party(problems, o.sender, 'sender');
  const receiver = party(problems, o.receiver, 'receiver');
  if (!Array.isArray(o.cargos) || o.cargos.length === 0) {
    problems.push('cargos 至少包含一件内件');
  } else {
    for (const [i, c] of o.cargos.entries()) {
      if (typeof c === 'object' && c !== null)
        text(problems, c as Record<string, unknown>, 'cargoName', `cargos[${i}].`);
      else problems.push(`cargos[${i}] 须为对象`);
    }
  }
  const projectId = typeof o.projectId === 'string' && o.projectId !== '' ? o.projectId : undefined;
  return problems.length > 0
    ? problems
    : { logisticsOrderNo, weight: o.weight as number, projectId, sender, receiver, pickupBegin };
}

class SimClock {
  private virtualAnchor = Date.now();
  private realAnchor = Date.now();
  constructor(public speed: number) {}
  now(): number {
    return this.virtualAnchor + (Date.now() - this.realAnchor) * this.speed;
  }
  setSpeed(speed: number) {
    this.virtualAnchor = this.now();
    this.realAnchor = Date.now();
    this.speed = speed;
  }
  advance(ms: number) {
    this.virtualAnchor += ms;
  }
  /** Continues from a saved simulated time. */
  restore(now: number, speed: number) {
    this.virtualAnchor = now;
    this.realAnchor = Date.now();
    this.speed = speed;
  }
  reset(speed: number) {
    this.virtualAnchor = Date.now();
    this.realAnchor = Date.now();
    this.speed = speed;
  }
}

const isRate = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;

export function createEmsSimulator(opts: EmsSimulatorOptions): EmsSimulator {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const initialSpeed = opts.speed ?? 1;
  const intervalMs = opts.pushIntervalMs ?? 1000;
  const maxAttempts = opts.maxPushAttempts ?? 8;
  const clock = new SimClock(initialSpeed);
  const closing = new AbortController();
  let pushUrl = opts.pushUrl;
  let faults: Faults = { ...NO_FAULTS };
  const orders = new Map<string, SimOrder>();
  const byWaybill = new Map<string, SimOrder>();
  const scripts = new Map<string, EmsScriptedOutcome>();
  let defaultOutcome = opts.defaultOutcome;
  let outbox: PushBatch[] = [];
  let pushLog: PushRecord[] = [];
  let waybillSeq = randomInt(1e8, 9e8);
  const tariff = opts.tariff ?? DEFAULT_TARIFF;
  const billDiscrepancies = new Map<string, BillDiscrepancy[]>();
  const stateFile = createStateFile<EmsState>(opts.stateFile);
  const saved = stateFile.load();
  if (saved) {
    clock.restore(saved.now, saved.speed);
    waybillSeq = saved.waybillSeq;
    defaultOutcome = saved.defaultOutcome;
    for (const [no, outcome] of saved.scripts) scripts.set(no, outcome);
    for (const order of saved.orders) {
      orders.set(order.logisticsOrderNo, order);
      byWaybill.set(order.waybillNo, order);
    }
    outbox = saved.outbox;
    for (const [month, list] of saved.billDiscrepancies ?? []) billDiscrepancies.set(month, list);
  }
  const saveState = () =>
    stateFile.save({
      now: clock.now(),
      speed: clock.speed,
      waybillSeq,
      defaultOutcome,
      scripts: [...scripts],
      orders: [...orders.values()],
      outbox,
      billDiscrepancies: [...billDiscrepancies],
    });

  /** Waits, but ends early when the simulator closes, so a hung request never holds up close(). */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      closing.signal.addEventListener('abort', done);
    });

  function envelope(retCode: string, retMsg: string, retBody: unknown = null) {
    return {
      retCode,
      retMsg,
      // EMS sends retBody as JSON text; the client accepts it either way.
      retBody: retBody === null ? null : JSON.stringify(retBody),
      retDate: formatEmsTime(new Date()),
      serialNo: randomUUID().replaceAll('-', ''),
    };
  }

  function createOrder(business: unknown) {
    const valid = validateOrder(business);
    if (Array.isArray(valid)) return envelope('B0003', `参数校验失败：${valid.join('；')}`);
    const existing = orders.get(valid.logisticsOrderNo);
    if (existing) {
      existing.createCalls++;
      if (existing.cancelled) {
        return envelope('B0103', `订单 ${existing.logisticsOrderNo} 已撤单，请使用新的 logisticsOrderNo`);
      }
      return envelope('00000', '成功', [
        { logisticsOrderNo: existing.logisticsOrderNo, waybillNo: existing.waybillNo },
      ]);
    }
    const now = clock.now();
    // The courier comes an hour after the order, or in the promised window if that is later.
    const pickupAt = Math.max(now + HOUR, (valid.pickupBegin ?? 0) + HOUR / 2);
    const order: SimOrder = {
      logisticsOrderNo: valid.logisticsOrderNo,
      waybillNo: `11${String(waybillSeq++).padStart(11, '0')}`,
      outcome: scripts.get(valid.logisticsOrderNo) ?? defaultOutcome ?? mixedOutcome(valid.logisticsOrderNo),
      createCalls: 1,
      cancelled: false,
      pickupAt,
      sender: valid.sender,
      receiver: valid.receiver,
      plan: [],
      emitted: [],
      lastStamp: 0,
      weight: valid.weight,
      projectId: valid.projectId,
      postedAt: Date.now(),
    };
    order.plan = planFor(order);
    orders.set(order.logisticsOrderNo, order);
    byWaybill.set(order.waybillNo, order);
    return envelope('00000', '成功', [
      { logisticsOrderNo: order.logisticsOrderNo, waybillNo: order.waybillNo },
    ]);
  }

  function cancelOrder(business: unknown) {
    const b = (business ?? {}) as Record<string, unknown>;
    const problems: Problems = [];
    text(problems, b, 'logisticsOrderNo', '', 50);
    text(problems, b, 'waybillNo', '', 20);
    text(problems, b, 'cancelReason', '', 100);
    if (problems.length) return envelope('B0003', `参数校验失败：${problems.join('；')}`);
    const order = orders.get(String(b.logisticsOrderNo));
    if (!order || order.waybillNo !== b.waybillNo) {
      return envelope('B0101', '订单不存在：logisticsOrderNo 与 waybillNo 不匹配');
    }
    if (order.cancelled) return envelope('00000', '成功');
    if (order.emitted.length > 0) return envelope('B0102', '邮件已收寄，不能撤单');
    order.cancelled = true;
    const event: EmsTrackEvent = {
      waybillNo: order.waybillNo,
      opTime: stamp(order),
      opCode: '801',
      opName: '撤单',
      opDesc: `寄件人撤单：${String(b.cancelReason)}`,
      opOrgProvName: order.sender.prov,
      opOrgCity: order.sender.city,
      opOrgCode: orgCode(order.sender, 1),
      opOrgName: `${order.sender.city}${order.sender.county}揽投部`,
      operatorNo: '',
      operatorName: '',
    };
    order.emitted.push(event);
    enqueue([event]);
    return envelope('00000', '成功');
  }

  function queryTracking(business: unknown) {
    const b = (business ?? {}) as Record<string, unknown>;
    if (typeof b.waybillNo !== 'string' || b.waybillNo === '') {
      return envelope('B0003', '参数校验失败：waybillNo 不能为空');
    }
    const order = byWaybill.get(b.waybillNo);
    if (!order) return envelope('00000', '无查询信息', []);
    return envelope('00000', '成功', b.direction === '1' ? [...order.emitted].reverse() : order.emitted);
  }

  /** Beijing month (yyyy-MM) of an instant. */
  const monthOf = (ms: number) => formatEmsTime(new Date(ms)).slice(0, 7);

  /**
   * 050001 月结账单: every piece posted (收寄) in a closed Beijing month and not cancelled, priced by the tariff,
   * for the whole customer or one projectId, a page at a time; with the month's scripted discrepancies.
   */
  function monthlyBill(business: unknown) {
    const b = (business ?? {}) as Record<string, unknown>;
    const billMonth = typeof b.billMonth === 'string' ? b.billMonth : '';
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(billMonth)) {
      return envelope('B0003', '参数校验失败：billMonth 须为 yyyy-MM');
    }
    const pageNo = b.pageNo === undefined ? 1 : Number(b.pageNo);
    const pageSize = b.pageSize === undefined ? 500 : Number(b.pageSize);
    if (
      !Number.isInteger(pageNo) ||
      pageNo < 1 ||
      !Number.isInteger(pageSize) ||
      pageSize < 1 ||
      pageSize > 1000
    ) {
      return envelope('B0003', '参数校验失败：pageNo 须为正整数，pageSize 须为1-1000');
    }
    if (billMonth >= monthOf(Date.now())) {
      return envelope('B0201', `账期 ${billMonth} 尚未结束，月结账单于次月1日生成`);
    }
    const projectId = typeof b.projectId === 'string' && b.projectId !== '' ? b.projectId : undefined;
    const lines = billLines(billMonth).filter((l) => !projectId || l.projectId === projectId);
    const totalFen = lines.reduce((sum, l) => sum + l.postageFen, 0);
    return envelope('00000', '成功', {
      billMonth,
      senderNo: opts.senderNo,
      projectId: projectId ?? null,
      totalCount: lines.length,
      totalPostage: yuan(totalFen),
      pageNo,
      pageSize,
      items: lines.slice((pageNo - 1) * pageSize, pageNo * pageSize).map(({ postageFen, ...l }) => ({
        ...l,
        postage: yuan(postageFen),
      })),
    });
  }

  interface BillLine {
    waybillNo: string;
    logisticsOrderNo: string;
    projectId: string | null;
    postingTime: string;
    weight: number;
    postageFen: number;
  }

  function billLines(billMonth: string): BillLine[] {
    const posted = [...orders.values()]
      .filter((o) => !o.cancelled && monthOf(o.postedAt ?? 0) === billMonth)
      .sort((x, y) => (x.postedAt ?? 0) - (y.postedAt ?? 0) || x.waybillNo.localeCompare(y.waybillNo));
    const line = (o: SimOrder): BillLine => ({
      waybillNo: o.waybillNo,
      logisticsOrderNo: o.logisticsOrderNo,
      projectId: o.projectId ?? null,
      postingTime: formatEmsTime(new Date(o.postedAt ?? 0)),
      weight: o.weight ?? 500,
      postageFen: tariffPostageFen(tariff, o.weight ?? 500),
    });
    const lines = posted.map(line);
    const used = new Set<string>();
    const pick = (d: BillDiscrepancy) => {
      const found = d.waybillNo
        ? lines.find((l) => l.waybillNo === d.waybillNo)
        : lines.find((l) => !used.has(l.waybillNo) && (!d.projectId || l.projectId === d.projectId));
      if (found) used.add(found.waybillNo);
      return found;
    };
    for (const [i, d] of (billDiscrepancies.get(billMonth) ?? []).entries()) {
      if (d.kind === 'unknown') {
        const weight = d.weightGrams ?? 500;
        lines.push({
          waybillNo: d.waybillNo ?? `19${String(900_000_000 + i).padStart(11, '0')}`,
          logisticsOrderNo: `UNKNOWN${i + 1}`,
          projectId: d.projectId ?? posted[0]?.projectId ?? null,
          postingTime: `${billMonth}-15 10:00:00`,
          weight,
          postageFen: d.postageFen ?? tariffPostageFen(tariff, weight),
        });
        continue;
      }
      const target = pick(d);
      if (!target) continue;
      if (d.kind === 'duplicate') lines.push({ ...target });
      else if (d.kind === 'omit') lines.splice(lines.indexOf(target), 1);
      else if (d.kind === 'weight') {
        target.weight = d.weightGrams ?? target.weight + 1000;
        target.postageFen = d.postageFen ?? tariffPostageFen(tariff, target.weight);
      } else target.postageFen = d.postageFen ?? target.postageFen + 500;
    }
    return lines;
  }

  function enqueue(events: unknown[], serialNo?: string, repeat = 1) {
    for (let i = 0; i < events.length; i += PUSH_BATCH_MAX) {
      outbox.push({
        serialNo: serialNo ?? randomUUID().replaceAll('-', '').toUpperCase(),
        events: events.slice(i, i + PUSH_BATCH_MAX),
        repeat,
        delivered: 0,
        attempts: 0,
        nextAt: 0,
      });
    }
  }

  /** Moves every order's clock forward: due events are recorded (for 040001) and queued for pushing. */
  function advanceOrders() {
    const now = clock.now();
    const due: EmsTrackEvent[] = [];
    for (const order of orders.values()) {
      while (!order.cancelled) {
        const next = order.plan[order.emitted.length];
        if (!next || next.at > now) break;
        const event: EmsTrackEvent = {
          ...next.event,
          waybillNo: order.waybillNo,
          opTime: stamp(order),
        };
        order.emitted.push(event);
        due.push(event);
      }
    }
    if (due.length) enqueue(due);
  }

  let pushing = false;
  /** Sends due batches one at a time; a batch is done when the hook answers code 00000. */
  async function pump() {
    if (pushing || !pushUrl || closing.signal.aborted) return;
    pushing = true;
    try {
      for (let batch = dueBatch(); batch && pushUrl && !closing.signal.aborted; batch = dueBatch()) {
        const error = await pushOnce(pushUrl, batch);
        // A reset while the push was under way forgot this batch: leave it forgotten.
        if (!outbox.includes(batch)) continue;
        let entry = pushLog.find((p) => p.serialNo === batch.serialNo);
        if (!entry) {
          entry = { serialNo: batch.serialNo, events: batch.events.length, attempts: 0, acknowledged: false };
          pushLog.push(entry);
          if (pushLog.length > PUSH_LOG_MAX) pushLog.shift();
        }
        entry.attempts++;
        if (!error) {
          entry.acknowledged = true;
          batch.delivered++;
          if (batch.delivered >= batch.repeat) outbox = outbox.filter((b) => b !== batch);
          continue;
        }
        entry.lastError = error;
        batch.lastError = error;
        batch.attempts++;
        if (batch.attempts >= maxAttempts) outbox = outbox.filter((b) => b !== batch);
        else batch.nextAt = Date.now() + Math.min(intervalMs * 2 ** (batch.attempts - 1), 60_000);
      }
    } finally {
      pushing = false;
    }
  }

  function dueBatch(): PushBatch | undefined {
    const now = Date.now();
    return outbox.find((b) => b.nextAt <= now);
  }

  /** One push attempt; returns why it failed, or undefined when acknowledged. */
  async function pushOnce(url: string, batch: PushBatch): Promise<string | undefined> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(encodeTrackPush(batch.events, opts, batch.serialNo)),
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(PUSH_TIMEOUT_MS)]),
      });
      const answer = (await res.json().catch(() => null)) as { code?: unknown; codeMessage?: unknown } | null;
      if (answer?.code === '00000') return undefined;
      return `HTTP ${res.status}, code ${String(answer?.code)}${answer?.codeMessage ? `: ${String(answer.codeMessage)}` : ''}`;
    } catch (err) {
      return `push failed: ${(err as Error).message}`;
    }
  }

  const ticker = setInterval(() => {
    advanceOrders();
    void pump();
    saveState();
  }, intervalMs);
  ticker.unref();

  app.addHook('preClose', async () => {
    clearInterval(ticker);
    closing.abort();
    saveState();
  });

  // EMS posts forms; parse them without a plugin (a repeated key keeps its last value).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  // Faults hit the gateway only, so tests can always reach the admin endpoints.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith(EMS_GATEWAY_PATH) || Date.now() >= faults.downUntil) return;
    if (faults.downMode === 'reset') {
      reply.hijack();
      req.raw.socket.destroy();
      return;
    }
    return reply
      .code(503)
      .type('text/html')
      .send('<html><body>503 Service Temporarily Unavailable</body></html>');
  });

  app.post(EMS_GATEWAY_PATH, async (req, reply: FastifyReply) => {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (Math.random() < faults.timeoutRate) {
      await sleep(HANG_MS);
      reply.hijack();
      req.raw.socket.destroy();
      return;
    }
    if (Math.random() < faults.errorRate) return envelope('S0001', '系统繁忙，请稍后再试');

    const form = (req.body ?? {}) as Record<string, unknown>;
    const missing = ['apiCode', 'senderNo', 'authorization', 'timeStamp', 'logitcsInterface'].filter(
      (f) => typeof form[f] !== 'string' || form[f] === '',
    );
    if (missing.length) {
      return envelope(
        'B0003',
        `缺少公共参数：${missing.join('、')}（须以 application/x-www-form-urlencoded 提交）`,
      );
    }
    const { apiCode, senderNo, authorization, timeStamp, logitcsInterface } = form as {
      apiCode: string;
      senderNo: string;
      authorization: string;
      timeStamp: string;
      logitcsInterface: string;
    };
    if (senderNo !== opts.senderNo || authorization !== opts.authorization) {
      return envelope('B0001', '协议客户号（senderNo）或授权码（authorization）错误，或授权已失效');
    }
    let sentAt: number;
    try {
      sentAt = parseEmsTime(timeStamp).getTime();
    } catch {
      return envelope('B0003', `timeStamp 格式错误：须为北京时间 yyyy-MM-dd HH:mm:ss，收到 "${timeStamp}"`);
    }
    if (Math.abs(sentAt - Date.now()) > TIMESTAMP_SKEW_MS) {
      return envelope(
        'B0005',
        `timeStamp 与服务器时间相差超过10分钟：收到 ${timeStamp}，服务器北京时间 ${formatEmsTime(new Date())}`,
      );
    }
    let business: unknown;
    try {
      business = JSON.parse(openLogitcs(logitcsInterface, opts.signKey));
    } catch (err) {
      const why =
        err instanceof EmsCryptoError
          ? {
              NO_PREFIX: '报文须以 |$4| 开头',
              BAD_BASE64: '密文不是合法的 Base64 或长度不是16字节的整数倍',
              DECRYPT_FAILED: 'SM4 解密失败（填充校验不通过）',
              SIGN_KEY_MISMATCH: '明文末尾不是 signKey，验签失败',
              BAD_UTF8: '解密结果不是 UTF-8 文本',
              BAD_KEY: 'signKey 配置错误',
            }[err.code]
          : '解密结果不是 JSON';
      return envelope(
        'B0002',
        `logitcsInterface 解密/验签失败：${why}。请确认使用的是开放平台为协议客户号 ${senderNo} 下发的 signKey（Base64 字符串，解码后16字节）`,
      );
    }
    switch (apiCode) {
      case EMS_API.createOrder:
        return createOrder(business);
      case EMS_API.cancelOrder:
        return cancelOrder(business);
      case EMS_API.queryTracking:
        return queryTracking(business);
      case EMS_API.monthlyBill:
        return monthlyBill(business);
      default:
        return envelope('B0004', `不支持的接口代码 apiCode=${apiCode}`);
    }
  });

  const invalid = (reply: FastifyReply, message: string) =>
    reply.code(400).send({ error: { code: 'VALIDATION_FAILED', message } });

  app.post<{ Body: Record<string, unknown> | undefined }>('/sim/admin/faults', async (req, reply) => {
    const b = req.body ?? {};
    if (b.errorRate !== undefined && !isRate(b.errorRate)) {
      return invalid(reply, 'errorRate 须在 0 到 1 之间');
    }
    if (b.timeoutRate !== undefined && !isRate(b.timeoutRate)) {
      return invalid(reply, 'timeoutRate 须在 0 到 1 之间');
    }
    for (const f of ['latencyMs', 'downForSeconds'] as const) {
      if (b[f] !== undefined && !(typeof b[f] === 'number' && b[f] >= 0 && b[f] <= 86_400_000)) {
        return invalid(reply, `${f} 须为非负数`);
      }
    }
    if (b.downMode !== undefined && b.downMode !== '503' && b.downMode !== 'reset') {
      return invalid(reply, "downMode 须为 '503' 或 'reset'");
    }
    faults = {
      errorRate: (b.errorRate as number | undefined) ?? faults.errorRate,
      timeoutRate: (b.timeoutRate as number | undefined) ?? faults.timeoutRate,
      latencyMs: (b.latencyMs as number | undefined) ?? faults.latencyMs,
      downUntil:
        b.downForSeconds !== undefined ? Date.now() + (b.downForSeconds as number) * 1000 : faults.downUntil,
      downMode: (b.downMode as Faults['downMode'] | undefined) ?? faults.downMode,
    };
    return { ...faults, downForSeconds: Math.max(0, (faults.downUntil - Date.now()) / 1000) };
  });

  app.post<{ Body: { speed?: unknown; advanceMinutes?: unknown } | undefined }>(
    '/sim/admin/clock',
    async (req, reply) => {
      const { speed, advanceMinutes } = req.body ?? {};
      if (speed !== undefined && !(typeof speed === 'number' && speed > 0 && speed <= 1e7)) {
        return invalid(reply, 'speed 须为 0 到 10000000 之间的正数');
      }
      if (advanceMinutes !== undefined && !(typeof advanceMinutes === 'number' && advanceMinutes >= 0)) {
        return invalid(reply, 'advanceMinutes 须为非负数');
      }
      if (typeof speed === 'number') clock.setSpeed(speed);
      if (typeof advanceMinutes === 'number') clock.advance(advanceMinutes * 60_000);
      advanceOrders();
      void pump();
      return { speed: clock.speed, now: formatEmsTime(new Date(clock.now())) };
    },
  );

  app.post('/sim/admin/reset', async () => {
    orders.clear();
    byWaybill.clear();
    scripts.clear();
    defaultOutcome = opts.defaultOutcome;
    billDiscrepancies.clear();
    outbox = [];
    pushLog = [];
    faults = { ...NO_FAULTS };
    clock.reset(initialSpeed);
    return { ok: true };
  });

  app.post<{ Body: { url?: unknown } | undefined }>('/sim/admin/push-url', async (req, reply) => {
    const url = req.body?.url;
    if (url !== null && !(typeof url === 'string' && /^https?:\/\//.test(url))) {
      return invalid(reply, 'url 须为 http(s) 地址或 null');
    }
    pushUrl = url ?? undefined;
    void pump();
    return { pushUrl: pushUrl ?? null };
  });

  app.post<{
    Body: { logisticsOrderNo?: unknown; outcome?: unknown; defaultOutcome?: unknown } | undefined;
  }>('/sim/admin/script', async (req, reply) => {
    const body = req.body ?? {};
    const { logisticsOrderNo, outcome } = body;
    if ('defaultOutcome' in body && logisticsOrderNo === undefined) {
      const wanted = body.defaultOutcome;
      if (wanted !== null && !OUTCOMES.includes(wanted as EmsScriptedOutcome)) {
        return invalid(reply, `defaultOutcome 须为 ${OUTCOMES.join(' / ')} 或 null`);
      }
      defaultOutcome = (wanted as EmsScriptedOutcome | null) ?? undefined;
      return { defaultOutcome: defaultOutcome ?? null };
    }
    if (typeof logisticsOrderNo !== 'string' || logisticsOrderNo === '') {
      return invalid(reply, 'logisticsOrderNo 不能为空');
    }
    if (!OUTCOMES.includes(outcome as EmsScriptedOutcome)) {
      return invalid(reply, `outcome 须为 ${OUTCOMES.join(' / ')}`);
    }
    const order = orders.get(logisticsOrderNo);
    // Every outcome shares the first four events, so an order can be re-scripted until it is out for delivery.
    if (order && order.emitted.length > 4) {
      return reply.code(409).send({ error: { code: 'TOO_LATE', message: '该订单已投递，不能再改变结局' } });
    }
    scripts.set(logisticsOrderNo, outcome as EmsScriptedOutcome);
    if (order) {
      order.outcome = outcome as EmsScriptedOutcome;
      order.plan = planFor(order);
    }
    return { logisticsOrderNo, outcome };
  });

  app.post<{ Body: { events?: unknown; serialNo?: unknown; repeat?: unknown } | undefined }>(
    '/sim/admin/push',
    async (req, reply) => {
      const { events, serialNo, repeat } = req.body ?? {};
      if (!Array.isArray(events)) {
        return invalid(reply, 'events 须为数组（原样加密推送，可含故意错误的条目）');
      }
      if (serialNo !== undefined && !(typeof serialNo === 'string' && serialNo !== '')) {
        return invalid(reply, 'serialNo 须为非空字符串');
      }
      if (
        repeat !== undefined &&
        !(Number.isInteger(repeat) && (repeat as number) >= 1 && (repeat as number) <= 10)
      )
        return invalid(reply, 'repeat 须为 1-10');
      const id = (serialNo as string | undefined) ?? randomUUID().replaceAll('-', '').toUpperCase();
      outbox.push({
        serialNo: id,
        events,
        repeat: (repeat as number | undefined) ?? 1,
        delivered: 0,
        attempts: 0,
        nextAt: 0,
      });
      void pump();
      return { serialNo: id };
    },
  );

  app.post<{ Body: { waybillNos?: unknown; postedAt?: unknown } | undefined }>(
    '/sim/admin/posting-date',
    async (req, reply) => {
      const { waybillNos, postedAt } = req.body ?? {};
      if (!Array.isArray(waybillNos) || !waybillNos.every((w) => typeof w === 'string')) {
        return invalid(reply, 'waybillNos 须为运单号数组');
      }
      let at: number;
      try {
        at = parseEmsTime(String(postedAt)).getTime();
      } catch {
        return invalid(reply, 'postedAt 须为北京时间 yyyy-MM-dd HH:mm:ss');
      }
      const unknown = waybillNos.filter((w) => !byWaybill.has(w));
      if (unknown.length) return invalid(reply, `没有这些运单：${unknown.join('、')}`);
      for (const w of waybillNos) byWaybill.get(w)!.postedAt = at;
      return { moved: waybillNos.length, postedAt: formatEmsTime(new Date(at)) };
    },
  );

  app.post<{ Body: { billMonth?: unknown; discrepancies?: unknown } | undefined }>(
    '/sim/admin/bill-discrepancies',
    async (req, reply) => {
      const { billMonth, discrepancies } = req.body ?? {};
      if (typeof billMonth !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(billMonth)) {
        return invalid(reply, 'billMonth 须为 yyyy-MM');
      }
      if (!Array.isArray(discrepancies)) return invalid(reply, 'discrepancies 须为数组');
      const list: BillDiscrepancy[] = [];
      for (const raw of discrepancies as Record<string, unknown>[]) {
        if (!billDiscrepancyKinds.includes(raw?.kind as BillDiscrepancyKind)) {
          return invalid(reply, `kind 须为 ${billDiscrepancyKinds.join(' / ')}`);
        }
        for (const f of ['weightGrams', 'postageFen'] as const) {
          if (raw[f] !== undefined && !(Number.isInteger(raw[f]) && (raw[f] as number) > 0)) {
            return invalid(reply, `${f} 须为正整数`);
          }
        }
        for (const f of ['waybillNo', 'projectId'] as const) {
          if (raw[f] !== undefined && typeof raw[f] !== 'string') return invalid(reply, `${f} 须为字符串`);
        }
        list.push({
          kind: raw.kind as BillDiscrepancyKind,
          waybillNo: raw.waybillNo as string | undefined,
          projectId: raw.projectId as string | undefined,
          weightGrams: raw.weightGrams as number | undefined,
          postageFen: raw.postageFen as number | undefined,
        });
      }
      billDiscrepancies.set(billMonth, list);
      return { billMonth, discrepancies: list };
    },
  );

  app.get('/sim/orders', async () => ({
    now: formatEmsTime(new Date(clock.now())),
    speed: clock.speed,
    orders: [...orders.values()].map((o) => ({
      logisticsOrderNo: o.logisticsOrderNo,
      waybillNo: o.waybillNo,
      /** How many 020003 calls named this order; it was created once however many there were. */
      createCalls: o.createCalls,
      outcome: o.outcome,
      cancelled: o.cancelled,
      weight: o.weight ?? 500,
      projectId: o.projectId ?? null,
      postedAt: formatEmsTime(new Date(o.postedAt ?? 0)),
      /** Where each party is, as received (tests check the regions; names and phones stay out). */
      sender: { prov: o.sender.prov, city: o.sender.city, county: o.sender.county },
      receiver: { prov: o.receiver.prov, city: o.receiver.city, county: o.receiver.county },
      status: currentStatus(o.emitted),
      events: o.emitted,
    })),
  }));

  app.get('/sim/pushes', async () => ({
    pushUrl: pushUrl ?? null,
    pending: outbox.map((b) => ({
      serialNo: b.serialNo,
      events: b.events.length,
      attempts: b.attempts,
      lastError: b.lastError,
    })),
    log: pushLog,
  }));

  return {
    app,
    async listen({ host = '127.0.0.1', port = 0 } = {}) {
      await app.listen({ host, port });
      return `http://${host}:${(app.server.address() as AddressInfo).port}`;
    },
    setPushUrl(url) {
      pushUrl = url;
      void pump();
    },
    close: () => app.close(),
  };
}
