import { randomInt } from 'node:crypto';
import { caseForLegs } from '../bench/subject';
import type { DatabaseOrTransaction } from '../src/db/client';
import { shipments } from '../src/db/schema';
import type { TestApp } from './helpers';

/** A case for legs to serve, with a user of its own (see caseForLegs). Returns its id. */
export const testCase = (db: DatabaseOrTransaction): Promise<string> => caseForLegs(db, 'ems-test');

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
    subjectKind: 'case',
    caseId: await testCase(t.app.database.db),
    senderSealed: 'sealed',
    receiverSealed: 'sealed',
    waybillNo,
    orderedAt,
    lastHeardAt: orderedAt,
  });
  return waybillNo;
}
