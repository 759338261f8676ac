import { attemptDeliveryReason } from '@zyt/shared';
import type { ShipmentFlag } from '../../db/schema/shipments';
import { EmsCryptoError, openLogitcs } from './crypto';
import { isEmsTime, parseEmsTime } from './time';

export { formatEmsTime, parseEmsTime } from './time';

/**
 * EMS tracking events (轨迹): the items of a 040002 push and of a 040001 query answer. Strings are kept as EMS
 * sent them, so the raw code can be stored next to our unified status.
 */
export interface EmsTrackEvent {
  /** 邮件号 */
  waybillNo: string;
  /** `yyyy-MM-dd HH:mm:ss`, Beijing time; parseEmsTime() turns it into a Date. */
  opTime: string;
  /** 操作码, e.g. "704" 妥投 */
  opCode: string;
  opName: string;
  opDesc: string;
  opOrgProvName: string;
  opOrgCity: string;
  opOrgCode: string;
  opOrgName: string;
  operatorNo: string;
  operatorName: string;
  /** On 704: who signed (10 addressee, 20 someone else, 30/50 pickup point/locker, 60 mailroom, 70 property office). */
  deliverCode?: string;
  /** On 705: why delivery failed (e.g. 4 addressee absent, 7 refused). */
  attemptDeliveryCode?: string;
  /**
   * On a 704 signed by someone else (deliverCode 20): their relation to the addressee (与收件人关系, e.g. 家属).
   * Not in the EMS documents we have: OUR ASSUMPTION of the binding, because the Gansu delivery rule says a
   * proxy receipt must record the proxy's relation and ID. Absent when the courier recorded none.
   */
  signerRelation?: string;
  /**
   * …and the proxy's ID number (代收人证件号), same assumption. Personal data: sealed at rest, never kept in `raw`,
   * never logged.
   */
  signerIdNo?: string;
}

export type EmsUnifiedStatus =
  | 'pending'
  | 'picked_up'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'delivery_failed'
  | 'returning'
  | 'returned'
  | 'cancelled'
  | 'exception';

export const TRACK_PUSH_API_CODE = '040002';

const TEXT_FIELDS = [
  'opName',
  'opDesc',
  'opOrgProvName',
  'opOrgCity',
  'opOrgCode',
  'opOrgName',
  'operatorNo',
  'operatorName',
] as const;

/** Validates one raw item; returns a problem description or the event. EMS leaves unknown texts null. */
function toTrackEvent(raw: unknown, at: string): EmsTrackEvent | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `${at} is not an object`;
  const r = raw as Record<string, unknown>;
  if (typeof r.waybillNo !== 'string' || !/^[0-9A-Z]{8,32}$/.test(r.waybillNo)) {
    return `${at}.waybillNo is not a waybill number`;
  }
  if (typeof r.opTime !== 'string' || !isEmsTime(r.opTime)) return `${at}.opTime is not yyyy-MM-dd HH:mm:ss`;
  if (typeof r.opCode !== 'string' || !/^[0-9A-Z]{1,8}$/.test(r.opCode)) {
    return `${at}.opCode is not an operation code`;
  }
  const event: EmsTrackEvent = {
    waybillNo: r.waybillNo,
    opTime: r.opTime,
    opCode: r.opCode,
    opName: '',
    opDesc: '',
    opOrgProvName: '',
    opOrgCity: '',
    opOrgCode: '',
    opOrgName: '',
    operatorNo: '',
    operatorName: '',
  };
  for (const field of TEXT_FIELDS) {
    const value = r[field];
    if (typeof value === 'string') event[field] = value;
    else if (value !== undefined && value !== null) return `${at}.${field} is not a string`;
  }
  for (const field of ['deliverCode', 'attemptDeliveryCode'] as const) {
    const value = r[field];
    if (typeof value === 'string' && value !== '') event[field] = value;
    else if (value !== undefined && value !== null && value !== '') return `${at}.${field} is not a string`;
  }
  // Problems name the field, never the value: the ID number must not reach a log.
  const relation = optionalText(r.signerRelation);
  if (relation === false || (relation !== undefined && relation.length > 20)) {
    return `${at}.signerRelation is not a relation (text up to 20 characters)`;
  }
  if (relation) event.signerRelation = relation;
  const idNo = optionalText(r.signerIdNo);
  if (idNo === false || (idNo !== undefined && !ID_DOCUMENT_NO.test(idNo))) {
    return `${at}.signerIdNo is not an ID document number`;
  }
  if (idNo) event.signerIdNo = idNo.toUpperCase();
  return event;
}

