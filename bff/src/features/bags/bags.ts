import { createHash } from 'node:crypto';
import {
  type BagBatch,
  type BagConfirmation,
  type BagScanResponse,
  type BagShipment,
  beijingDate,
  beijingInstant,
  type ConfirmBagBody,
  type DropOutlet,
  emsStatusLabels,
  maskName,
  type PickupWindow,
  type StaffBagView,
  validateMobile,
  validatePersonName,
} from '@zyt/shared';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { DatabaseOrTransaction } from '../../db/client';
import {
  type Bag,
  bagBatches,
  bags,
  bookings,
  type Case,
  cases,
  outlets,
  type StoredSupplementItem,
  type Supplement,
  shipments,
  supplements,
  users,
} from '../../db/schema';
import { workingDeadline } from '../../lib/calendar';
import { AppError } from '../../lib/errors';
import { outletParty, servingOutlets } from '../bookings/bookings';
import { openBundleCases, openDoorCase, SUBMIT_CASE } from '../bookings/jobs';
import { notice } from '../cases/followUps';
import { piiContext } from '../me/users';
import { requestShipment } from '../shipments/shipments';
import { formatBagCode, newBagCode, parseBagCode } from './codes';
import {
  bagOfSupplement,
  bundleNeeds,
  type CurrentSupplement,
  currentSupplement,
  ensureSupplement,
  groupItems,
  groupOf,
  groupView,
  insertLists,
  itemView,
  supplementCandidates,
  supplementRow,
  supplementView,
  visitCandidates,
  visitItems,
  visitSendable,
} from './supplements';

/** Job that tells the platform a supplement is complete at the centre (pushSupplement). */
export const PUSH_SUPPLEMENT = 'bags.push-supplement';
/** Working days a door visit's 容缺受理 leaves for the rest (the same 5 days 行政许可法 §32 gives the notice). */
export const DOOR_SUPPLEMENT_WORKING_DAYS = 5;
/**
 * Working days from sending a visit that ended 材料不齐 by bag until everything must be at the centre: the
 * deadline a new list keeps if the centre finds something still missing (reminders and breaches follow it).
 */
export const VISIT_SUPPLEMENT_WORKING_DAYS = 20;

type Row = { bag: Bag; validUntil: string; supplement: Supplement | null; c: Case | null };

const expired = (validUntil: string, now: Date) => beijingDate(now) > validUntil;

/** A typed or scanned code, checked by its tag before anything is looked up. */
export function codeOf(app: FastifyInstance, input: string): string {
  const parsed = parseBagCode(input, app.config.bags.codeSecret);
  if (!parsed.ok) throw new AppError(400, 'BAG_CODE_INVALID');
  return parsed.code;
}

async function bagRow(db: DatabaseOrTransaction, code: string, lock = false): Promise<Row | undefined> {
  const q = db
    .select({ bag: bags, validUntil: bagBatches.validUntil, supplement: supplements, c: cases })
    .from(bags)
    .innerJoin(bagBatches, eq(bagBatches.id, bags.batchId))
    .leftJoin(supplements, eq(supplements.id, bags.supplementId))
    .leftJoin(cases, eq(cases.id, supplements.caseId))
    .where(eq(bags.code, code));
  const [row] = lock ? await q.for('update', { of: bags }) : await q;
  return row;
}

const caseName = (c: Case) => `“${c.matterName}”（${c.projId ? `办件编号${c.projId}` : '办件编号生成中'}）`;

/**
 * The refusals every resident look-up shares, in order: unknown or someone else's (the same answer, so codes of
 * other people's bags reveal nothing), used, expired.
 */
function residentChecks(row: Row | undefined, userId: string, now: Date): Row {
  if (!row || (row.c && row.c.userId !== userId)) throw new AppError(404, 'BAG_NOT_FOUND');
  if (row.bag.state === 'sent' || row.bag.state === 'received') {
    throw new AppError(
      409,
      'BAG_ALREADY_USED',
      `这个快递袋已用于您的办件${caseName(row.c!)}，不能再次寄送；可在“我的办件”查看进度，如还需补交材料，请另取一个新快递袋`,
      [{ field: 'caseId', message: row.c!.id }],
    );
  }
  if (expired(row.validUntil, now)) throw new AppError(410, 'BAG_EXPIRED');
  return row;
}

