import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AgentCancelBody,
  AgentDay,
  type BookingAction,
  HandBackBody,
  ReviewBody,
  Role,
  StaffProfile,
  VisitList,
  VisitView,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Booking } from '../../db/schema';
import { AppError, errorResponses } from '../../lib/errors';
import { prepareBundleTolerance, prepareDoorTolerance, visitAllowsTolerance } from '../bags/door';
import type { BundleChecklistItem } from '../bundles/bundles';
import { staffOutlet } from '../staff/outlets';
import { type eventsOf, toBookingView } from './bookings';
import { agentDay } from './day';
import { missingFromReview } from './review';
import {
  acceptByOf,
  acceptVisit,
  agentCancelVisit,
  type ChecklistItem,
  checklistFor,
  checklistKey,
  getVisibleVisit,
  handBackVisit,
  isActiveVisit,
  listVisitQueue,
  moveVisit,
  recordReview,
  visitDetails,
} from './visitQueries';

const errors = errorResponses(400, 401, 403, 404, 409, 422);
const agents = [Role.postalAgent];
const Params = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** The postal agent's side of a door visit (政邮专员): queue, accept, on the way, arrive, first review (初审). */
export default async function visitRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;
  const { promiseMinutes } = app.config.visits;

  /** The visit as this agent may see it: theirs, or an open one of their outlet; else 404. */
  async function visible(id: string, agentId: string) {
    const outlet = await staffOutlet(db, agentId);
    return { outlet, booking: await getVisibleVisit(db, { id, agentId, outletId: outlet?.id ?? null }) };
  }

  /**
   * The visit as the agent sees it. Address, phone and note are shown in full only to the agent who accepted
   * the visit, while it is on, and each such read is written to the staff access log.
   */
  async function visitView(b: Booking, agentId: string, purpose: string) {
    const mine = b.agentId === agentId && isActiveVisit(b);
    const d = await visitDetails(db, { booking: b, agentId, reveal: mine, purpose });
    return {
      ...toVisit(b, d.events, d.checklist, agentId, { reveal: mine, waybillNo: d.waybillNo }),
      tolerantAcceptance: await visitAllowsTolerance(db, b),
    };
  }

  /** A booking as a visit: the checklist to review, and whether it is late and whose it is. */
  function toVisit(
    b: Booking,
    events: Awaited<ReturnType<typeof eventsOf>>,
    checklist: ChecklistItem[],
    agentId: string,
    /** Full address and phone: only on the visit page of the agent who took it, where the read is logged. */
    opts: { reveal: boolean; waybillNo?: string | null },
  ) {
    return {
      ...toBookingView(b, events, app.pii, opts),
      checklist: checklist.map((m) => ({
        materialId: m.id,
        name: m.name,
        form: m.form,
        count: m.count,
        required: m.required,
        note: m.note,
        // 一件事一次办: which matters ask for the line, and whether each allows 容缺受理.
        ...('matters' in m ? { matters: (m as BundleChecklistItem).matters } : {}),
      })),
      overdue:
        (!!b.dueAt && !b.arrivedAt && b.dueAt.getTime() < Date.now()) ||
        (b.status === 'requested' && (acceptByOf(b, promiseMinutes)?.getTime() ?? Infinity) < Date.now()),
      mine: b.agentId === agentId,
      acceptBy: b.status === 'requested' ? (acceptByOf(b, promiseMinutes)?.toISOString() ?? null) : null,
      outletId: b.outletId,
    };
  }

  app.get(
    '/staff/visits',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary:
          "The agent's queue: my visits and my outlet's open orders, overdue first, then by deadline (an open order's is its acceptance deadline)",
        response: { 200: VisitList, ...errors },
      },
    },
    async (req) => {
      const outlet = await staffOutlet(db, req.userId);
      const { rows, events, checklists } = await listVisitQueue(db, {
        agentId: req.userId,
        outletId: outlet?.id ?? null,
        promiseMinutes,
        limit: 100,
      });
      return {
        // The queue never shows full addresses.
        items: rows.map((b) =>
          toVisit(b, events, checklists.get(checklistKey(b)) ?? [], req.userId, { reveal: false }),
        ),
      };
    },
  );

  app.get(
    '/staff/visits/:id',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary: 'One visit with its checklist',
        params: Params,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => visitView((await visible(req.params.id, req.userId)).booking, req.userId, 'visit'),
  );

  app.get(
    '/staff/me',
    {
      config: { access: [Role.postalAgent, Role.centreClerk, Role.outletClerk] },
      schema: {
        tags: ['visits'],
        summary: 'Where I work (my outlet, set by supervisors) and the acceptance promise',
        response: { 200: StaffProfile, ...errors },
      },
    },
    async (req) => ({ outlet: await staffOutlet(db, req.userId), promiseMinutes }),
  );

  app.get(
    '/staff/day',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary:
          "The agent's day: today's visits (Beijing date), finished ones too, with what happened at each",
        response: { 200: AgentDay, ...errors },
      },
    },
    async (req) => agentDay(db, app.pii, { agentId: req.userId, now: new Date() }),
  );

  /** A step by the agent who holds the visit. */
  const step = (
    path: string,
    action: BookingAction,
    summary: string,
    set: (b: { now: Date }) => Partial<Booking> = () => ({}),
  ) =>
    app.post(
      `/staff/visits/:id/${path}`,
      {
        config: { access: agents },
        schema: { tags: ['visits'], summary, params: Params, response: { 200: VisitView, ...errors } },
      },
      async (req) => {
        await visible(req.params.id, req.userId);
        const b = await moveVisit(db, {
          bookingId: req.params.id,
          agentId: req.userId,
          action,
          set: set({ now: new Date() }),
        });
        return visitView(b, req.userId, action);
      },
    );

  // Two agents accepting at once: the conditional UPDATE lets exactly one of them through.
  app.post(
    '/staff/visits/:id/accept',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary: 'Take an open visit',
        params: Params,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => {
      const outlet = await staffOutlet(db, req.userId);
      if (!outlet) throw new AppError(409, 'OUTLET_NOT_ASSIGNED');
      await getVisibleVisit(db, { id: req.params.id, agentId: req.userId, outletId: outlet.id });
      const b = await acceptVisit(db, {
        bookingId: req.params.id,
        agentId: req.userId,
        now: new Date(),
        outletId: outlet.id,
        promiseMinutes,
      });
      return visitView(b, req.userId, 'accept');
    },
  );
  step('depart', 'depart', 'On the way');
  step('arrive', 'arrive', 'At the door', ({ now }) => ({ arrivedAt: now }));
  step('start-review', 'startReview', 'Start the first review of the materials');

  app.post(
    '/staff/visits/:id/review',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary:
          'Submit the review: all required materials present → collected (EMS and case submission follow); otherwise one complete list of what is missing',
        params: Params,
        body: ReviewBody,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => {
      const { booking: b } = await visible(req.params.id, req.userId);
      // 一次性告知: every required material that is absent or short of copies, in one list.
      const missing = missingFromReview(await checklistFor(db, b), req.body.items);
      // 容缺受理: with something missing, collect what is complete and leave a bag for the rest (a bundle's
      // matters each by their own rule).
      const bagCode = missing.length > 0 ? req.body.tolerate?.bagCode : undefined;
      const tolerate =
        bagCode === undefined
          ? undefined
          : b.bundle
            ? await prepareBundleTolerance(app, { booking: b, bagCode, missing })
            : {
                waiting: undefined,
                onCollected: await prepareDoorTolerance(app, { matterCode: b.matterCode, bagCode, missing }),
              };
      const done = await recordReview(app, {
        bookingId: b.id,
        agentId: req.userId,
        review: req.body.items,
        missing: tolerate ? [] : missing,
        onCollected: tolerate?.onCollected,
        waiting: tolerate?.waiting,
      });
      return visitView(done, req.userId, 'review');
    },
  );

  app.post(
    '/staff/visits/:id/cancel',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary:
          'Cancel a visit for good (resident unreachable, wrong address), with a reason the resident is told; the slot is freed',
        params: Params,
        body: AgentCancelBody,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => {
      await visible(req.params.id, req.userId);
      const b = await agentCancelVisit(app, {
        bookingId: req.params.id,
        agentId: req.userId,
        reason: req.body.reason,
      });
      return visitView(b, req.userId, 'cancel');
    },
  );

  app.post(
    '/staff/visits/:id/hand-back',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary:
          'AB岗: hand the visit back to the outlet queue with a reason (the resident is told; nothing is cancelled; the slot keeps its place)',
        params: Params,
        body: HandBackBody,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => {
      await visible(req.params.id, req.userId);
      const b = await handBackVisit(app, {
        bookingId: req.params.id,
        agentId: req.userId,
        reason: req.body.reason.trim(),
      });
      return visitView(b, req.userId, 'hand-back');
    },
  );
}
