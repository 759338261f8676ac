import { sealLogitcs } from './crypto';
import { formatEmsTime } from './time';
import { type EmsTrackEvent, isDomesticWaybillNo, parseTrackEvents } from './tracking';

export type { EmsTrackEvent } from './tracking';

/**
 * EMS open platform (国内协议客户 API). The HTTP client speaks the real protocol; tests and the demo point it at
 * the simulator in simulators/ems.
 */

/** A sender or receiver (寄件人/收件人). */
export interface EmsParty {
  name: string;
  /** 手机. EMS needs a mobile or a landline (phone), at least one. */
  mobile?: string;
  /** 固定电话, e.g. a service centre's switchboard. */
  phone?: string;
  prov: string;
  city: string;
  county: string;
  /** Street address below the county. */
  address: string;
  postCode?: string;
}

export interface EmsCargo {
  cargoName: string;
  cargoQuantity?: number;
  /** Declared value, yuan. */
  cargoValue?: number;
}

/** One 020003 order: creates the order and its waybill (下单取号). */
export interface EmsOrderRequest {
  /** Our order number; EMS answers the same waybill when it sees it again, which makes retries safe. */
  logisticsOrderNo: string;
  /** Our user id for EMS's records (电商客户标识). */
  ecommerceUserId: string;
  /** 内件性质: '1' documents (the default: government materials are papers). */
  contentsAttribute?: string;
  /** 业务产品: '1' 特快专递 (the default). */
  bizProductNo?: string;
  /** Grams. */
  weight: number;
  /** '1' = EMS collects at the door (上门揽收), with the window below. */
  pickupType: string;
  pickupPreBeginTime?: Date;
  pickupPreEndTime?: Date;
  deliverType?: string;
  paymentMode?: string;
  projectId?: string;
  sender: EmsParty;
  receiver: EmsParty;
  cargos: EmsCargo[];
}

/** One piece on the monthly bill (月结账单明细). */
export interface EmsBillItem {
  waybillNo: string;
  logisticsOrderNo: string;
  /** 项目号 the piece was ordered under (we send the service centre), null when none. */
  projectId: string | null;
  /** 收寄 time, Beijing (yyyy-MM-dd HH:mm:ss). */
  postingTime: string;
  /** Grams, as EMS weighed it. */
  weightGrams: number;
  postageFen: number;
}

export interface EmsMonthlyBill {
  /** yyyy-MM, Beijing. */
  billMonth: string;
  projectId: string | null;
  totalFen: number;
  items: EmsBillItem[];
}

export interface EmsApi {
  /** Idempotent: EMS answers the same waybill for a repeated logisticsOrderNo. */
  createOrder(order: EmsOrderRequest): Promise<{ logisticsOrderNo: string; waybillNo: string }>;
  /** 撤单: only before the item is collected. */
  cancelOrder(p: { logisticsOrderNo: string; waybillNo: string; reason: string }): Promise<void>;
  /** Every event so far, oldest first. */
  queryTracking(waybillNo: string): Promise<EmsTrackEvent[]>;
  /**
   * 月结账单: every piece EMS bills us for in a closed month (all pages), for one projectId or the whole account.
   * B0201 while the month is not over.
   */
  monthlyBill(p: { billMonth: string; projectId?: string; pageSize?: number }): Promise<EmsMonthlyBill>;
}

/**
 * A failed EMS call. retCode is EMS's code, or ours when EMS never answered: NETWORK, TIMEOUT, HTTP_<status>,
 * BAD_RESPONSE. retryable says whether the same call may succeed later; every call here is safe to repeat.
 */
export class EmsError extends Error {
  constructor(
    readonly retCode: string,
    readonly retMsg: string,
    readonly retryable: boolean,
    /** EMS's serialNo for the call, to quote to EMS support. */
    readonly serialNo?: string,
  ) {
    super(`EMS ${retCode}: ${retMsg}`);
    this.name = 'EmsError';
  }
}

export const EMS_GATEWAY_PATH = '/api/gateway';

/**
 * 050001 (monthly bill) is not in the published list of the 协议客户 API: EMS hands protocol customers their 月结账单
 * through the same gateway under its own code; the shape is ours to match when the real one is known.
 */
export const EMS_API = {
  createOrder: '020003',
  cancelOrder: '020006',
  queryTracking: '040001',
  monthlyBill: '050001',
} as const;

