import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  BindEnterpriseBody,
  BindEnterpriseResponse,
  ClaimRoundList,
  ClaimRoundView,
  ConfirmSubsidyBody,
  CoverCodeParams,
  CreditCodeParam,
  EnterpriseBindingList,
  EnterpriseBindingView,
  EnterpriseMemberList,
  EnterpriseMemberView,
  MemberParams,
  Role,
  RoundParams,
  StaffCoverSheetView,
  SubsidyClaimBody,
  SubsidyOfferList,
  SubsidyOfferView,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../lib/errors';
import { idempotencyKeyOf } from '../../lib/idempotency';
import { staffOutlet } from '../staff/outlets';
import { actingFor, bindEnterprise, bindingView, decideMember, listMembers, myBindings } from './bindings';
import { claimRound, claimRounds, coverSheet, createClaim, receiveCoverSheet } from './claims';
import { confirmSubsidy, subsidyOffers } from './subsidies';

/**
 * 企业服务: binding to enterprises and acting for them. Any signed-in person may bind (real name required);
 * everything under /enterprises/:creditCode needs an active binding to that enterprise (404 otherwise).
 */
export default async function enterpriseRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  /** The centre a clerk works at: cover sheets are entered by the centre they were posted to. */
  async function clerkCentre(userId: string) {
    const outlet = await staffOutlet(db, userId);
    if (!outlet) throw new AppError(409, 'OUTLET_NOT_ASSIGNED');
    return outlet.id;
  }

  app.post(
    '/enterprises/bindings',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprises'],
        summary:
          'Bind to an enterprise by its 统一社会信用代码: the legal representative at once as admin, anyone else as a request for the admin',
        body: BindEnterpriseBody,
        response: { 201: BindEnterpriseResponse, ...errorResponses(400, 401, 403, 404, 409, 422, 503) },
      },
    },
    async (req, reply) => {
      const bound = await bindEnterprise(db, app, { userId: req.userId, creditCode: req.body.creditCode });
      return reply.code(201).send(bound);
    },
  );

  app.get(
    '/enterprises/bindings',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprises'],
        summary: 'My enterprise bindings (active, pending, refused, revoked), newest first',
        response: { 200: EnterpriseBindingList, ...errorResponses(401) },
      },
    },
    async (req) => ({ items: await myBindings(db, req.userId) }),
  );

  app.get(
    '/enterprises/:creditCode',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprises'],
        summary: 'An enterprise I act for (404 unless my binding to it is active)',
        params: CreditCodeParam,
        response: { 200: EnterpriseBindingView, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const { member, enterprise } = await actingFor(db, req.userId, req.params.creditCode);
      return bindingView(member, enterprise);
    },
  );

  app.get(
    '/enterprises/:creditCode/members',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprises'],
        summary: "The enterprise's admin sees who is bound or asking (names masked)",
        params: CreditCodeParam,
        response: { 200: EnterpriseMemberList, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => ({
      items: await listMembers(db, app, { userId: req.userId, creditCode: req.params.creditCode }),
    }),
  );

  for (const decision of ['approve', 'refuse', 'revoke'] as const) {
    app.post(
      `/enterprises/:creditCode/members/:memberId/${decision}`,
      {
        config: { access: 'signed-in' },
        schema: {
          tags: ['enterprises'],
          summary: {
            approve: "The admin approves a clerk's request",
            refuse: "The admin refuses a clerk's request",
            revoke: 'The admin revokes a clerk',
          }[decision],
          params: MemberParams,
          response: { 200: EnterpriseMemberView, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (req) => {
        await decideMember(db, app, { userId: req.userId, decision, ...req.params });
        const members = await listMembers(db, app, { userId: req.userId, creditCode: req.params.creditCode });
        return members.find((m) => m.id === req.params.memberId)!;
      },
    );
  }

  app.get(
    '/enterprises/:creditCode/subsidies',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprises'],
        summary:
          '免申即享: the rounds this enterprise is screened for, the amount with its working, and its confirmation',
        params: CreditCodeParam,
        response: { 200: SubsidyOfferList, ...errorResponses(401, 404) },
      },
    },
    async (req) => ({
      items: await subsidyOffers(db, { userId: req.userId, creditCode: req.params.creditCode }),
    }),
  );

  app.post(
    '/enterprises/:creditCode/subsidies/:roundId/confirm',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprises'],
        summary:
          '免申即享: confirm size class, headcount and bank account; becomes the enterprise case submitted to the platform',
        params: RoundParams,
        body: ConfirmSubsidyBody,
        response: { 201: SubsidyOfferView, ...errorResponses(400, 401, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const offer = await confirmSubsidy(db, app, {
        userId: req.userId,
        creditCode: req.params.creditCode,
        roundId: req.params.roundId,
        body: req.body,
      });
      return reply.code(201).send(offer);
    },
  );

  app.get(
    '/enterprises/:creditCode/claims',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprises'],
        summary:
          '邮寄申领: open rounds this enterprise is not screened for, with the rule, the checklist and its claim',
        params: CreditCodeParam,
        response: { 200: ClaimRoundList, ...errorResponses(401, 404) },
      },
    },
    async (req) => ({
      items: await claimRounds(db, { userId: req.userId, creditCode: req.params.creditCode }),
    }),
  );

  app.get(
    '/enterprises/:creditCode/rounds/:roundId/claim',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprises'],
        summary: "邮寄申领: one round's claim form (rule, checklist) and the enterprise's claim in it",
        params: RoundParams,
        response: { 200: ClaimRoundView, ...errorResponses(401, 404, 409) },
      },
    },
    async (req) => claimRound(db, { userId: req.userId, ...req.params }),
  );

  app.post(
    '/enterprises/:creditCode/rounds/:roundId/claim',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['enterprises'],
        summary:
          '邮寄申领: claim with materials (EMS pickup, door visit or self-post with a cover sheet); one per enterprise and round, send an Idempotency-Key',
        params: RoundParams,
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: SubsidyClaimBody,
        response: { 200: ClaimRoundView, 201: ClaimRoundView, ...errorResponses(400, 401, 404, 409, 422) },
      },
    },
    async (req, reply) => {
      const key = idempotencyKeyOf(req.headers);
      const { created, round } = await createClaim(db, app, {
        userId: req.userId,
        ...req.params,
        key,
        body: req.body,
      });
      return reply.code(created ? 201 : 200).send(round);
    },
  );

  app.get(
    '/staff/claims/cover/:code',
    {
      config: { access: [Role.centreClerk] },
      schema: {
        tags: ['enterprises'],
        summary: "The centre looks up a self-posted claim by its cover sheet's code",
        params: CoverCodeParams,
        response: { 200: StaffCoverSheetView, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (req) => coverSheet(db, { code: req.params.code, centreId: await clerkCentre(req.userId) }),
  );

  app.post(
    '/staff/claims/cover/:code/receive',
    {
      config: { access: [Role.centreClerk] },
      schema: {
        tags: ['enterprises'],
        summary:
          "A self-posted claim arrived: the cover sheet's code marks its materials received and the case is submitted",
        params: CoverCodeParams,
        response: { 200: StaffCoverSheetView, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (req) =>
      receiveCoverSheet(app, {
        code: req.params.code,
        clerkId: req.userId,
        centreId: await clerkCentre(req.userId),
        now: new Date(),
      }),
  );
}
