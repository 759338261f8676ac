import { describe, expect, it } from 'vitest';
import {
  currentStatus,
  type EmsTrackEvent,
  effectiveTimeline,
  eventKey,
  isDomesticWaybillNo,
  reversedCodes,
  trackPushReply,
  unifiedStatus,
} from '../src/integrations/ems/tracking';

const WAYBILL = '1100000000012';

function ev(opCode: string, opTime: string, extra: Partial<EmsTrackEvent> = {}): EmsTrackEvent {
  return {
    waybillNo: WAYBILL,
    opTime,
    opCode,
    opName: '',
    opDesc: '',
    opOrgProvName: '江苏省',
    opOrgCity: '南京市',
    opOrgCode: '21000001',
    opOrgName: '南京市玄武区揽投部',
    operatorNo: '',
    operatorName: '',
    ...extra,
  };
}

describe('unified status', () => {
  it.each([
    ['203', 'picked_up'],
    ['305', 'in_transit'],
    ['389', 'in_transit'],
    ['954', 'in_transit'],
    ['702', 'out_for_delivery'],
    ['747', 'out_for_delivery'],
    ['704', 'delivered'],
    ['705', 'delivery_failed'],
    ['708', 'returning'],
    ['711', 'returned'],
    ['801', 'cancelled'],
    ['306', 'in_transit'],
    ['743', null],
    ['207', null],
  ])('%s → %s', (code, status) => {
    expect(unifiedStatus(code)).toBe(status);
  });

  it('knows what each reversal voids', () => {
    expect(reversedCodes('743')).toEqual(['704']);
    expect(reversedCodes('207')).toEqual(['203']);
    expect(reversedCodes('744')).toEqual(['705']);
    expect(reversedCodes('704')).toEqual([]);
  });
});

describe('timeline', () => {
  const delivered = ev('704', '2025-03-02 10:00:00', { deliverCode: '10' });
  const revoked = ev('743', '2025-03-02 10:30:00');
  const redelivered = ev('704', '2025-03-02 11:00:00', { deliverCode: '20' });

  it('a 743 voids the 704 before it; a later 704 stands', () => {
    const base = [ev('203', '2025-03-01 09:00:00'), ev('702', '2025-03-02 08:00:00')];
    expect(currentStatus([...base, delivered])).toBe('delivered');
    expect(currentStatus([...base, delivered, revoked])).toBe('out_for_delivery');
    const timeline = effectiveTimeline([...base, delivered, revoked, redelivered]);
    expect(timeline.map((e) => e.opCode)).toEqual(['203', '702', '704']);
    expect(timeline.at(-1)?.deliverCode).toBe('20');
  });

  it('orders by opTime and drops duplicates, so repeated or late pushes do not matter', () => {
    const events = [redelivered, ev('203', '2025-03-01 09:00:00'), revoked, delivered, revoked, delivered];
    expect(effectiveTimeline(events).map((e) => e.opTime)).toEqual([
      '2025-03-01 09:00:00',
      '2025-03-02 11:00:00',
    ]);
    expect(currentStatus(events)).toBe('delivered');
  });

  it('is pending with no events and after a revoked pickup', () => {
    expect(currentStatus([])).toBe('pending');
    expect(currentStatus([ev('203', '2025-03-01 09:00:00'), ev('207', '2025-03-01 09:10:00')])).toBe(
      'pending',
    );
  });

  it('keys events by waybill, code, time and office', () => {
    expect(eventKey(delivered)).toBe(`${WAYBILL}|704|2025-03-02 10:00:00|21000001`);
    expect(eventKey(delivered)).not.toBe(eventKey(redelivered));
    expect(eventKey(delivered)).not.toBe(eventKey({ ...delivered, opOrgCode: '21000002' }));
  });
});

describe('helpers', () => {
  it('checks domestic waybill format only', () => {
    expect(isDomesticWaybillNo('1100000000012')).toBe(true);
    expect(isDomesticWaybillNo('110000000001')).toBe(false);
    expect(isDomesticWaybillNo('EA123456785CN')).toBe(false);
  });

  it('answers a push with 00000 or S00001', () => {
    expect(trackPushReply('SN1', '1100000000001', true)).toEqual({
      serialNo: 'SN1',
      code: '00000',
      codeMessage: '',
      senderNo: '1100000000001',
    });
    expect(trackPushReply('SN1', '1100000000001', false, 'db down').code).toBe('S00001');
  });
});