/** EMS writes amounts in yuan with two decimals ("12.00"). */
export const formatYuan = (fen: number) =>
  `${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
const YUAN = /^\d{1,9}(\.\d{1,2})?$/;
/** "12.5" → 1250; undefined for anything else. */
export function parseYuan(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !YUAN.test(text)) return undefined;
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

const BILL_PAGE_SIZE = 500;

/** Codes starting with S are EMS-side failures (busy, system error) that clear up; B codes are about our request. */
const isBusy = (retCode: string) => retCode.startsWith('S');

export interface EmsClientConfig {
  apiBase: string;
  senderNo: string;
  authorization: string;
  signKey: string;
  timeoutMs: number;
}

export function createEmsClient(cfg: EmsClientConfig): EmsApi {
  const url = `${cfg.apiBase.replace(/\/+$/, '')}${EMS_GATEWAY_PATH}`;

  /** Sends one call and returns retBody, decoded from JSON text when EMS sends it as a string. */
  async function call(apiCode: string, business: unknown): Promise<unknown> {
    const form = new URLSearchParams({
      apiCode,
      senderNo: cfg.senderNo,
      authorization: cfg.authorization,
      msgType: '0',
      timeStamp: formatEmsTime(new Date()),
      version: 'V1.0.0',
      logitcsInterface: sealLogitcs(JSON.stringify(business), cfg.signKey),
    });
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
          accept: 'application/json',
        },
        body: form,
        signal: AbortSignal.timeout(cfg.timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new EmsError('TIMEOUT', `no answer within ${cfg.timeoutMs} ms`, true);
      }
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new EmsError(
        'NETWORK',
        `unreachable: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
        true,
      );
    }
    if (status >= 500) throw new EmsError(`HTTP_${status}`, `HTTP ${status} from EMS`, true);
    if (status !== 200) throw new EmsError(`HTTP_${status}`, `HTTP ${status} from EMS`, false);

    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new EmsError('BAD_RESPONSE', `answer is not JSON: ${text.slice(0, 120)}`, true);
    }
    if (typeof body !== 'object' || body === null || typeof body.retCode !== 'string') {
      throw new EmsError('BAD_RESPONSE', 'answer has no retCode', true);
    }
    const serialNo = typeof body.serialNo === 'string' ? body.serialNo : undefined;
    if (body.retCode !== '00000') {
      throw new EmsError(
        body.retCode,
        typeof body.retMsg === 'string' ? body.retMsg : '',
        isBusy(body.retCode),
        serialNo,
      );
    }
    if (typeof body.retBody !== 'string') return body.retBody;
    try {
      return body.retBody === '' ? null : JSON.parse(body.retBody);
    } catch {
      throw new EmsError('BAD_RESPONSE', 'retBody is not JSON', false, serialNo);
    }
  }

  return {
    async createOrder(order) {
      const { pickupPreBeginTime, pickupPreEndTime, ...rest } = order;
      const wire = {
        contentsAttribute: '1',
        bizProductNo: '1',
        ...rest,
        ...(pickupPreBeginTime && { pickupPreBeginTime: formatEmsTime(pickupPreBeginTime) }),
        ...(pickupPreEndTime && { pickupPreEndTime: formatEmsTime(pickupPreEndTime) }),
      };
      const retBody = await call(EMS_API.createOrder, [wire]);
      const item = (Array.isArray(retBody) ? retBody[0] : retBody) as
        | Record<string, unknown>
        | null
        | undefined;
      const waybillNo = item?.waybillNo;
      if (typeof waybillNo !== 'string' || !isDomesticWaybillNo(waybillNo)) {
        throw new EmsError(
          'BAD_RESPONSE',
          `no 13-digit waybillNo in the answer: ${JSON.stringify(retBody)?.slice(0, 120)}`,
          false,
        );
      }
      if (item?.logisticsOrderNo !== undefined && item.logisticsOrderNo !== order.logisticsOrderNo) {
        throw new EmsError(
          'BAD_RESPONSE',
          `answer is for order ${String(item.logisticsOrderNo)}, not ${order.logisticsOrderNo}`,
          false,
        );
      }
      return { logisticsOrderNo: order.logisticsOrderNo, waybillNo };
    },

    async cancelOrder(p) {
      await call(EMS_API.cancelOrder, {
        logisticsOrderNo: p.logisticsOrderNo,
        waybillNo: p.waybillNo,
        cancelReason: p.reason,
      });
    },

    async queryTracking(waybillNo) {
      const retBody = await call(EMS_API.queryTracking, { waybillNo, direction: '0' });
      // Seen as a bare array, as { responseItems: [...] }, and as nothing when EMS has no events yet.
      const items =
        retBody === null || retBody === undefined
          ? []
          : Array.isArray(retBody)
            ? retBody
            : (retBody as { responseItems?: unknown }).responseItems;
      if (!Array.isArray(items)) {
        throw new EmsError('BAD_RESPONSE', 'tracking answer has no list of events', false);
      }
      const parsed = parseTrackEvents(items);
      if (!parsed.ok) throw new EmsError('BAD_RESPONSE', `tracking answer: ${parsed.problem}`, false);
      return parsed.events;
    },

    async monthlyBill({ billMonth, projectId, pageSize = BILL_PAGE_SIZE }) {
      const items: EmsBillItem[] = [];
      let totalFen = 0;
      for (let pageNo = 1; ; pageNo++) {
        const page = (await call(EMS_API.monthlyBill, {
          billMonth,
          ...(projectId && { projectId }),
          pageNo,
          pageSize,
        })) as Record<string, unknown> | null;
        const raw = page?.items;
        const total = parseYuan(page?.totalPostage);
        if (!Array.isArray(raw) || typeof page?.totalCount !== 'number' || total === undefined) {
          throw new EmsError('BAD_RESPONSE', 'bill answer has no items, totalCount or totalPostage', false);
        }
        totalFen = total;
        for (const [i, r] of (raw as Record<string, unknown>[]).entries()) {
          const postageFen = parseYuan(r?.postage);
          const weightGrams = Number(r?.weight);
          if (
            typeof r?.waybillNo !== 'string' ||
            postageFen === undefined ||
            !Number.isFinite(weightGrams) ||
            typeof r.postingTime !== 'string'
          ) {
            throw new EmsError(
              'BAD_RESPONSE',
              `bill item ${(pageNo - 1) * BILL_PAGE_SIZE + i} is incomplete`,
              false,
            );
          }
          items.push({
            waybillNo: r.waybillNo,
            logisticsOrderNo: typeof r.logisticsOrderNo === 'string' ? r.logisticsOrderNo : '',
            projectId: typeof r.projectId === 'string' ? r.projectId : null,
            postingTime: r.postingTime,
            weightGrams,
            postageFen,
          });
        }
        if (raw.length < pageSize || items.length >= page.totalCount) break;
      }
      return { billMonth, projectId: projectId ?? null, totalFen, items };
    },
  };
}