/** Resident ID (18), passports and 港澳台 passes: letters, digits and the brackets of HK check digits. */
const ID_DOCUMENT_NO = /^[0-9A-Za-z()（）-]{6,32}$/;

/** A trimmed text, undefined when absent or blank, false when not a string. */
function optionalText(value: unknown): string | undefined | false {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return false;
  return value.trim() || undefined;
}

/**
 * Validates a list of raw items (an array, or a single object as some EMS pushes carry). Returns the events or
 * the first problem found.
 */
export function parseTrackEvents(
  raw: unknown,
): { ok: true; events: EmsTrackEvent[] } | { ok: false; problem: string } {
  const items = Array.isArray(raw) ? raw : [raw];
  const events: EmsTrackEvent[] = [];
  for (const [i, item] of items.entries()) {
    const parsed = toTrackEvent(item, `items[${i}]`);
    if (typeof parsed === 'string') return { ok: false, problem: parsed };
    events.push(parsed);
  }
  return { ok: true, events };
}

export type EmsPushFailure = 'SENDER_MISMATCH' | 'BAD_CIPHERTEXT' | 'BAD_PAYLOAD';

/** A tracking push we refuse. serialNo is set when the envelope had one, so the reply can still echo it. */
export class EmsPushError extends Error {
  constructor(
    readonly reason: EmsPushFailure,
    message: string,
    readonly serialNo?: string,
  ) {
    super(message);
    this.name = 'EmsPushError';
  }
}

export interface EmsPushBody {
  logitcsInterface: string;
  method: string;
  msgType: string;
  senderNo: string;
  serialNo: string;
  timeStamp: string;
  version: string;
}

/**
 * Decodes a 040002 tracking push (the JSON body EMS posts to us). The signKey decryption is what proves the
 * push came from EMS; senderNo is only compared when present, because EMS has been seen pushing it empty.
 */
export function decodeTrackPush(
  body: unknown,
  cfg: { senderNo: string; signKey: string },
): { serialNo: string; events: EmsTrackEvent[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EmsPushError('BAD_PAYLOAD', 'push body is not a JSON object');
  }
  const b = body as Record<string, unknown>;
  const serialNo = typeof b.serialNo === 'string' && b.serialNo !== '' ? b.serialNo : undefined;
  if (!serialNo) throw new EmsPushError('BAD_PAYLOAD', 'push has no serialNo');
  for (const field of ['method', 'msgType', 'senderNo', 'timeStamp', 'version'] as const) {
    if (b[field] !== undefined && b[field] !== null && typeof b[field] !== 'string') {
      throw new EmsPushError('BAD_PAYLOAD', `push ${field} is not a string`, serialNo);
    }
  }
  if (typeof b.method === 'string' && b.method !== TRACK_PUSH_API_CODE) {
    throw new EmsPushError(
      'BAD_PAYLOAD',
      `push method is "${b.method}", expected ${TRACK_PUSH_API_CODE}`,
      serialNo,
    );
  }
  if (typeof b.senderNo === 'string' && b.senderNo !== '' && b.senderNo !== cfg.senderNo) {
    throw new EmsPushError(
      'SENDER_MISMATCH',
      `push is for senderNo ${b.senderNo}, we are ${cfg.senderNo}`,
      serialNo,
    );
  }
  if (typeof b.logitcsInterface !== 'string') {
    throw new EmsPushError('BAD_PAYLOAD', 'push has no logitcsInterface', serialNo);
  }

  let json: string;
  try {
    json = openLogitcs(b.logitcsInterface, cfg.signKey);
  } catch (err) {
    if (!(err instanceof EmsCryptoError)) throw err;
    throw new EmsPushError('BAD_CIPHERTEXT', `cannot open logitcsInterface: ${err.message}`, serialNo);
  }
  let items: unknown;
  try {
    items = JSON.parse(json);
  } catch {
    throw new EmsPushError('BAD_PAYLOAD', 'decrypted logitcsInterface is not JSON', serialNo);
  }
  const parsed = parseTrackEvents(items);
  if (!parsed.ok) throw new EmsPushError('BAD_PAYLOAD', parsed.problem, serialNo);
  return { serialNo, events: parsed.events };
}

