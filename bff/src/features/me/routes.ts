import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ConsentBody,
  type FieldIssue,
  IdentityBody,
  MeResponse,
  PRIVACY_GUIDE_VERSION,
  validatePersonName,
  validateResidentId,
} from '@zyt/shared';
import type { FastifyInstance } from 'fastify';
import { GovError } from '../../integrations/gov/types';
import { AppError, errorResponses, notFound } from '../../lib/errors';
import { getUserById, recordConsent, storeIdentity, toMe } from './users';

const errors = errorResponses(400, 401, 403, 404, 409, 422);

export default async function meRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.database;

  app.get(
    '/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['me'],
        summary: 'Who am I (personal data masked)',
        response: { 200: MeResponse, ...errors },
      },
    },
    async (req) => {
      const user = await getUserById(db, req.userId);
      if (!user) throw notFound();
      return toMe(user, app.pii);
    },
  );

  app.post(
    '/me/consent',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['me'],
        summary: 'Agree to the privacy guide (《隐私保护指引》)',
        body: ConsentBody,
        response: { 200: MeResponse, ...errors },
      },
    },
    async (req) => {
      if (req.body.version !== PRIVACY_GUIDE_VERSION) throw new AppError(409, 'CONSENT_VERSION_OUTDATED');
      const user = await recordConsent(db, { userId: req.userId, version: req.body.version });
      if (!user) throw notFound();
      return toMe(user, app.pii);
    },
  );

  app.post(
    '/me/identity',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['me'],
        summary: 'Real name (实名): name and resident ID number',
        body: IdentityBody,
        response: { 200: MeResponse, ...errors },
      },
    },
    async (req) => {
      const current = await getUserById(db, req.userId);
      if (!current) throw notFound();
      // Personal data is accepted only after consent to the guide in force.
      if (current.consentVersion !== PRIVACY_GUIDE_VERSION) throw new AppError(403, 'CONSENT_REQUIRED');

      const name = validatePersonName(req.body.name);
      const idNumber = validateResidentId(req.body.idNumber);
      const issues: FieldIssue[] = [];
      if (!name.ok) issues.push({ field: 'name', message: name.message });
      if (!idNumber.ok) issues.push({ field: 'idNumber', message: idNumber.message });
      if (!name.ok || !idNumber.ok) {
        const code =
          issues.length > 1
            ? 'VALIDATION_FAILED'
            : issues[0]!.field === 'name'
              ? 'NAME_INVALID'
              : 'ID_NUMBER_INVALID';
        throw new AppError(422, code, issues.length > 1 ? undefined : issues[0]!.message, issues);
      }
      // 实名核验 with the government platform, before anything is stored (and outside any transaction).
      const verdict = await app.gov
        .checkIdentity({ name: name.value, idNumber: idNumber.value })
        .catch((err: unknown) => {
          if (err instanceof GovError) {
            req.log.warn({ code: err.code }, 'identity check unavailable');
            throw new AppError(502, 'IDENTITY_CHECK_UNAVAILABLE');
          }
          throw err;
        });
      if (!verdict.match) {
        throw new AppError(422, 'IDENTITY_MISMATCH', undefined, [
          { field: 'idNumber', message: '姓名与身份证号码不一致，请核对后重新输入' },
        ]);
      }
      const user = await storeIdentity(db, app.pii, {
        userId: req.userId,
        name: name.value,
        idNumber: idNumber.value,
      });
      return toMe(user!, app.pii);
    },
  );
}
