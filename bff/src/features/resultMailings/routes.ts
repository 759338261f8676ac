import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AddResultMailingBody,
  type FieldIssue,
  maskName,
  maskPhone,
  ResultMailingView,
  Role,
  StaffResultMailingsBody,
  StaffResultMailingsResponse,
  validateMobile,
  validatePersonName,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { AppError, errorResponses } from '../../lib/errors';
import { idempotencyKeyOf } from '../../lib/idempotency';
import { caseSummary } from '../cases/timeline';
import { staffOutlet } from '../staff/outlets';
import { type AddedMailing, addResultMailing, orderResultMailings, outletRow } from './resultMailings';

const view = (m: AddedMailing): ResultMailingView => ({
  case: caseSummary(m.case, null),
  receiver: {
    name: maskName(m.contact.name),
    phone: maskPhone(m.contact.phone),
    address: `${m.address.province}${m.address.city}${m.address.county}****`,
  },
});

/** 单程寄递: results of cases applied for elsewhere, mailed by EMS at the government's cost. */
export default async function resultMailingRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.post(
    '/cases/result-mailings',
    {
      config: { access: [Role.resident] },
      schema: {
        tags: ['cases'],
        summary:
          'Add a case applied for online or at a window (by its receipt code or number + query code) and have its result mailed; send an Idempotency-Key',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String()) }),
        body: AddResultMailingBody,
        response: {
          200: ResultMailingView,
          201: ResultMailingView,
          ...errorResponses(400, 401, 403, 404, 409, 422, 429, 503),
        },
      },
    },
    async (req, reply) => {
      const key = idempotencyKeyOf(req.headers);
      const name = validatePersonName(req.body.contact.name);
      const phone = validateMobile(req.body.contact.phone);
      const issues: FieldIssue[] = [];
      if (!name.ok) issues.push({ field: 'contact.name', message: name.message });
      if (!phone.ok) issues.push({ field: 'contact.phone', message: phone.message });
      if (!name.ok || !phone.ok) throw new AppError(422, 'CONTACT_INVALID', undefined, issues);
      const added = await addResultMailing(db, app, {
        userId: req.userId,
        idempotencyKey: key,
        body: req.body,
        contact: { name: name.value, phone: phone.value },
      });
      return reply.code(added.replayed ? 200 : 201).send(view(added));
    },
  );

  app.post(
    '/staff/result-mailings',
    {
      config: { access: [Role.centreClerk] },
      schema: {
        tags: ['staff'],
        summary:
          'A service centre orders result mailing for many issued results at once (one EMS parcel per person and address, up to 5 results)',
        body: StaffResultMailingsBody,
        response: { 200: StaffResultMailingsResponse, ...errorResponses(400, 401, 403, 422) },
      },
    },
    async (req) => {
      const outlet = await staffOutlet(db, req.userId);
      if (!outlet) throw new AppError(403, 'OUTLET_NOT_ASSIGNED');
      const centre = outlet.kind === 'service_centre' ? await outletRow(db, outlet.id) : undefined;
      if (!centre) throw new AppError(403, 'FORBIDDEN');
      const issues: FieldIssue[] = [];
      const items = req.body.items.map((item, i) => {
        const name = validatePersonName(item.contact.name);
        const phone = validateMobile(item.contact.phone);
        if (!name.ok) issues.push({ field: `items.${i}.contact.name`, message: name.message });
        if (!phone.ok) issues.push({ field: `items.${i}.contact.phone`, message: phone.message });
        return name.ok && phone.ok ? { ...item, contact: { name: name.value, phone: phone.value } } : item;
      });
      if (issues.length > 0)
        throw new AppError(422, 'RESULT_MAILING_LIST_INVALID', undefined, issues.slice(0, 50));
      return orderResultMailings(db, app, { clerkId: req.userId, centre, body: { items } });
    },
  );
}