/** A bound supplement still wanted and in time, else the refusal that says what to do instead. */
function checkStillWanted(c: Case, s: Supplement, now: Date) {
  const platformMoved =
    s.govRequestedAt !== null &&
    (c.status !== 'supplement_required' || c.supplement?.requestedAt !== s.govRequestedAt);
  if (s.status !== 'open' || platformMoved) throw new AppError(409, 'SUPPLEMENT_NOT_NEEDED');
  if (s.deadline.getTime() < now.getTime()) throw new AppError(409, 'SUPPLEMENT_DEADLINE_PASSED');
}

/** EMS pickup windows (上门揽收) on offer: two-hour windows over the next days, starting an hour ahead at least. */
const WINDOW_TIMES = [
  ['09:00', '11:00'],
  ['11:00', '13:00'],
  ['14:00', '16:00'],
  ['16:00', '18:00'],
] as const;
export function pickupWindows(now: Date, count = 8): PickupWindow[] {
  const out: PickupWindow[] = [];
  const earliest = now.getTime() + 3600_000;
  for (let day = 0; out.length < count && day < 7; day++) {
    const date = beijingDate(new Date(now.getTime() + day * 86_400_000));
    for (const [from, to] of WINDOW_TIMES) {
      const start = beijingInstant(date, from);
      if (start.getTime() < earliest || out.length >= count) continue;
      out.push({ start: start.toISOString(), end: beijingInstant(date, to).toISOString() });
    }
  }
  return out;
}

const DAY_NAMES = ['', '一', '二', '三', '四', '五', '六', '日'];
function hoursText(hours: { day: number; open: string; close: string }[]): string {
  const byDay = new Map<number, string[]>();
  for (const h of hours) byDay.set(h.day, [...(byDay.get(h.day) ?? []), `${h.open}-${h.close}`]);
  return [...byDay.entries()]
    .sort(([a], [b]) => a - b)
    .map(([d, ranges]) => `周${DAY_NAMES[d]} ${ranges.join('、')}`)
    .join('；');
}

const dropOutlet = (o: typeof outlets.$inferSelect): DropOutlet => ({
  id: o.id,
  name: o.name,
  address: o.address,
  phone: o.phone,
  hours: hoursText(o.hours),
});

/** Post offices that take bags (邮政网点), in the catalogue's order. */
export async function dropOutlets(db: DatabaseOrTransaction): Promise<DropOutlet[]> {
  const rows = await db
    .select()
    .from(outlets)
    .where(and(eq(outlets.kind, 'post_office'), isNull(outlets.retiredAt)))
    .orderBy(asc(outlets.position))
    .limit(30);
  return rows.map(dropOutlet);
}

/** GET /bags/:code for its owner (or for anyone, when unbound). Writes nothing. */
export async function resolveBag(
  db: DatabaseOrTransaction,
  params: { code: string; userId: string; now: Date },
): Promise<Omit<BagScanResponse, 'outlets'>> {
  const { code, userId, now } = params;
  const row = residentChecks(await bagRow(db, code), userId, now);
  const base = {
    code: formatBagCode(code),
    state: row.bag.state,
    validUntil: row.validUntil,
    pickupWindows: pickupWindows(now),
  };
  if (row.supplement && row.c) {
    checkStillWanted(row.c, row.supplement, now);
    return {
      ...base,
      supplement: groupView(await groupOf(db, row.supplement, row.c)),
      candidates: [],
      visits: [],
    };
  }
  const { open, late } = await supplementCandidates(db, userId, now);
  const visits = await visitCandidates(db, userId, now);
  if (open.length === 0 && visits.length === 0) {
    if (late.length > 0) throw new AppError(409, 'SUPPLEMENT_DEADLINE_PASSED');
    throw new AppError(
      409,
      'SUPPLEMENT_NOT_NEEDED',
      '您目前没有需要补交材料的办件，这个快递袋无需使用；可在“我的办件”查看办理进度',
    );
  }
  return {
    ...base,
    supplement: null,
    candidates: open.map(({ c, s }) => supplementView(c, supplementRow(s))),
    visits,
  };
}

const confirmHash = (code: string, body: ConfirmBagBody) =>
  createHash('sha256')
    .update(JSON.stringify([code, body]))
    .digest('hex');

function shipmentView(bag: Bag, s: { status: string; waybillNo: string | null } | null): BagShipment | null {
  if (!bag.handover || !s) return null;
  const status = s.status as keyof typeof emsStatusLabels;
  return {
    status: s.status,
    statusLabel: emsStatusLabels[status] ?? s.status,
    waybillNo: s.waybillNo,
    handover: bag.handover.kind,
    window: bag.handover.kind === 'pickup' ? bag.handover.window : null,
    outlet:
      bag.handover.kind === 'outlet'
        ? { id: bag.handover.outletId, name: bag.handover.outletName, address: '', phone: '', hours: '' }
        : null,
  };
}

