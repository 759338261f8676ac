import { type Address, type Contact, formatYuan, type NotificationKind } from '@zyt/shared';
import { eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  bookings,
  type Case,
  cases,
  outlets,
  resultMailings,
  settlementItems,
  type shipments,
} from '../../db/schema';

type Shipment = typeof shipments.$inferSelect;

import { formatEmsTime } from '../../integrations/ems/time';
import { fitThing } from '../../integrations/wechat/subscribe';
import { Batcher } from '../../lib/batcher';
import { chineseDate } from '../../lib/calendar';
import { outletParty, sealedContext, servingOutlets } from '../bookings/bookings';
import { SHIP_BUNDLE_RESULTS } from '../bundles/parcels';
import { inviteEvaluation } from '../evaluations/jobs';
import { notifyUser } from '../notifications/notify';
import {
  CREATE_EMS_ORDER,
  onShipmentChanged,
  onShipmentOrdered,
  requestShipment,
  type ShipmentRequest,
} from '../shipments/shipments';

const STATUS_PHRASE: Record<NotificationKind, string> = {
  case_accepted: '已受理',
  supplement_required: '待补正',
  case_completed: '已办结',
  result_shipped: '已寄出',
  result_delivered: '已签收',
  bag_picked_up: '已揽收',
  bag_delivered: '已送达',
  supplement_received: '已签收',
  supplement_deadline: '待补正',
  visit_update: '有变动',
  visit_reminder: '待接单',
  evaluation_invite: '待评价',
  subsidy_deadline: '待确认',
  subsidy_paid: '已拨付',
  work_assigned: '待处理',
  enterprise_member_decided: '已审核',
};

/** A uuid[] parameter that postgres.js and PGlite both accept. */
const toUuidArray = (ids: string[]) => `{${ids.join(',')}}`;

/**
 * One message per kind and case (per supplement request for 补正): the template is 办件进度提醒 with
 * character_string1 办件编号, thing2 事项名称, phrase3 办理状态, time4 时间, thing5 温馨提示 — each within
 * WeChat's limits (thing ≤ 20, phrase ≤ 5 Chinese characters, character_string ≤ 32).
 */
export async function notice(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  c: Case,
  kind: NotificationKind,
  hint: string,
  key: string = kind,
) {
  if (!c.userId) return; // a centre's mailing for someone without an account: nobody to tell in the app
  await notifyUser(tx, app, {
    userId: c.userId,
    kind,
    dedupeKey: `case:${c.id}:${key}`,
    page: `cases/pages/detail/index?id=${c.id}`,
    data: {
      character_string1: { value: (c.projId ?? c.id.slice(0, 8)).slice(0, 32) },
      thing2: { value: fitThing(c.matterName) },
      phrase3: { value: STATUS_PHRASE[kind] },
      time4: { value: formatEmsTime(new Date()).slice(0, 16) }, // yyyy-MM-dd HH:mm, Beijing
      thing5: { value: fitThing(hint) },
    },
  });
}