/** Our answer to a push. Anything but code 00000 makes EMS push the same batch again. */
export function trackPushReply(serialNo: string, senderNo: string, ok: boolean, message = '') {
  return { serialNo, code: ok ? '00000' : 'S00001', codeMessage: message, senderNo };
}

/**
 * Codes that undo an earlier event, and what they undo. Our sources document only 743 (撤销妥投 → 704); the
 * others follow EMS's numbering, where the code just below or beside a stage's code revokes it.
 */
const REVERSALS: Readonly<Record<string, readonly string[]>> = {
  '207': ['203'], // 撤销收寄
  '212': ['203'], // 收寄信息删除
  '304': ['305', '389'], // 撤销封车
  '742': ['702'], // 撤销投递下段
  '743': ['704'], // 撤销妥投
  '744': ['705'], // 撤销未妥投
};

/** Which earlier opCodes this event voids; empty for ordinary events. */
export function reversedCodes(opCode: string): readonly string[] {
  return REVERSALS[opCode] ?? [];
}

const STATUS_BY_CODE: Readonly<Record<string, EmsUnifiedStatus>> = {
  '203': 'picked_up', // 收寄
  '305': 'in_transit', // 封车
  '389': 'in_transit', // 封车
  '954': 'in_transit', // 到达处理中心
  '702': 'out_for_delivery', // 投递下段
  '747': 'out_for_delivery', // 入柜: waits in a locker for the addressee
  '748': 'out_for_delivery', // 出柜: the 704 that follows says who took it
  '704': 'delivered', // 妥投
  '705': 'delivery_failed', // 未妥投
  '708': 'returning', // 退件登记
  '711': 'returned', // 退回妥投
  '801': 'cancelled', // 撤单
};

/**
 * Our status after an event with this code. A reversal has no status of its own (null): recompute it from the
 * timeline with currentStatus(). EMS has dozens of intermediate scan codes; any code not listed is in transit.
 */
export function unifiedStatus(opCode: string): EmsUnifiedStatus | null {
  if (opCode in REVERSALS) return null;
  return STATUS_BY_CODE[opCode] ?? 'in_transit';
}

/** Who signed for a 704 (签收人), for display. */
export function signerDescription(deliverCode: string | undefined): string | undefined {
  switch (deliverCode) {
    case '10':
      return '本人签收';
    case '20':
      return '他人代收';
    case '30':
      return '驿站代收';
    case '50':
      return '快递柜签收';
    case '60':
      return '收发室签收';
    case '70':
      return '物业签收';
    default:
      return undefined;
  }
}

/** A stable key to drop repeated pushes: EMS re-sends a whole batch when our answer did not reach it. */
export function eventKey(
  event: Pick<EmsTrackEvent, 'waybillNo' | 'opCode' | 'opTime' | 'opOrgCode'>,
): string {
  return `${event.waybillNo}|${event.opCode}|${event.opTime}|${event.opOrgCode}`;
}

/**
 * The events still in force, oldest first: duplicates dropped, each reversal removing the latest earlier event
 * it voids (704, 743, 704 leaves one 704), and the reversal itself left out.
 */