async function confirmationOf(
  db: DatabaseOrTransaction,
  bag: Bag,
  s: Supplement,
  c: Case,
  dropAt?: DropOutlet,
): Promise<BagConfirmation> {
  const [leg] = await db
    .select({ status: shipments.status, waybillNo: shipments.waybillNo })
    .from(shipments)
    .where(eq(shipments.id, bag.shipmentId!));
  const ticked = new Set(bag.ticked ?? []);
  // 一件事一次办: the bag carries the lists of several cases of one application, each item once.
  const lists = await groupOf(db, s, c);
  const all = groupItems(lists);
  let shipment = shipmentView(bag, leg ?? null)!;
  if (shipment.outlet) {
    const outlet =
      dropAt ??
      (await db.select().from(outlets).where(eq(outlets.id, shipment.outlet.id))).map(dropOutlet)[0];
    if (outlet) shipment = { ...shipment, outlet };
  }
  return {
    code: formatBagCode(bag.code),
    state: bag.state,
    caseId: c.id,
    items: all.filter((i) => ticked.has(i.id)).map(itemView),
    notIncluded: all.filter((i) => !ticked.has(i.id)).map(itemView),
    shipment,
    nextStep: `${
      bag.handover?.kind === 'pickup'
        ? '快递员将在您选择的时段上门免费揽收，请把材料装入快递袋并封好'
        : `请在网点营业时间把封好的快递袋交到${shipment.outlet?.name ?? '所选网点'}，免费寄往政务服务中心`
    }${
      // A visit that ended 材料不齐 sends everything (the agent kept nothing); 容缺受理 (a bag the agent left)
      // sends only what was missing.
      bag.boundBy !== 'agent' && lists.some((l) => l.s.source === 'visit')
        ? `；上门时专员已核对的其他申请材料也请一并装入。政务服务中心收齐后提交${lists.length > 1 || !c.bookingId ? '各事项的办件' : '办件'}，并通知您。`
        : '；中心收到后会通知您。'
    }`,
  };
}

type Sender = Parameters<typeof requestShipment>[2]['sender'];

/** How the bag leaves: free EMS pickup in one of the offered windows, or dropped at a post office. */
async function handoverOf(
  tx: DatabaseOrTransaction,
  params: { handover: ConfirmBagBody['handover']; name: string; phone: string; now: Date },
): Promise<{
  sender: Sender;
  county: string;
  pickup: { from: Date; to: Date };
  handover: NonNullable<Bag['handover']>;
  dropAt?: DropOutlet;
}> {
  const { name, phone, now } = params;
  if (params.handover.kind === 'pickup') {
    const { window: w, address: a } = params.handover;
    if (!pickupWindows(now).some((o) => o.start === w.start && o.end === w.end))
      throw new AppError(422, 'PICKUP_WINDOW_UNAVAILABLE');
    return {
      county: a.county,
      sender: { name, mobile: phone, prov: a.province, city: a.city, county: a.county, address: a.detail },
      pickup: { from: new Date(w.start), to: new Date(w.end) },
      handover: { kind: 'pickup', window: { start: w.start, end: w.end } },
    };
  }
  const [o] = await tx
    .select()
    .from(outlets)
    .where(
      and(
        eq(outlets.id, params.handover.outletId),
        eq(outlets.kind, 'post_office'),
        isNull(outlets.retiredAt),
      ),
    );
  if (!o) throw new AppError(404, 'OUTLET_NOT_FOUND');
  return {
    county: o.district,
    // Handed in at the outlet's counter: the outlet is where EMS collects it, the resident is the sender.
    sender: { ...outletParty(o), name, mobile: phone, phone: undefined },
    pickup: { from: now, to: new Date(now.getTime() + 3 * 86_400_000) },
    handover: { kind: 'outlet', outletId: o.id, outletName: o.name },
    dropAt: dropOutlet(o),
  };
}

/** An incomplete door visit of this person that the bag is to carry, locked; refused with why not. */
async function visitToSend(tx: DatabaseOrTransaction, bookingId: string, userId: string, now: Date) {
  const [b] = await tx
    .select()
    .from(bookings)
    .where(and(eq(bookings.id, bookingId), eq(bookings.userId, userId)))
    .for('update');
  if (!b) throw new AppError(404, 'BOOKING_NOT_FOUND');
  const { state } = await visitSendable(tx, b, now);
  if (state === 'not_sendable') throw new AppError(409, 'VISIT_NOT_SENDABLE');
  if (state === 'sent') throw new AppError(409, 'VISIT_ALREADY_SENT');
  if (state === 'rebooked') throw new AppError(409, 'VISIT_REBOOKED');
  return b;
}