/** What follows a change of the platform's view of a case, in the same transaction. */
export async function followUp(tx: DatabaseOrTransaction, app: FastifyInstance, before: Case, after: Case) {
  // Only on the change itself: later events fold into the same state and must not ask again.
  if (after.acceptedAt && !before.acceptedAt)
    await notice(tx, app, after, 'case_accepted', `承诺${chineseDate(after.promisedBy!)}前办结`);
  if (after.supplement && after.supplement.requestedAt !== before.supplement?.requestedAt)
    await notice(
      tx,
      app,
      after,
      'supplement_required',
      `请于${chineseDate(after.supplement.deadline)}前补齐材料`,
      `supplement:${after.supplement.requestedAt}`,
    );
  if (after.completedAt && after.result && !before.completedAt) {
    const physical = after.result.kind === 'physical';
    await notice(
      tx,
      app,
      after,
      'case_completed',
      physical ? '证照将由EMS免费寄给您' : '电子证照已发放，无需邮寄',
    );
    await inviteEvaluation(tx, app, after, 'completion');
    // A bundle's results ready together share a parcel: shipped by a job a short window later (see bundles/parcels).
    if (physical && !after.resultShipmentId && after.bundleBookingId)
      await app.jobs.enqueue(
        tx,
        SHIP_BUNDLE_RESULTS,
        { bookingId: after.bundleBookingId },
        {
          startAfter: new Date(Date.now() + app.config.tracking.bundleParcelWindowSeconds * 1000),
          singletonKey: after.bundleBookingId,
          singletonSeconds: Math.max(1, app.config.tracking.bundleParcelWindowSeconds),
        },
      );
    else if (physical && !after.resultShipmentId) await shipResult(tx, app, after);
  }
  if (after.payment && !before.payment)
    await notice(
      tx,
      app,
      after,
      'subsidy_paid',
      `${formatYuan(after.payment.amountFen)}已拨付至账户${after.payment.account}`,
    );
}

/** Where a case's result goes and where it leaves from. */
export interface ResultDestination {
  centre: typeof outlets.$inferSelect;
  address: Address;
  contact: Contact;
}

export const mailingSealedContext = (caseId: string, field: 'address' | 'contact') =>
  `result_mailings/${caseId}/${field}`;

/**
 * A door-visit case's result goes back to the address the materials were collected from; a case added for
 * result mailing (单程寄递) to the address its mailing names.
 */
export async function destinationOf(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  c: Case,
): Promise<ResultDestination | undefined> {
  const bookingId = c.bookingId ?? c.bundleBookingId;
  if (bookingId) {
    const [b] = await tx.select().from(bookings).where(eq(bookings.id, bookingId));
    if (!b) return undefined;
    const { centre } = await servingOutlets(tx, { matterCode: b.matterCode, county: b.county });
    return {
      centre,
      address: JSON.parse(app.pii.decrypt(b.addressSealed, sealedContext(b.id, 'address'))) as Address,
      contact: JSON.parse(app.pii.decrypt(b.contactSealed, sealedContext(b.id, 'contact'))) as Contact,
    };
  }
  const [m] = await tx
    .select({ mailing: resultMailings, centre: outlets })
    .from(resultMailings)
    .innerJoin(outlets, eq(outlets.id, resultMailings.centreOutletId))
    .where(eq(resultMailings.caseId, c.id));
  if (!m) return undefined;
  return {
    centre: m.centre,
    address: JSON.parse(
      app.pii.decrypt(m.mailing.addressSealed, mailingSealedContext(c.id, 'address')),
    ) as Address,
    contact: JSON.parse(
      app.pii.decrypt(m.mailing.contactSealed, mailingSealedContext(c.id, 'contact')),
    ) as Contact,
  };
}

/** Grams per result (certificate in an envelope): a parcel of several weighs that many times more. */
const RESULT_PIECE_GRAMS = 200;

/**
 * One EMS parcel (BUS_MODE 01) carrying `pieces` results from the service centre to the applicant, paid by the
 * government; the callers point each case's resultShipmentId at it.
 */
export function resultParcel(params: {
  subjectCaseId: string;
  to: ResultDestination;
  pieces: number;
}): ShipmentRequest {
  const { to } = params;
  const now = Date.now();
  return {
    leg: 'result_to_applicant',
    subject: { kind: 'case', id: params.subjectCaseId },
    centreId: to.centre.id,
    sender: outletParty(to.centre),
    receiver: {
      name: to.contact.name,
      mobile: to.contact.phone,
      prov: to.address.province,
      city: to.address.city,
      county: to.address.county,
      address: to.address.detail,
    },
    weightGrams: RESULT_PIECE_GRAMS * params.pieces,
    pickup: { from: new Date(now), to: new Date(now + 4 * 3600_000) },
  };
}

