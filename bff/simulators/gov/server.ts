import { randomInt, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { validateCreditCode, validateResidentId } from '@zyt/shared';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { verifySignature } from '../../src/integrations/gov/signing';
import {
  checker,
  GOV_API_PREFIX,
  GovApplicantCheck,
  type GovCaseSubmission,
  GovCaseSubmission as GovCaseSubmissionSchema,
  GovDelivery,
  GovEnterpriseLookup,
  type GovErrorBody,
  type GovEvaluationReport,
  GovEvaluationReport as GovEvaluationReportSchema,
  GovEvaluationVoid,
  GovMaterialsArrival,
  type GovScreenedRow,
  GovSupplementPush,
} from '../../src/integrations/gov/types';
import { createCallbackOutbox, sleep } from './callbacks';
import { createCaseBook, OUTCOMES } from './cases';
import { bundles, catalogueVersion, matters, outlets } from './catalogue';
import {
  registryEnterprises,
  type SimRound,
  screenedRow,
  seededRows,
  syntheticCreditCode,
} from './enterprises';
import { createNonceCache } from './nonces';

/**
 * Simulator of the provincial government service platform's JSON/HTTPS binding (see
 * src/integrations/gov/signing.ts and types.ts). It checks every signature, serves the 黄埔区 catalogue, checks
 * identities, takes cases idempotently (a 快递送达 case waits at 收件 until we report its materials arrived), moves them through stages on a fast-forwardable clock and pushes
 * signed callbacks. `/sim/*` endpoints (unsigned) script outcomes and inject faults for tests and demos.
 */
export interface GovSimulatorOptions {
  appId: string;
  appSecret: string;
  /** Where stage callbacks go; can be set later with setCallbackUrl (the BFF usually starts after us). */
  callbackUrl?: string;
  /** How many times faster than real time cases move (default 1: 收件 → 办结 in about 3.5 minutes). */
  speed?: number;
  /** Keeps cases across restarts in this JSON file; unset, they live in memory. */
  stateFile?: string;
}

export interface GovSimulator {
  /** The Fastify instance (for inject); prefer listen/close. */
  app: FastifyInstance;
  /** Starts listening (port 0 = any free port) and returns the base URL, e.g. http://127.0.0.1:53117. */
  listen(opts?: { host?: string; port?: number }): Promise<string>;
  setCallbackUrl(url: string | undefined): void;
  setSpeed(speed: number): void;
  /** Stops the clock, drops pending callbacks and closes the server. */
  close(): Promise<void>;
}

class SimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { field: string; message: string }[],
  ) {
    super(message);
  }
}

const SIGNATURE_MESSAGES: Record<string, string> = {
  MISSING_HEADERS: '缺少或格式错误的签名请求头',
  WRONG_APP: '应用标识不存在或未授权',
  STALE: '请求时间戳超出允许范围（±5分钟），请校准服务器时钟',
  BAD_SIGNATURE: '签名校验失败',
  REPLAYED: '请求已处理过（nonce 重复）',
};

const PAGE_DEFAULT = 50;
const PAGE_MAX = 200;
const HANG_MS = 120_000;

const checkSubmission = checker(GovCaseSubmissionSchema);
const checkArrival = checker(GovMaterialsArrival);
const checkSupplementPush = checker(GovSupplementPush);
const checkApplicantCheck = checker(GovApplicantCheck);
const checkDelivery = checker(GovDelivery);
const checkEvaluation = checker(GovEvaluationReportSchema);
const checkEvaluationVoid = checker(GovEvaluationVoid);
const checkEnterpriseLookup = checker(GovEnterpriseLookup);

const Faults = Type.Object({
  /** Share of platform calls answered 503, 0–1. */
  errorRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  /** Added to every platform call. */
  latencyMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000 })),
  /** Share of platform calls that never get an answer, 0–1. */
  timeoutRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  /** Connections are cut for this long (the platform is down). */
  downForSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
});

const SupplementItem = Type.Object({
  name: Type.String({ minLength: 1 }),
  reason: Type.String({ minLength: 1 }),
  materialId: Type.Optional(Type.String({ minLength: 1 })),
});