/**
 * POST /bags/:code/confirm: binds an unbound bag to the chosen case's supplement, or to an incomplete door
 * visit (opening its case, awaiting_materials, with the visit's missing list as its supplement), records what
 * went in and how it leaves, and creates the supplement_to_centre leg (its EMS order is a job enqueued in this
 * transaction). A retry with the same Idempotency-Key and body answers the same; `created` says whether this
 * call did it.
 */
export async function confirmBag(
  app: FastifyInstance,
  params: { code: string; userId: string; key: string; body: ConfirmBagBody; now: Date },
): Promise<{ created: boolean; confirmation: BagConfirmation }> {
  const { code, userId, key, body, now } = params;
  const hash = confirmHash(code, body);
  const name = validatePersonName(body.contact.name);
  const phone = validateMobile(body.contact.phone);
  if (!name.ok || !phone.ok)
    throw new AppError(422, 'CONTACT_INVALID', undefined, [
      ...(name.ok ? [] : [{ field: 'contact.name', message: name.message }]),
      ...(phone.ok ? [] : [{ field: 'contact.phone', message: phone.message }]),
    ]);
  return app.database.db.transaction(async (tx) => {
    const found = await bagRow(tx, code, true);
    // The same confirmation again (a retry after a lost answer): the same result, nothing new.
    if (found?.bag.confirmKey === key && found.c?.userId === userId) {
      if (found.bag.confirmHash !== hash) throw new AppError(422, 'IDEMPOTENCY_KEY_REUSED');
      return {
        created: false,
        confirmation: await confirmationOf(tx, found.bag, found.supplement!, found.c),
      };
    }
    const row = residentChecks(found, userId, now);
    const noItems = () =>
      new AppError(400, 'VALIDATION_FAILED', undefined, [
        { field: 'items', message: '请勾选装进快递袋的材料' },
      ]);

    // What the bag carries: a case's supplement (stored or the platform's pending one), or a visit's list.
    let target:
      | { kind: 'case'; c: Case; current: CurrentSupplement }
      | { kind: 'visit'; b: typeof bookings.$inferSelect; items: StoredSupplementItem[] };
    if (row.supplement && row.c) {
      if ((body.caseId && body.caseId !== row.c.id) || body.bookingId)
        throw new AppError(409, 'BAG_ALREADY_BOUND', '这个快递袋已绑定您的另一件办件，请核对后重新扫码');
      checkStillWanted(row.c, row.supplement, now);
      target = { kind: 'case', c: row.c, current: { stored: row.supplement } };
    } else if (!body.caseId === !body.bookingId) {
      throw new AppError(422, 'BAG_TARGET_AMBIGUOUS');
    } else if (body.bookingId) {
      const b = await visitToSend(tx, body.bookingId, userId, now);
      if (body.items.length === 0) throw new AppError(422, 'VISIT_ITEMS_REQUIRED');
      target = { kind: 'visit', b, items: await visitItems(tx, b) };
    } else {
      const [mine] = await tx
        .select()
        .from(cases)
        .where(and(eq(cases.id, body.caseId!), eq(cases.userId, userId)))
        .for('update');
      if (!mine) throw new AppError(404, 'CASE_NOT_FOUND');
      const s = await currentSupplement(tx, mine);
      if (s === 'none' || s === 'received') throw new AppError(409, 'SUPPLEMENT_NOT_NEEDED');
      if (supplementRow(s).deadline.getTime() < now.getTime())
        throw new AppError(409, 'SUPPLEMENT_DEADLINE_PASSED');
      if (s.stored) {
        const other = await bagOfSupplement(tx, s.stored.id);
        if (other)
          throw new AppError(
            409,
            'BAG_ALREADY_BOUND',
            `这件办件的补正材料已有快递袋（袋码${formatBagCode(other.code)}），请使用那个快递袋`,
          );
      }
      target = { kind: 'case', c: mine, current: s };
    }
    if (body.items.length === 0) throw noItems();

    const items =
      target.kind === 'visit'
        ? target.items
        : target.current.stored
          ? groupItems(await groupOf(tx, target.current.stored, target.c))
          : target.current.pending.items;
    const unknown = body.items.filter((id) => !items.some((i) => i.id === id));
    if (unknown.length > 0)
      throw new AppError(
        422,
        'BAG_ITEMS_UNKNOWN',
        undefined,
        unknown.map((id) => ({ field: `items.${id}`, message: '不在补正清单中' })),
      );

    const how = await handoverOf(tx, { handover: body.handover, name: name.value, phone: phone.value, now });
    const matterCode = target.kind === 'case' ? target.c.matterCode : target.b.matterCode;
    const { centre } = await servingOutlets(tx, { matterCode, county: how.county });

    let c: Case;
    let s: Supplement;
    if (target.kind === 'case') {
      c = target.c;
      s = await ensureSupplement(tx, target.current);
    } else if (target.b.bundle) {
      // 一件事一次办: a case per matter opens now, each waiting for the centre to have everything; what each
      // misses is its own list (mapped from the merged list by origin), all carried by this one bag.
      const opened = await openBundleCases(tx, target.b, centre.id, new Set(target.b.bundle.matterCodes));
      const needs = await bundleNeeds(tx, target.b, target.b.missingItems ?? []);
      s = await insertLists(tx, {
        lists: opened.flatMap((o) =>
          needs.has(o.matterCode)
            ? [{ caseId: o.id, source: 'visit' as const, items: needs.get(o.matterCode)! }]
            : [],
        ),
        deadline: workingDeadline(now, VISIT_SUPPLEMENT_WORKING_DAYS).at,
      });
      c = opened.find((o) => o.id === s.caseId)!;
    } else {
      // The visit's case opens now and waits for the centre to have everything before it is submitted.
      c = await openDoorCase(tx, target.b, 'awaiting_materials');
      [s] = (await tx
        .insert(supplements)
        .values({
          caseId: c.id,
          source: 'visit',
          items: target.items,
          deadline: workingDeadline(now, VISIT_SUPPLEMENT_WORKING_DAYS).at,
        })
        .returning()) as [Supplement];
    }
    const shipmentId = await requestShipment(tx, app, {
      leg: 'supplement_to_centre',
      subject: { kind: 'case', id: c.id },
      centreId: centre.id,
      sender: how.sender,
      receiver: outletParty(centre),
      weightGrams: 300,
      pickup: how.pickup,
    });
    const [sent] = await tx
      .update(bags)
      .set({
        state: 'sent',
        supplementId: s.id,
        boundBy: row.bag.boundBy ?? 'resident',
        boundAt: row.bag.boundAt ?? now,
        ticked: body.items,
        handover: how.handover,
        confirmKey: key,
        confirmHash: hash,
        shipmentId,
        sentAt: now,
      })
      .where(eq(bags.code, code))
      .returning();
    return { created: true, confirmation: await confirmationOf(tx, sent!, s, c, how.dropAt) };
  });
}