export function effectiveTimeline<E extends EmsTrackEvent>(events: readonly E[]): E[] {
  const seen = new Set<string>();
  const ordered = events
    .filter((e) => {
      const key = eventKey(e);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.opTime < b.opTime ? -1 : a.opTime > b.opTime ? 1 : 0));
  const timeline: E[] = [];
  for (const event of ordered) {
    const voids = reversedCodes(event.opCode);
    if (voids.length === 0) {
      timeline.push(event);
      continue;
    }
    const index = timeline.findLastIndex((e) => voids.includes(e.opCode));
    if (index >= 0) timeline.splice(index, 1);
  }
  return timeline;
}

/** The status of a waybill given every event received for it, in any order. */
export function currentStatus(events: readonly EmsTrackEvent[]): EmsUnifiedStatus {
  const timeline = effectiveTimeline(events);
  for (let i = timeline.length - 1; i >= 0; i--) {
    const status = unifiedStatus(timeline[i]!.opCode);
    if (status) return status;
  }
  return 'pending';
}

/** Where a 704 left the item when nobody took it in person (deliverCode), and a 747 locker. */
const PARCEL_POINTS: Readonly<Record<string, string>> = {
  '30': '驿站代收',
  '50': '快递柜代收',
  '60': '收发室代收',
  '70': '物业（门卫）代收',
};

const isoOf = (opTime: string) => parseEmsTime(opTime).toISOString();

/**
 * What a supervisor must see about a leg, from its effective timeline (see effectiveTimeline): a proxy receipt
 * without relation and ID, a parcel point or locker instead of the addressee (results must reach the person),
 * a failed attempt still unresolved, a return, an exception. One flag per code, raised by the latest event
 * that calls for it; oldest first. Pass the effective timeline: voided events raise nothing.
 */
export function deliveryFlags(timeline: readonly EmsTrackEvent[]): ShipmentFlag[] {
  const status = currentStatus(timeline);
  const flags = new Map<ShipmentFlag['code'], ShipmentFlag>();
  const raise = (code: ShipmentFlag['code'], e: EmsTrackEvent, detail: string) =>
    flags.set(code, { code, at: isoOf(e.opTime), detail });
  for (const e of timeline) {
    if (e.opCode === '704' && e.deliverCode === '20' && !(e.signerRelation && e.signerIdNo)) {
      raise('proxy_unverified', e, '他人代收，未登记与收件人关系和身份证件');
    } else if (e.opCode === '704' && e.deliverCode && e.deliverCode in PARCEL_POINTS) {
      raise('parcel_point', e, `${PARCEL_POINTS[e.deliverCode]}，未交收件人本人`);
    } else if (e.opCode === '747') {
      raise('parcel_point', e, '快递柜代收（已入柜），未交收件人本人');
    } else if (e.opCode === '705' && ['delivery_failed', 'returning', 'returned'].includes(status)) {
      raise('delivery_failed', e, `未妥投：${attemptDeliveryReason(e.attemptDeliveryCode)}`);
    } else if (e.opCode === '708') {
      raise('returned', e, '邮件退回寄件人（退件登记）');
    } else if (e.opCode === '711') {
      raise('returned', e, '邮件已退回寄件人');
    }
  }
  const last = timeline.at(-1);
  if (status === 'exception' && last) raise('exception', last, `物流异常：${last.opName || last.opCode}`);
  return [...flags.values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** opTime of the 704 in force when the leg is delivered, else null. */
export function deliveredAt(timeline: readonly EmsTrackEvent[]): Date | null {
  if (currentStatus(timeline) !== 'delivered') return null;
  const signed = timeline.findLast((e) => e.opCode === '704');
  return signed ? parseEmsTime(signed.opTime) : null;
}

/** Domestic EMS waybills are 13 digits; there is no published check digit, so only the format is checked. */
export function isDomesticWaybillNo(waybillNo: string): boolean {
  return /^\d{13}$/.test(waybillNo);
}