export function createGovSimulator(opts: GovSimulatorOptions): GovSimulator {
  const app = Fastify({ logger: false, forceCloseConnections: true });
  const outbox = createCallbackOutbox({
    appId: opts.appId,
    appSecret: opts.appSecret,
    url: opts.callbackUrl,
  });
  const matterByCode = new Map(matters.map((mt) => [mt.serviceCode, mt]));
  const bundleByCode = new Map(bundles.map((b) => [b.code, b]));
  const book = createCaseBook({
    outbox,
    // Only on matters of the same situation: one outside it is never applied for, so never waited for.
    dependsOn: ({ code, situation }, serviceCode) => {
      const bundle = bundleByCode.get(code);
      const applies = bundle?.situations.find((st) => st.id === situation)?.serviceCodes ?? [];
      const deps = bundle?.matters.find((mt) => mt.serviceCode === serviceCode)?.dependsOn ?? [];
      return deps.filter((d) => applies.includes(d));
    },
    speed: opts.speed ?? 1,
    stateFile: opts.stateFile,
    matterOf: (code) => matterByCode.get(code),
  });
  const nonces = createNonceCache();
  const identityOverrides = new Map<string, boolean>();
  const enterpriseByCode = new Map(registryEnterprises.map((e) => [e.creditCode, e]));
  /** 免申即享 rounds published so far, by roundId. */
  const rounds = new Map<string, SimRound>();
  let roundSequence = 0;
  let enterpriseLookups = 0;
  /** 好差评 ratings as received, once each (by evaluationId), and how many calls delivered each. */
  const evaluations = new Map<
    string,
    { report: GovEvaluationReport; receivedAt: string; calls: number; voidedAt?: string }
  >();
  /** The next rating reports fail with 503: before storing, or after storing (the answer is lost). */
  let evaluationFailures = { before: 0, after: 0 };
  let faults = { errorRate: 0, latencyMs: 0, timeoutRate: 0, downUntil: 0 };
  /** Aborted on close/reset, to release requests held by latency or timeout faults. */
  let held = new AbortController();

  app.setErrorHandler((err: FastifyError | SimError, _req, reply) => {
    const body = (
      code: string,
      message: string,
      details?: { field: string; message: string }[],
    ): GovErrorBody => ({
      error: { code, message, ...(details ? { details } : {}) },
    });
    if (err instanceof SimError) return reply.code(err.status).send(body(err.code, err.message, err.details));
    if (err.validation) return reply.code(400).send(body('VALIDATION_FAILED', err.message));
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    return reply
      .code(status)
      .send(body(status >= 500 ? 'INTERNAL' : (err.code ?? 'BAD_REQUEST'), err.message));
  });
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: `${req.method} ${req.url} 不存在` } });
  });

  // The platform binding: signed, and subject to injected faults.
  app.register(
    async (gov) => {
      // Keep the body as the exact string received: the signature covers those bytes.
      gov.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
        done(null, body),
      );

      gov.addHook('onRequest', async (req, reply) => {
        if (Date.now() < faults.downUntil) {
          reply.hijack();
          req.raw.socket.destroy();
          return reply;
        }
        if (faults.latencyMs > 0) await sleep(faults.latencyMs, held.signal).catch(() => {});
        if (Math.random() < faults.timeoutRate) {
          reply.hijack();
          await sleep(HANG_MS, held.signal).catch(() => {});
          req.raw.socket.destroy();
          return reply;
        }
        if (Math.random() < faults.errorRate) {
          return reply
            .code(503)
            .send({ error: { code: 'SERVICE_UNAVAILABLE', message: '平台繁忙，请稍后再试' } });
        }
      });

      gov.addHook('preHandler', async (req) => {
        const verdict = verifySignature({
          headers: req.headers,
          method: req.method,
          path: req.url,
          rawBody: typeof req.body === 'string' ? req.body : '',
          appSecret: opts.appSecret,
          expectedAppId: opts.appId,
          now: Date.now(),
          seenNonce: nonces.seen,
        });
        if (!verdict.ok)
          throw new SimError(401, verdict.reason, SIGNATURE_MESSAGES[verdict.reason] ?? '签名无效');
      });

      gov.get('/catalogue', async (req) => {
        const q = req.query as { cursor?: string; limit?: string };
        const limit = q.limit === undefined ? PAGE_DEFAULT : Number(q.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX) {
          throw new SimError(400, 'VALIDATION_FAILED', `limit 应为 1–${PAGE_MAX} 的整数`);
        }
        const offset = q.cursor === undefined ? 0 : decodeCursor(q.cursor);
        const page = matters.slice(offset, offset + limit);
        const next = offset + limit < matters.length ? encodeCursor(offset + limit) : undefined;
        return {
          matters: page,
          outlets: offset === 0 ? outlets : [],
          ...(offset === 0 ? { bundles } : {}),
          ...(next ? { nextCursor: next } : {}),
          version: catalogueVersion,
        };
      });

      gov.post('/identity/check', async (req) => {
        const body = parseJson(req) as { name?: unknown; idNumber?: unknown };
        if (typeof body.name !== 'string' || typeof body.idNumber !== 'string') {
          throw new SimError(400, 'VALIDATION_FAILED', '需要 name 和 idNumber');
        }
        const idNumber = body.idNumber.trim().toUpperCase();
        const override = identityOverrides.get(idNumber);
        const plausible =
          /^\p{Script=Han}[\p{Script=Han}·]{1,29}$/u.test(body.name.trim()) &&
          validateResidentId(idNumber).ok;
        return { match: override ?? plausible };
      });

      gov.post('/enterprises/lookup', async (req) => {
        const body = checkEnterpriseLookup(parseJson(req));
        if (!body.ok) throw new SimError(400, 'VALIDATION_FAILED', '需要18位统一社会信用代码（creditCode）');
        enterpriseLookups++;
        const e = enterpriseByCode.get(body.value.creditCode);
        if (!e)
          throw new SimError(
            404,
            'ENTERPRISE_NOT_FOUND',
            `没有统一社会信用代码为 ${body.value.creditCode} 的企业`,
          );
        const person = body.value.person;
        const rep = e.legalRepresentative;
        return {
          creditCode: e.creditCode,
          name: e.name,
          address: e.address,
          legalRepresentative: `${[...rep.name][0]}*`,
          status: e.status,
          ...(person
            ? {
                isLegalRepresentative:
                  person.cardType === '111' &&
                  person.name === rep.name &&
                  person.cardNumber.toUpperCase() === rep.idNumber,
              }
            : {}),
        };
      });

      gov.get('/rounds/:roundId/list', async (req) => {
        const { roundId } = req.params as { roundId: string };
        const round = rounds.get(roundId);
        if (!round) throw new SimError(404, 'ROUND_NOT_FOUND', `政策批次 ${roundId} 不存在`);
        return { roundId, rows: round.rows };
      });

      gov.post('/cases', async (req, reply) => {
        const checked = checkSubmission(parseJson(req));
        if (!checked.ok) {
          throw new SimError(
            400,
            'VALIDATION_FAILED',
            '办件数据不符合接口规范',
            checked.errors.map((e) => ({ field: e, message: e })),
          );
        }
        const sub = checked.value;
        book.countSubmission(sub.ourId);
        const existing = book.findByOurId(sub.ourId);
        if (existing) {
          if (existing.serviceCode !== sub.serviceCode) {
            throw new SimError(
              409,
              'OUR_ID_CONFLICT',
              `ourId ${sub.ourId} 已用于另一事项的办件 ${existing.projId}`,
            );
          }
          const receipt = book.receiptOf(existing.projId);
          return reply.code(200).send({
            projId: existing.projId,
            receivedAt: existing.receiveTime,
            ...(receipt ? { queryCode: receipt.queryCode } : {}),
          });
        }
        const matter = validateSubmission(sub);
        // 网点就近办: a window case gets its receipt's 查询码 like any case taken at a window.
        if (sub.window) {
          const queryCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
          const view = book.openElsewhere(sub, matter, { queryCode, applyChannel: 'window' });
          return reply.code(201).send({ projId: view.projId, receivedAt: view.receiveTime, queryCode });
        }
        const view = book.create(sub, matter);
        return reply.code(201).send({ projId: view.projId, receivedAt: view.receiveTime });
      });

      gov.post('/cases/:projId/materials-arrival', async (req) => {
        const { projId } = req.params as { projId: string };
        const body = checkArrival(parseJson(req));
        if (!body.ok) throw new SimError(400, 'VALIDATION_FAILED', '需要 waybillNo 和 deliveredAt');
        const found = book.materialsArrived(projId, body.value.waybillNo);
        if (found === 'not_found') throw new SimError(404, 'CASE_NOT_FOUND', `办件 ${projId} 不存在`);
        if (found === 'not_by_post')
          throw new SimError(409, 'NOT_BY_POST', `办件 ${projId} 不是快递送达办件，材料已在窗口收取`);
        if (found === 'other_waybill')
          throw new SimError(409, 'MATERIALS_ALREADY_ARRIVED', `办件 ${projId} 的申请材料已由另一运单寄达`);
        return { projId, stage: found.stage };
      });

      gov.post('/cases/:projId/supplements', async (req) => {
        const { projId } = req.params as { projId: string };
        const body = checkSupplementPush(parseJson(req));
        if (!body.ok)
          throw new SimError(
            400,
            'VALIDATION_FAILED',
            '补正材料数据不符合接口规范',
            body.errors.map((e) => ({ field: e, message: e })),
          );
        const found = book.supplementPushed(projId, body.value.supplementId);
        if (found === 'not_found') throw new SimError(404, 'CASE_NOT_FOUND', `办件 ${projId} 不存在`);
        if (found === 'closed')
          throw new SimError(409, 'CASE_CLOSED', `办件 ${projId} 已办结或终止，不再接收补正材料`);
        return { projId, stage: found.stage };
      });

      gov.post('/cases/:projId/delivery', async (req) => {
        const { projId } = req.params as { projId: string };
        const body = checkDelivery(parseJson(req));
        if (!body.ok)
          throw new SimError(
            400,
            'VALIDATION_FAILED',
            '送达方式数据不符合接口规范',
            body.errors.map((e) => ({ field: e, message: e })),
          );
        const found = book.changeDelivery(projId, body.value);
        if (found === 'not_found') throw new SimError(404, 'CASE_NOT_FOUND', `办件 ${projId} 不存在`);
        if (found === 'closed')
          throw new SimError(409, 'CASE_CLOSED', `办件 ${projId} 已终止，不能变更送达方式`);
        if (found === 'not_mailable')
          throw new SimError(422, 'MAIL_NOT_SUPPORTED', `办件 ${projId} 的事项不支持邮寄送达`);
        if (found === 'collected')
          throw new SimError(409, 'RESULT_COLLECTED', `办件 ${projId} 的办理结果已在窗口领取`);
        return { projId, deliveryMode: 'mail', changedAt: found.changedAt };
      });

      gov.post('/cases/:projId/applicant-check', async (req) => {
        const { projId } = req.params as { projId: string };
        const body = checkApplicantCheck(parseJson(req));
        if (!body.ok) throw new SimError(400, 'VALIDATION_FAILED', '需要 queryCode 和 applicant');
        const found = book.checkApplicant(projId, body.value.queryCode, body.value.applicant);
        // An unknown case and a wrong query code answer alike: case numbers cannot be probed.
        if (found === 'not_found')
          throw new SimError(404, 'CASE_NOT_FOUND', `办件 ${projId} 不存在或查询码不正确`);
        return found;
      });

      gov.post('/evaluations', async (req) => {
        const body = checkEvaluation(parseJson(req));
        if (!body.ok)
          throw new SimError(
            400,
            'VALIDATION_FAILED',
            '评价数据不符合接口规范',
            body.errors.map((e) => ({ field: e, message: e })),
          );
        if (evaluationFailures.before > 0) {
          evaluationFailures.before--;
          throw new SimError(503, 'SERVICE_UNAVAILABLE', '好差评系统暂时不可用');
        }
        const r = body.value;
        const known = evaluations.get(r.evaluationId);
        if (known) known.calls++;
        else evaluations.set(r.evaluationId, { report: r, receivedAt: new Date().toISOString(), calls: 1 });
        if (evaluationFailures.after > 0) {
          evaluationFailures.after--;
          throw new SimError(503, 'SERVICE_UNAVAILABLE', '好差评系统暂时不可用');
        }
        return { evaluationId: r.evaluationId, receivedAt: evaluations.get(r.evaluationId)!.receivedAt };
      });

      gov.post('/evaluations/:evaluationId/void', async (req) => {
        const { evaluationId } = req.params as { evaluationId: string };
        const body = checkEvaluationVoid(parseJson(req));
        if (!body.ok) throw new SimError(400, 'VALIDATION_FAILED', '需要 voidedAt');
        const known = evaluations.get(evaluationId);
        if (!known) throw new SimError(404, 'EVALUATION_NOT_FOUND', `评价 ${evaluationId} 不存在`);
        known.voidedAt ??= body.value.voidedAt;
        return { evaluationId, voidedAt: known.voidedAt };
      });

      gov.get('/cases/:projId', async (req) => {
        const { projId } = req.params as { projId: string };
        const found = book.get(projId);
        if (!found) throw new SimError(404, 'CASE_NOT_FOUND', `办件 ${projId} 不存在`);
        return found;
      });
    },
    { prefix: GOV_API_PREFIX },
  );

  function validateSubmission(sub: GovCaseSubmission) {
    const matter = matterByCode.get(sub.serviceCode);
    if (!matter) throw new SimError(404, 'SERVICE_NOT_FOUND', `实施编码 ${sub.serviceCode} 不存在或已停用`);
    if (matter.serviceVersion !== sub.serviceVersion) {
      throw new SimError(
        409,
        'SERVICE_VERSION_OUTDATED',
        `事项版本已更新为 ${matter.serviceVersion}，请同步事项目录后重新提交`,
      );
    }
    const expectedApplyType = matter.applicantType === 'person' ? 0 : 1;
    if (sub.applyType !== expectedApplyType) {
      throw new SimError(
        422,
        'APPLY_TYPE_MISMATCH',
        `“${matter.name}”的服务对象是${expectedApplyType === 0 ? '自然人' : '法人'}`,
      );
    }
    if (sub.applyType === 1) {
      if (sub.applicant.cardType !== '001' || !validateCreditCode(sub.applicant.cardNumber).ok)
        throw new SimError(422, 'CARD_NUMBER_INVALID', '法人申请须提供正确的统一社会信用代码（证件类型001）');
      if (!sub.operator) throw new SimError(422, 'OPERATOR_REQUIRED', '法人申请须提供经办人信息');
    } else if (sub.applicant.cardType === '001') {
      throw new SimError(422, 'CARD_TYPE_MISMATCH', '自然人申请不能使用统一社会信用代码');
    }
    if (sub.operator?.cardType === '111' && !validateResidentId(sub.operator.cardNumber).ok) {
      throw new SimError(422, 'CARD_NUMBER_INVALID', '经办人身份证号码不正确');
    }
    if (sub.applicant.cardType === '111' && !validateResidentId(sub.applicant.cardNumber).ok) {
      throw new SimError(422, 'CARD_NUMBER_INVALID', '申请人身份证号码不正确');
    }
    if (sub.window && (!matter.channels.outlet || !matter.outletIds.includes(sub.window.outletId))) {
      throw new SimError(422, 'OUTLET_NOT_ACCEPTING', `“${matter.name}”不在网点 ${sub.window.outletId} 受理`);
    }
    // 一件事一次办: the bundle, not each matter, says how it is applied for (one door visit, results by EMS).
    if (sub.bundle) {
      const bundle = bundleByCode.get(sub.bundle.code);
      const situation = bundle?.situations.find((st) => st.id === sub.bundle!.situation);
      if (!bundle || !situation?.serviceCodes.includes(sub.serviceCode))
        throw new SimError(
          422,
          'BUNDLE_MISMATCH',
          `“${matter.name}”不属于“一件事”${sub.bundle.code}的情形${sub.bundle.situation}`,
        );
      const fieldIds = bundle.matters.find((mt) => mt.serviceCode === sub.serviceCode)?.fieldIds ?? [];
      const missingFields = fieldIds.filter((f) => !sub.bundle!.form[f]?.trim());
      if (missingFields.length > 0)
        throw new SimError(
          422,
          'BUNDLE_FORM_INCOMPLETE',
          '申请表缺少本事项需要的信息',
          missingFields.map((f) => ({ field: f, message: `缺少${f}` })),
        );
    } else if ((sub.busMode === '01' || sub.delivery) && matter.channels.mail === 'none') {
      throw new SimError(422, 'MAIL_NOT_SUPPORTED', `“${matter.name}”不支持快递送达`);
    }
    if (sub.subsidy) {
      // 免申即享: the enterprise must be on the round's list, for the amount the platform screened.
      const round = rounds.get(sub.subsidy.roundId);
      const row = round?.rows.find((r) => r.creditCode === sub.applicant.cardNumber);
      if (!round || round.notice.serviceCode !== sub.serviceCode || !row)
        throw new SimError(422, 'NOT_ON_LIST', '该企业不在此批次的免申即享名单中');
      if (row.amountFen !== sub.subsidy.amountFen)
        throw new SimError(422, 'AMOUNT_MISMATCH', '确认金额与名单不一致');
      return matter;
    }
    if (sub.claim) {
      // 邮寄申领: for enterprises the screening missed, at the round's rate of the stated last-year subsidy.
      const round = rounds.get(sub.claim.roundId);
      if (!round || round.notice.serviceCode !== sub.serviceCode || round.notice.ratePercent === undefined)
        throw new SimError(422, 'ROUND_NOT_CLAIMABLE', '该批次不接受邮寄申领');
      if (round.rows.some((r) => r.creditCode === sub.applicant.cardNumber))
        throw new SimError(422, 'ON_LIST', '该企业已在免申即享名单中，请确认而非申领');
      if (
        sub.claim.ratePercent !== round.notice.ratePercent ||
        sub.claim.amountFen !== Math.round((sub.claim.lastYearFen * round.notice.ratePercent) / 100)
      )
        throw new SimError(422, 'AMOUNT_MISMATCH', '申领金额与批次规则不一致');
    }
    const known = new Set(matter.materials.map((mt) => mt.id));
    const unknown = sub.acceptList.filter((a) => !known.has(a.materialId));
    if (unknown.length > 0) {
      throw new SimError(
        422,
        'MATERIAL_UNKNOWN',
        '收件清单含有本事项没有的材料',
        unknown.map((a) => ({ field: a.materialId, message: `${a.name} 不是本事项的材料` })),
      );
    }
    const provided = new Set(sub.acceptList.filter((a) => a.provided).map((a) => a.materialId));
    const missing = matter.materials.filter((mt) => mt.required && !provided.has(mt.id));
    // 容缺受理: a listed matter is taken with materials missing; they follow as a supplement (pushSupplement).
    if (missing.length > 0 && !matter.tolerantAcceptance) {
      throw new SimError(
        422,
        'MATERIALS_INCOMPLETE',
        `缺少必要材料：${missing.map((mt) => mt.name).join('、')}`,
        missing.map((mt) => ({ field: mt.id, message: `缺少${mt.name}` })),
      );
    }
    return matter;
  }

  // Test and demo controls. Unsigned: a simulator has nothing to protect.
  const admin = app.withTypeProvider<TypeBoxTypeProvider>();

  admin.get('/sim/health', async () => ({
    status: 'ok',
    version: catalogueVersion,
    speed: book.clock.speed,
  }));

  admin.post(
    '/sim/admin/script',
    {
      schema: {
        body: Type.Object({
          ourId: Type.Optional(Type.String({ minLength: 1 })),
          serviceCode: Type.Optional(Type.String({ minLength: 1 })),
          next: Type.Optional(Type.Boolean()),
          outcome: Type.Enum([...OUTCOMES]),
          items: Type.Optional(Type.Array(SupplementItem, { minItems: 1 })),
          reason: Type.Optional(Type.String({ minLength: 1 })),
        }),
      },
    },
    async (req) => {
      const { ourId, serviceCode, next, outcome, items, reason } = req.body;
      const targets = [ourId !== undefined, serviceCode !== undefined, next === true].filter(Boolean).length;
      if (targets !== 1)
        throw new SimError(400, 'VALIDATION_FAILED', '请且只能指定 ourId、serviceCode 或 next: true 之一');
      if (serviceCode !== undefined && !matterByCode.has(serviceCode)) {
        throw new SimError(404, 'SERVICE_NOT_FOUND', `实施编码 ${serviceCode} 不存在`);
      }
      const script = { outcome, ...(items ? { items } : {}), ...(reason ? { reason } : {}) };
      const target = ourId !== undefined ? { ourId } : serviceCode !== undefined ? { serviceCode } : 'next';
      const projId = book.setScript(target, script);
      return { scripted: target, outcome, ...(projId ? { projId } : {}) };
    },
  );

  admin.post(
    '/sim/admin/cases/:projId/supplement-received',
    { schema: { params: Type.Object({ projId: Type.String() }) } },
    async (req) => {
      const outcome = book.supplementReceived(req.params.projId);
      if (outcome === 'not_found')
        throw new SimError(404, 'CASE_NOT_FOUND', `办件 ${req.params.projId} 不存在`);
      if (outcome === 'not_waiting')
        throw new SimError(409, 'NOT_AWAITING_SUPPLEMENT', '该办件不在补齐补正环节或已收到补正材料');
      return { projId: req.params.projId, received: true };
    },
  );

  admin.post(
    '/sim/admin/elsewhere-cases',
    {
      schema: {
        body: Type.Object({
          serviceCode: Type.String({ minLength: 1 }),
          applicant: Type.Object({
            name: Type.String({ minLength: 1 }),
            idNumber: Type.String({ minLength: 1 }),
          }),
          applyChannel: Type.Optional(Type.Enum(['online', 'window'])),
          queryCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
          outcome: Type.Optional(Type.Enum([...OUTCOMES])),
        }),
      },
    },
    async (req, reply) => {
      const { serviceCode, applicant, applyChannel = 'window', outcome } = req.body;
      const matter = matterByCode.get(serviceCode);
      if (!matter) throw new SimError(404, 'SERVICE_NOT_FOUND', `实施编码 ${serviceCode} 不存在`);
      const ourId = `W${randomUUID().replaceAll('-', '').slice(0, 20)}`;
      if (outcome) book.setScript({ ourId }, { outcome });
      const queryCode = req.body.queryCode ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
      const view = book.openElsewhere(
        {
          ourId,
          serviceCode,
          serviceVersion: matter.serviceVersion,
          projectName: `${applicant.name}申请${matter.name}`,
          applyType: matter.applicantType === 'person' ? 0 : 1,
          applicant: {
            name: applicant.name,
            cardType: '111',
            cardNumber: applicant.idNumber.toUpperCase(),
            mobile: '13800138000',
            address: matter.name,
          },
          acceptList: matter.materials.map((mt) => ({
            materialId: mt.id,
            name: mt.name,
            form: mt.form,
            count: mt.count,
            provided: true,
          })),
          busMode: '00',
          infoType: matter.infoType,
        },
        matter,
        { queryCode, applyChannel },
      );
      return reply.code(201).send({ projId: view.projId, queryCode, ourId });
    },
  );

  admin.post(
    '/sim/admin/cases/:projId/collect',
    { schema: { params: Type.Object({ projId: Type.String() }) } },
    async (req) => {
      const found = book.collectResult(req.params.projId);
      if (found === 'not_found')
        throw new SimError(404, 'CASE_NOT_FOUND', `办件 ${req.params.projId} 不存在`);
      if (found === 'not_completed')
        throw new SimError(409, 'NOT_COMPLETED', '该办件尚未办结，没有可领取的结果');
      return { projId: req.params.projId, collected: true };
    },
  );

  admin.post(
    '/sim/admin/identity',
    { schema: { body: Type.Object({ idNumber: Type.String({ minLength: 1 }), match: Type.Boolean() }) } },
    async (req) => {
      identityOverrides.set(req.body.idNumber.trim().toUpperCase(), req.body.match);
      return { idNumber: req.body.idNumber, match: req.body.match };
    },
  );

  admin.get('/sim/enterprises', async () => ({
    enterprises: registryEnterprises,
    lookups: enterpriseLookups,
  }));

  /**
   * The platform publishes a 免申即享 round: its list is the given rows, plus `generate` synthetic enterprises
   * (valid codes) and, unless told otherwise, the seeded active enterprises. The round notice goes to the BFF
   * like a stage callback (signed, re-sent until 2xx).
   */
  admin.post(
    '/sim/admin/rounds',
    {
      schema: {
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1 })),
          rule: Type.Optional(Type.String({ minLength: 1 })),
          /** The rule's rate (default 50); 0 publishes a round without one (nobody may claim by post). */
          ratePercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          serviceCode: Type.Optional(Type.String({ minLength: 1 })),
          deadline: Type.String({ format: 'date-time' }),
          includeSeeded: Type.Optional(Type.Boolean()),
          generate: Type.Optional(Type.Integer({ minimum: 0, maximum: 200_000 })),
          rows: Type.Optional(
            Type.Array(
              Type.Object({
                creditCode: Type.String(),
                name: Type.String(),
                amountFen: Type.Integer(),
                basis: Type.String(),
              }),
            ),
          ),
        }),
      },
    },
    async (req, reply) => {
      const b = req.body;
      const serviceCode =
        b.serviceCode ?? matters.find((mt) => mt.name.startsWith('稳岗补贴区配套资助'))!.serviceCode;
      if (!matterByCode.has(serviceCode))
        throw new SimError(404, 'SERVICE_NOT_FOUND', `实施编码 ${serviceCode} 不存在`);
      roundSequence++;
      const roundId = `R${Date.now().toString(36)}${roundSequence}`;
      const rows: GovScreenedRow[] = [...(b.includeSeeded === false ? [] : seededRows()), ...(b.rows ?? [])];
      for (let i = 0; i < (b.generate ?? 0); i++)
        rows.push(
          screenedRow(
            syntheticCreditCode(roundSequence * 1_000_000 + i),
            `黄埔区示例企业${i + 1}号`,
            100_000 + (i % 500) * 1_000,
          ),
        );
      const notice = {
        eventId: randomUUID(),
        roundId,
        name: b.name ?? '2026年稳岗补贴区配套资助（免申即享）',
        rule: b.rule ?? '按企业上年度获得稳岗补贴金额的50%给予配套资助，由平台比对参保和补贴数据筛选名单',
        ...(b.ratePercent === 0 ? {} : { ratePercent: b.ratePercent ?? 50 }),
        serviceCode,
        deadline: b.deadline,
        listSize: rows.length,
        publishedAt: new Date().toISOString(),
      };
      rounds.set(roundId, { notice, rows });
      outbox.enqueueRound(notice);
      return reply
        .code(201)
        .send({ roundId, listSize: rows.length, stats: outbox.stats(`round:${roundId}`) });
    },
  );

  admin.get('/sim/rounds', async () => ({
    rounds: [...rounds.values()].map((r) => ({
      ...r.notice,
      delivery: outbox.stats(`round:${r.notice.roundId}`),
    })),
  }));

  admin.post('/sim/admin/faults', { schema: { body: Faults } }, async (req) => {
    const f = req.body;
    faults = {
      errorRate: f.errorRate ?? 0,
      latencyMs: f.latencyMs ?? 0,
      timeoutRate: f.timeoutRate ?? 0,
      downUntil: f.downForSeconds ? Date.now() + f.downForSeconds * 1000 : 0,
    };
    return { ...faults, downUntil: faults.downUntil ? new Date(faults.downUntil).toISOString() : null };
  });

  admin.post(
    '/sim/admin/clock',
    {
      schema: {
        body: Type.Object({
          speed: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 })),
          /** Jump the case clock forward, e.g. 120 to finish a review now. */
          advanceSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 31_536_000 })),
        }),
      },
    },
    async (req) => {
      if (req.body.speed !== undefined) book.clock.setSpeed(req.body.speed);
      if (req.body.advanceSeconds !== undefined) book.clock.advance(req.body.advanceSeconds * 1000);
      return { speed: book.clock.speed };
    },
  );

  admin.post(
    '/sim/admin/callback',
    { schema: { body: Type.Object({ url: Type.Union([Type.String({ format: 'uri' }), Type.Null()]) }) } },
    async (req) => {
      outbox.setUrl(req.body.url ?? undefined);
      return { url: outbox.url ?? null };
    },
  );

  admin.post(
    '/sim/admin/evaluations/fail',
    {
      schema: {
        body: Type.Object({
          before: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
          after: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
        }),
      },
    },
    async (req) => {
      evaluationFailures = { before: req.body.before ?? 0, after: req.body.after ?? 0 };
      return evaluationFailures;
    },
  );

  admin.get('/sim/evaluations', async () => ({
    evaluations: [...evaluations.values()],
    failuresLeft: evaluationFailures,
  }));

  admin.post('/sim/admin/reset', async () => {
    evaluations.clear();
    rounds.clear();
    evaluationFailures = { before: 0, after: 0 };
    book.reset();
    outbox.clear();
    nonces.clear();
    identityOverrides.clear();
    faults = { errorRate: 0, latencyMs: 0, timeoutRate: 0, downUntil: 0 };
    held.abort();
    held = new AbortController();
    return { reset: true };
  });

  admin.get(
    '/sim/cases',
    { schema: { querystring: Type.Object({ ourId: Type.Optional(Type.String()) }) } },
    async (req) => {
      const all = book.list();
      return {
        cases: req.query.ourId === undefined ? all : all.filter((c) => c.ourId === req.query.ourId),
        submissions: book.submissionCounts(),
        callbackUrl: outbox.url ?? null,
      };
    },
  );

  let closed = false;
  return {
    app,
    async listen(listenOpts = {}) {
      await app.listen({ host: listenOpts.host ?? '127.0.0.1', port: listenOpts.port ?? 0 });
      const address = app.server.address() as AddressInfo;
      return `http://${listenOpts.host ?? '127.0.0.1'}:${address.port}`;
    },
    setCallbackUrl: (url) => outbox.setUrl(url),
    setSpeed: (speed) => book.clock.setSpeed(speed),
    async close() {
      if (closed) return;
      closed = true;
      book.stop();
      outbox.clear();
      held.abort();
      await app.close();
    },
  };
}

function parseJson(req: FastifyRequest): unknown {
  if (typeof req.body !== 'string' || req.body === '')
    throw new SimError(400, 'INVALID_JSON', '请求体应为 JSON');
  try {
    return JSON.parse(req.body);
  } catch {
    throw new SimError(400, 'INVALID_JSON', '请求体不是合法的 JSON');
  }
}

/** Opaque to callers; binds the page position to the catalogue version so a stale cursor is refused, not misread. */
function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ v: catalogueVersion, o: offset })).toString('base64url');
}

function decodeCursor(cursor: string): number {
  let parsed: { v?: unknown; o?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new SimError(400, 'CURSOR_INVALID', '分页游标无效');
  }
  if (parsed.v !== catalogueVersion)
    throw new SimError(409, 'CURSOR_EXPIRED', '事项目录已更新，请从第一页重新同步');
  if (typeof parsed.o !== 'number' || !Number.isInteger(parsed.o) || parsed.o < 0) {
    throw new SimError(400, 'CURSOR_INVALID', '分页游标无效');
  }
  return parsed.o;
}