// ——— staff ———

/** Creates a batch of `count` bags with fresh codes; returns it with its codes. */
export async function createBatch(
  db: DatabaseOrTransaction,
  params: { count: number; validUntil: string; note?: string; createdBy: string; secret: string; now: Date },
) {
  if (params.validUntil < beijingDate(params.now))
    throw new AppError(422, 'VALIDATION_FAILED', undefined, [
      { field: 'validUntil', message: '有效期不能早于今天' },
    ]);
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(bagBatches)
      .values({
        count: params.count,
        validUntil: params.validUntil,
        note: params.note ?? null,
        createdBy: params.createdBy,
      })
      .returning();
    const codes: string[] = [];
    // 40 random bits per code: a clash is rare, and a clashing code is simply drawn again.
    while (codes.length < params.count) {
      const fresh = new Set<string>();
      while (fresh.size < params.count - codes.length) fresh.add(newBagCode(params.secret));
      const inserted = await tx
        .insert(bags)
        .values([...fresh].map((code) => ({ code, batchId: batch!.id })))
        .onConflictDoNothing()
        .returning({ code: bags.code });
      codes.push(...inserted.map((r) => r.code));
    }
    // In the label sheet's order.
    return { batch: batch!, codes: codes.sort() };
  });
}

const emptyStates = () => ({ issued: 0, bound: 0, sent: 0, received: 0 });

export async function listBatches(db: DatabaseOrTransaction, prefix: string): Promise<BagBatch[]> {
  const rows = await db.select().from(bagBatches).orderBy(desc(bagBatches.createdAt)).limit(100);
  if (rows.length === 0) return [];
  const counts = await db
    .select({ batchId: bags.batchId, state: bags.state, n: sql<number>`count(*)::int` })
    .from(bags)
    .groupBy(bags.batchId, bags.state);
  return rows.map((b) => batchView(b, counts, prefix));
}

