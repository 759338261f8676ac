import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AgentCancelBody,
  type BookingAction,
  type MissingItem,
  ReviewBody,
  Role,
  VisitList,
  VisitView,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Booking } from '../../db/schema';
import { AppError, errorResponses } from '../../lib/errors';
import { allowsTolerance, prepareDoorTolerance } from '../bags/door';
import { type eventsOf, toBookingView } from './bookings';
import {
  acceptVisit,
  agentCancelVisit,
  type ChecklistItem,
  getVisibleVisit,
  listVisitQueue,
  matterChecklist,
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

  /**
   * The visit as the agent sees it. Address and phone are shown in full only to the agent who accepted the
   * visit, and each such read is written to the staff access log.
   */
  async function visitView(b: Booking, agentId: string, purpose: string) {
    const mine = b.agentId === agentId;
    const d = await visitDetails(db, { booking: b, agentId, reveal: mine, purpose });
    return {
      ...toVisit(b, d.events, d.checklist, agentId, { reveal: mine, waybillNo: d.waybillNo }),
      tolerantAcceptance: await allowsTolerance(db, b.matterCode),
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
      })),
      overdue: !!b.dueAt && !b.arrivedAt && b.dueAt.getTime() < Date.now(),
      mine: b.agentId === agentId,
    };
  }

  app.get(
    '/staff/visits',
    {
      config: { access: agents },
      schema: {
        tags: ['visits'],
        summary: "The agent's queue: my visits and open ones, overdue first, then by due time",
        response: { 200: VisitList, ...errors },
      },
    },
    async (req) => {
      const { rows, events, checklists } = await listVisitQueue(db, { agentId: req.userId, limit: 100 });
      return {
        // The queue never shows full addresses.
        items: rows.map((b) =>
          toVisit(b, events, checklists.get(b.matterCode) ?? [], req.userId, { reveal: false }),
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
    async (req) =>
      visitView(await getVisibleVisit(db, { id: req.params.id, agentId: req.userId }), req.userId, 'visit'),
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
        await getVisibleVisit(db, { id: req.params.id, agentId: req.userId });
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
      await getVisibleVisit(db, { id: req.params.id, agentId: req.userId });
      const b = await acceptVisit(db, { bookingId: req.params.id, agentId: req.userId, now: new Date() });
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
      const b = await getVisibleVisit(db, { id: req.params.id, agentId: req.userId });
      const checklist = await matterChecklist(db, b.matterCode);
      const given = new Map(req.body.items.map((i) => [i.materialId, i]));
      const unknown = req.body.items.filter((i) => !checklist.some((m) => m.id === i.materialId));
      const unchecked = checklist.filter((m) => !given.has(m.id));
      if (unknown.length > 0 || unchecked.length > 0) {
        throw new AppError(422, 'REVIEW_INCOMPLETE', undefined, [
          ...unchecked.map((m) => ({ field: `items.${m.id}`, message: `未核对：${m.name}` })),
          ...unknown.map((i) => ({ field: `items.${i.materialId}`, message: '不在该事项的材料清单中' })),
        ]);
      }
      // 一次性告知: every required material that is absent or short of copies, in one list.
      const missing: MissingItem[] = checklist
        .filter((m) => m.required)
        .flatMap((m) => {
          const item = given.get(m.id)!;
          if (!item.present) return [{ materialId: m.id, name: m.name, reason: '未提供' }];
          if (item.copies < m.count)
            return [{ materialId: m.id, name: m.name, reason: `需${m.count}份，仅提供${item.copies}份` }];
          return [];
        });
      // 容缺受理: with something missing, collect what is complete and leave a bag for the rest.
      const tolerate =
        req.body.tolerate && missing.length > 0
          ? await prepareDoorTolerance(app, {
              matterCode: b.matterCode,
              bagCode: req.body.tolerate.bagCode,
              missing,
            })
          : undefined;
      const done = await recordReview(app, {
        bookingId: b.id,
        agentId: req.userId,
        review: req.body.items,
        missing: tolerate ? [] : missing,
        onCollected: tolerate,
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
        summary: 'Cancel a visit with a reason',
        params: Params,
        body: AgentCancelBody,
        response: { 200: VisitView, ...errors },
      },
    },
    async (req) => {
      await getVisibleVisit(db, { id: req.params.id, agentId: req.userId });
      const b = await agentCancelVisit(db, {
        bookingId: req.params.id,
        agentId: req.userId,
        reason: req.body.reason,
      });
      return visitView(b, req.userId, 'cancel');
    },
  );
}