/** The result travels to the applicant by EMS as soon as it is issued. */
export async function shipResult(tx: DatabaseOrTransaction, app: FastifyInstance, c: Case) {
  const to = await destinationOf(tx, app, c);
  if (!to) return;
  const shipmentId = await requestShipment(tx, app, resultParcel({ subjectCaseId: c.id, to, pieces: 1 }));
  await tx.update(cases).set({ resultShipmentId: shipmentId }).where(eq(cases.id, c.id));
}

export function defineCaseFollowUps(app: FastifyInstance): void {
  const { db } = app.database;

  // Every piece the government pays for is recorded once for settlement (计件), when EMS gives its waybill;
  // an EMS-order problem its case had is cleared (the order went through after all), and a result's cases
  // are on their way. This runs for every EMS order (see `pnpm bench`, jobs.ems, results.bulk): the order jobs
  // running at once settle together, one statement per flush rather than one per order.
  const settle = new Batcher<Shipment, undefined>(async (list) => {
    const legs = list.map((s) => ({
      shipment_id: s.id,
      case_id: s.caseId,
      waybill_no: s.waybillNo,
      leg: s.leg,
      result: s.leg === 'result_to_applicant',
    }));
    const cleared = sql`(${cases.id} in (select case_id from v) and ${cases.problem}->>'job' = ${CREATE_EMS_ORDER})`;
    const shipping = sql`(${cases.resultShipmentId} in (select shipment_id from v where result) and ${cases.status} = 'completed')`;
    await db.execute(sql`
      with v as (
        select * from jsonb_to_recordset(${JSON.stringify(legs)}::jsonb)
          as v(shipment_id uuid, case_id uuid, waybill_no text, leg text, result boolean)),
      charged as (
        insert into ${settlementItems} (shipment_id, case_id, waybill_no, leg, amount_fen)
        select shipment_id, case_id, waybill_no, leg, ${app.config.tracking.postageFen}::int from v
        order by shipment_id
        on conflict do nothing)
      update ${cases} set
        problem = case when ${cleared} then null else ${cases.problem} end,
        status = case when ${shipping} then 'result_shipping' else ${cases.status} end,
        updated_at = now()
      where ${cleared} or ${shipping}`);
    return list.map(() => undefined);
  });
  onShipmentOrdered(app, async (s) => {
    if (!s.caseId || !s.waybillNo) return;
    await settle.run(s);
  });

  // The result's journey moves the case (a 743 reversal moves it back) and tells the applicant. One UPDATE per
  // push, whatever its size: this runs inside the EMS push transaction (see `pnpm bench`, ems.push).
  onShipmentChanged(app, async (tx, changes) => {
    const results = changes.filter((c) => c.shipment.leg === 'result_to_applicant');
    if (results.length === 0) return;
    const delivered = results.filter((c) => c.shipment.status === 'delivered').map((c) => c.shipment.id);
    const moved = await tx
      .update(cases)
      .set({
        status: sql`case when ${cases.resultShipmentId} = any(${toUuidArray(delivered)}::uuid[]) then 'delivered' else 'result_shipping' end`,
        updatedAt: sql`now()`,
      })
      .where(
        inArray(
          cases.resultShipmentId,
          results.map((c) => c.shipment.id),
        ),
      )
      .returning();
    // A parcel may carry several results for one person (a centre's list): each case hears of it.
    for (const { shipment: s, previousStatus } of results) {
      for (const c of moved.filter((m) => m.resultShipmentId === s.id)) {
        if (previousStatus === 'pending' && s.status !== 'pending' && s.status !== 'cancelled')
          await notice(tx, app, c, 'result_shipped', `EMS运单${s.waybillNo}`);
        if (s.status === 'delivered' && previousStatus !== 'delivered') {
          await notice(tx, app, c, 'result_delivered', '请核对证照内容');
          await inviteEvaluation(tx, app, c, 'delivery');
        }
      }
    }
  });
}