export function batchView(
  b: typeof bagBatches.$inferSelect,
  counts: { batchId: string; state: Bag['state']; n: number }[],
  prefix: string,
): BagBatch {
  const states = emptyStates();
  for (const c of counts) if (c.batchId === b.id) states[c.state] = c.n;
  return {
    id: b.id,
    count: b.count,
    validUntil: b.validUntil,
    note: b.note,
    createdAt: b.createdAt.toISOString(),
    states,
    labelsUrl: `${prefix}/staff/bag-batches/${b.id}/labels.svg`,
  };
}

export async function batchCodes(db: DatabaseOrTransaction, batchId: string) {
  const [batch] = await db.select().from(bagBatches).where(eq(bagBatches.id, batchId));
  if (!batch) return undefined;
  const rows = await db
    .select({ code: bags.code })
    .from(bags)
    .where(eq(bags.batchId, batchId))
    .orderBy(asc(bags.code));
  return { batch, codes: rows.map((r) => r.code) };
}

/** A bag as staff see it. The applicant's name is masked (no audited read of personal data needed). */
export async function staffBagView(
  app: FastifyInstance,
  db: DatabaseOrTransaction,
  code: string,
  now: Date,
): Promise<StaffBagView> {
  const row = await bagRow(db, code);
  if (!row) throw new AppError(404, 'BAG_NOT_FOUND');
  const { bag, supplement: s, c } = row;
  let applicantName = '—';
  if (c?.userId) {
    const [u] = await db
      .select({ nameSealed: users.nameSealed, id: users.id })
      .from(users)
      .where(eq(users.id, c.userId));
    if (u?.nameSealed) applicantName = maskName(app.pii.decrypt(u.nameSealed, piiContext(u.id, 'name')));
  }
  const [leg] = bag.shipmentId
    ? await db
        .select({ status: shipments.status, waybillNo: shipments.waybillNo })
        .from(shipments)
        .where(eq(shipments.id, bag.shipmentId))
    : [];
  return {
    code: formatBagCode(bag.code),
    state: bag.state,
    validUntil: row.validUntil,
    expired: expired(row.validUntil, now),
    supplement:
      s && c ? { ...groupView(await groupOf(db, s, c)), applicantName, ticked: bag.ticked ?? [] } : null,
    shipment: shipmentView(bag, leg ?? null),
    receipt:
      bag.receipt && bag.receivedAt
        ? {
            at: bag.receivedAt.toISOString(),
            complete: bag.receipt.complete,
            missing: bag.receipt.missing.map(itemView),
          }
        : null,
  };
}

/** Checks an unbound bag staff are about to hand out, and locks it. */
async function lockIssuedBag(tx: DatabaseOrTransaction, code: string, now: Date) {
  const row = await bagRow(tx, code, true);
  if (!row) throw new AppError(404, 'BAG_NOT_FOUND');
  if (row.bag.state === 'sent' || row.bag.state === 'received') throw new AppError(409, 'BAG_ALREADY_USED');
  if (row.bag.state === 'bound') throw new AppError(409, 'BAG_ALREADY_BOUND');
  if (expired(row.validUntil, now)) throw new AppError(410, 'BAG_EXPIRED');
  return row;
}

async function bindTo(
  tx: DatabaseOrTransaction,
  code: string,
  s: Supplement,
  by: 'centre' | 'agent',
  now: Date,
): Promise<void> {
  const other = await bagOfSupplement(tx, s.id);
  if (other)
    throw new AppError(
      409,
      'BAG_ALREADY_BOUND',
      `这件办件的补正材料已绑定快递袋（袋码${formatBagCode(other.code)}），请使用那个快递袋`,
    );
  await tx
    .update(bags)
    .set({ state: 'bound', supplementId: s.id, boundBy: by, boundAt: now })
    .where(eq(bags.code, code));
}

/** The centre window hands out a bag for a case whose platform asked for 补正 (by its case number). */
export async function bindAtWindow(
  db: DatabaseOrTransaction,
  params: { code: string; caseNumber: string; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await lockIssuedBag(tx, params.code, params.now);
    const [c] = await tx.select().from(cases).where(eq(cases.projId, params.caseNumber.trim())).for('update');
    if (!c) throw new AppError(404, 'CASE_NOT_FOUND');
    const s = await currentSupplement(tx, c);
    if (s === 'none' || s === 'received') throw new AppError(409, 'SUPPLEMENT_NOT_NEEDED');
    if (supplementRow(s).deadline.getTime() < params.now.getTime())
      throw new AppError(409, 'SUPPLEMENT_DEADLINE_PASSED');
    await bindTo(tx, params.code, await ensureSupplement(tx, s), 'centre', params.now);
  });
}

