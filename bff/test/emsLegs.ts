import { randomInt } from 'node:crypto';
import { shipments } from '../src/db/schema';
import type { TestApp } from './helpers';

export const testParty = {
  name: '李四',
  mobile: '13900139000',
  prov: '广东省',
  city: '广州市',
  county: '黄埔区',
  address: '人民路1号',
};

/**
 * A result leg ordered straight at the EMS simulator (the create-order job has its own tests) and recorded as
 * that job leaves it. `outcome` scripts the simulator's fate for it first. Returns the waybill.
 */
export async function orderedLeg(
  t: TestApp,
  opts: { logisticsOrderNo?: string; outcome?: string; orderedAt?: Date } = {},
): Promise<string> {
  const logisticsOrderNo = opts.logisticsOrderNo ?? `ZYT${randomInt(1e9, 1e10 - 1)}`;
  if (opts.outcome) await t.ems.admin('/sim/admin/script', { logisticsOrderNo, outcome: opts.outcome });
  const { waybillNo } = await t.app.ems.createOrder({
    logisticsOrderNo,
    ecommerceUserId: 'user-1',
    weight: 200,
    pickupType: '0',
    sender: testParty,
    receiver: testParty,
    cargos: [{ cargoName: '办件结果' }],
  });
  const orderedAt = opts.orderedAt ?? new Date();
  await t.app.database.db.insert(shipments).values({
    leg: 'result_to_applicant',
    subjectId: `case-${waybillNo}`,
    senderSealed: 'sealed',
    receiverSealed: 'sealed',
    waybillNo,
    orderedAt,
    lastHeardAt: orderedAt,
  });
  return waybillNo;
}