/**
 * 容缺受理 at the door: the case just opened for what was collected; the rest becomes a door supplement with a
 * deadline, carried by the bag the agent leaves. In the review's transaction.
 */
export async function leaveBagAtDoor(
  tx: DatabaseOrTransaction,
  params: { code: string; caseId: string; items: StoredSupplementItem[]; now: Date },
): Promise<void> {
  await leaveListsAtDoor(tx, {
    code: params.code,
    lists: [{ caseId: params.caseId, source: 'door', items: params.items }],
    now: params.now,
  });
}

/**
 * The same for a bundle (一件事一次办): each case that misses something gets its own list (door: taken under 容缺受理;
 * visit: waiting for the bag before it is submitted), one deadline, and the one bag the agent leaves carries them
 * all (bound to the first list, the others in its group).
 */
export async function leaveListsAtDoor(
  tx: DatabaseOrTransaction,
  params: {
    code: string;
    lists: { caseId: string; source: 'door' | 'visit'; items: StoredSupplementItem[] }[];
    now: Date;
  },
): Promise<void> {
  await lockIssuedBag(tx, params.code, params.now);
  const lead = await insertLists(tx, {
    lists: params.lists,
    deadline: workingDeadline(params.now, DOOR_SUPPLEMENT_WORKING_DAYS).at,
  });
  await bindTo(tx, params.code, lead, 'agent', params.now);
}

/** Checks, before a review is recorded, that the bag the agent means to leave can be left. */
export async function checkBagToLeave(db: DatabaseOrTransaction, code: string, now: Date): Promise<void> {
  const row = await bagRow(db, code);
  if (!row) throw new AppError(404, 'BAG_NOT_FOUND');
  if (row.bag.state === 'sent' || row.bag.state === 'received') throw new AppError(409, 'BAG_ALREADY_USED');
  if (row.bag.state === 'bound') throw new AppError(409, 'BAG_ALREADY_BOUND');
  if (expired(row.validUntil, now)) throw new AppError(410, 'BAG_EXPIRED');
}

/** The agent binds a bag to their visit's open door supplement (e.g. to replace a bag left torn). */
export async function bindAtDoor(
  db: DatabaseOrTransaction,
  params: { code: string; caseOfVisit: Case | undefined; now: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await lockIssuedBag(tx, params.code, params.now);
    const c = params.caseOfVisit;
    const s = c ? await currentSupplement(tx, c) : 'none';
    if (s === 'none' || s === 'received')
      throw new AppError(
        409,
        'SUPPLEMENT_NOT_NEEDED',
        '这次上门没有容缺收取的材料，不能绑定快递袋；材料不齐且事项不支持容缺受理时，请申请人补齐后重新预约',
      );
    if (supplementRow(s).deadline.getTime() < params.now.getTime())
      throw new AppError(409, 'SUPPLEMENT_DEADLINE_PASSED');
    await bindTo(tx, params.code, await ensureSupplement(tx, s), 'agent', params.now);
  });
}

/**
 * The centre has the bag in hand and ticks every item. Complete: the supplement is done and pushed to the
 * platform (a job in this transaction). Incomplete: one new complete list of what is still missing
 * (一次性告知), same deadline, told to the resident at once.
 */
export async function receiveBag(
  app: FastifyInstance,
  params: { code: string; clerkId: string; items: { id: string; present: boolean }[]; now: Date },
): Promise<void> {
  const { code, now } = params;
  await app.database.db.transaction(async (tx) => {
    const row = await bagRow(tx, code, true);
    if (!row) throw new AppError(404, 'BAG_NOT_FOUND');
    if (row.bag.state === 'received')
      throw new AppError(409, 'BAG_ALREADY_USED', '这个快递袋已登记收件，不能重复登记');
    if (row.bag.state !== 'sent' || !row.supplement || !row.c) throw new AppError(409, 'BAG_NOT_SENT');
    // 一件事一次办: one bag may carry the lists of several cases of one application (its group).
    const lists = await groupOf(tx, row.supplement, row.c);
    const all = groupItems(lists);
    const given = new Map(params.items.map((i) => [i.id, i.present]));
    const unknown = params.items.filter((i) => !all.some((x) => x.id === i.id));
    if (unknown.length > 0)
      throw new AppError(
        422,
        'BAG_ITEMS_UNKNOWN',
        undefined,
        unknown.map((i) => ({ field: `items.${i.id}`, message: '不在补正清单中' })),
      );
    const unchecked = all.filter((i) => !given.has(i.id));
    if (unchecked.length > 0)
      throw new AppError(
        422,
        'BAG_RECEIPT_UNCHECKED',
        undefined,
        unchecked.map((i) => ({ field: `items.${i.id}`, message: `未核对：${i.name}` })),
      );
    const missing = all.filter((i) => !given.get(i.id));
    await tx
      .update(bags)
      .set({
        state: 'received',
        receivedAt: now,
        receivedBy: params.clerkId,
        receipt: { complete: missing.length === 0, missing },
      })
      .where(eq(bags.code, code));
    // Each case takes its own part of the receipt: complete, it goes on; else a new list of its own.
    const key = (c: Case) => (lists.length > 1 ? `bag:${code}:${c.id.slice(0, 8)}` : `bag:${code}`);
    let submitted = false;
    for (const { s, c } of lists) {
      const short = s.items.filter((i) => !given.get(i.id));
      if (short.length === 0) {
        await tx.update(supplements).set({ status: 'received' }).where(eq(supplements.id, s.id));
        if (c.status === 'awaiting_materials') {
          submitted = (await submitWaiting(tx, app, c, row.bag.shipmentId!, now)) || submitted;
          await notice(tx, app, c, 'supplement_received', '材料已收齐，办件正在提交', `${key(c)}:received`);
          continue;
        }
        await app.jobs.enqueue(tx, PUSH_SUPPLEMENT, { supplementId: s.id });
        await notice(tx, app, c, 'supplement_received', '补正材料已收齐，办件继续办理', `${key(c)}:received`);
        continue;
      }
      await tx.update(supplements).set({ status: 'superseded' }).where(eq(supplements.id, s.id));
      const [next] = await tx
        .insert(supplements)
        .values({
          caseId: c.id,
          source: 'centre',
          govRequestedAt: s.govRequestedAt,
          items: short,
          deadline: s.deadline,
          previousId: s.id,
        })
        .returning();
      await notice(
        tx,
        app,
        c,
        'supplement_required',
        `还缺${short.length}项材料，请按清单补寄`,
        `supplement:${next!.id}`,
      );
    }
    // A bundle visit that ended 材料不齐 sent everything in this bag: its cases that missed nothing go with it.
    const bundleBookingId = row.c.bundleBookingId;
    if (submitted && bundleBookingId) {
      const others = await tx
        .select()
        .from(cases)
        .where(
          and(
            eq(cases.bundleBookingId, bundleBookingId),
            eq(cases.status, 'awaiting_materials'),
            sql`not exists (select 1 from ${supplements} where ${supplements.caseId} = ${cases.id} and ${supplements.status} = 'open')`,
          ),
        );
      for (const c of others) await submitWaiting(tx, app, c, row.bag.shipmentId!, now);
    }
  });
}

/**
 * A case that waited for its materials (a visit that ended 材料不齐, or a bundle's matter under 容缺受理), now
 * complete at the centre: submitted once, like a collected visit — as 快递送达, the platform told the
 * materials are at the centre as soon as it has numbered the case (not before: it would fail).
 */
async function submitWaiting(
  tx: DatabaseOrTransaction,
  app: FastifyInstance,
  c: Case,
  shipmentId: string,
  now: Date,
): Promise<boolean> {
  const [moved] = await tx
    .update(cases)
    .set({ status: 'submitting', updatedAt: now })
    .where(and(eq(cases.id, c.id), eq(cases.status, 'awaiting_materials')))
    .returning({ id: cases.id });
  if (!moved) return false;
  await app.jobs.enqueue(tx, SUBMIT_CASE, {
    caseId: c.id,
    bookingId: c.bookingId ?? c.bundleBookingId,
    arrival: {
      shipmentId,
      receivedAt: now.toISOString(),
      ...(c.bundleBookingId ? { caseId: c.id } : {}),
    },
  });
  return true;
}

/** Every item the platform (or the door) asked for in this supplement's chain: what a push reports. */
export async function chainItems(db: DatabaseOrTransaction, s: Supplement): Promise<StoredSupplementItem[]> {
  let first = s;
  for (let i = 0; first.previousId && i < 50; i++) {
    const [prev] = await db.select().from(supplements).where(eq(supplements.id, first.previousId));
    if (!prev) break;
    first = prev;
  }
  return first.items;
}
