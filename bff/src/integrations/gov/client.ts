import { signRequest } from './signing';
import {
  type Checked,
  checker,
  GOV_API_PREFIX,
  GovApplicantCheckResult,
  GovCase,
  GovCataloguePage,
  GovDeliveryChangeResult,
  GovEnterpriseLookupResult,
  GovError,
  GovErrorBody,
  GovEvaluationReportResult,
  GovEvaluationVoidResult,
  GovIdentityResult,
  GovMaterialsArrivalResult,
  type GovPlatformApi,
  GovRoundList,
  GovSubmitResult,
  GovSupplementPushResult,
} from './types';

export interface GovClientConfig {
  /** e.g. https://gov-open.example.cn (no trailing slash); the binding lives under /gov/v1. */
  apiBase: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
}

const checkError = checker(GovErrorBody);
const checks = {
  catalogue: checker(GovCataloguePage),
  identity: checker(GovIdentityResult),
  submit: checker(GovSubmitResult),
  case: checker(GovCase),
  materials: checker(GovMaterialsArrivalResult),
  supplement: checker(GovSupplementPushResult),
  applicant: checker(GovApplicantCheckResult),
  delivery: checker(GovDeliveryChangeResult),
  evaluation: checker(GovEvaluationReportResult),
  evaluationVoid: checker(GovEvaluationVoidResult),
  enterprise: checker(GovEnterpriseLookupResult),
  roundList: checker(GovRoundList),
};

/** 408, 429 and 5xx may pass if tried later; any other 4xx will not. */
const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * The JSON/HTTPS binding of GovPlatformApi. Every request is signed (see signing.ts) and every answer is checked
 * against its schema. Personal data (name, ID number) travels only in request bodies and never in an error
 * message, so GovErrors are safe to log.
 */
export function createGovClient(cfg: GovClientConfig): GovPlatformApi {
  const base = new URL(cfg.apiBase);

  async function call<T>(
    method: 'GET' | 'POST',
    pathAndQuery: string,
    check: (v: unknown) => Checked<T>,
    body?: unknown,
  ): Promise<T> {
    const url = new URL(`${base.pathname.replace(/\/+$/, '')}${GOV_API_PREFIX}${pathAndQuery}`, base);
    const raw = body === undefined ? '' : JSON.stringify(body);
    const headers: Record<string, string> = signRequest({
      appId: cfg.appId,
      appSecret: cfg.appSecret,
      method,
      path: `${url.pathname}${url.search}`,
      body: raw,
    });
    if (body !== undefined) headers['content-type'] = 'application/json';

    let res: Response;
    let text: string;
    try {
      // The timeout covers the whole exchange, body included: a platform that stalls mid-answer is as down as one that never answers.
      const signal = AbortSignal.timeout(cfg.timeoutMs);
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : raw, signal });
      text = await res.text();
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new GovError('TIMEOUT', `no answer within ${cfg.timeoutMs} ms`, { retryable: true });
      }
      throw new GovError('UNREACHABLE', `cannot reach the platform (${(err as Error).message})`, {
        retryable: true,
      });
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // A proxy's HTML error page or a cut-off answer: the platform may well have acted, so try again (calls are idempotent).
      throw new GovError('BAD_RESPONSE', `HTTP ${res.status} with a body that is not JSON`, {
        retryable: true,
        status: res.status,
      });
    }

    if (!res.ok) {
      const parsed = checkError(json);
      const retryable = retryableStatus(res.status);
      if (!parsed.ok)
        throw new GovError(`HTTP_${res.status}`, 'error without the platform error shape', {
          retryable,
          status: res.status,
        });
      const { code, message, details } = parsed.value.error;
      throw new GovError(code, message, { retryable, status: res.status, details });
    }

    const checked = check(json);
    if (!checked.ok) {
      throw new GovError('BAD_RESPONSE', `answer does not match the binding: ${checked.errors.join('; ')}`, {
        retryable: false,
        status: res.status,
      });
    }
    return checked.value;
  }

  return {
    lookupEnterprise(q) {
      return call('POST', '/enterprises/lookup', checks.enterprise, q);
    },
    fetchRoundList(roundId) {
      return call('GET', `/rounds/${encodeURIComponent(roundId)}/list`, checks.roundList);
    },
    fetchCatalogue(p = {}) {
      const q = new URLSearchParams();
      if (p.cursor) q.set('cursor', p.cursor);
      if (p.limit !== undefined) q.set('limit', String(p.limit));
      const query = q.size > 0 ? `?${q}` : '';
      return call('GET', `/catalogue${query}`, checks.catalogue);
    },
    checkIdentity(p) {
      return call('POST', '/identity/check', checks.identity, { name: p.name, idNumber: p.idNumber });
    },
    submitCase(c) {
      return call('POST', '/cases', checks.submit, c);
    },
    getCase(projId) {
      return call('GET', `/cases/${encodeURIComponent(projId)}`, checks.case);
    },
    materialsArrived(projId, arrival) {
      return call(
        'POST',
        `/cases/${encodeURIComponent(projId)}/materials-arrival`,
        checks.materials,
        arrival,
      );
    },
    pushSupplement(projId, push) {
      return call('POST', `/cases/${encodeURIComponent(projId)}/supplements`, checks.supplement, push);
    },
    changeDelivery(projId, delivery) {
      return call('POST', `/cases/${encodeURIComponent(projId)}/delivery`, checks.delivery, delivery);
    },
    checkApplicant(projId, check) {
      return call('POST', `/cases/${encodeURIComponent(projId)}/applicant-check`, checks.applicant, check);
    },
    reportEvaluation(report) {
      return call('POST', '/evaluations', checks.evaluation, report);
    },
    voidEvaluation(evaluationId, v) {
      return call('POST', `/evaluations/${encodeURIComponent(evaluationId)}/void`, checks.evaluationVoid, v);
    },
  };
}

/**
 * Reads every page of the catalogue. Pages must share one version: if the platform changes the catalogue
 * mid-way, this throws a retryable CATALOGUE_CHANGED rather than mixing two versions.
 */
export async function fetchWholeCatalogue(
  api: GovPlatformApi,
  pageSize = 100,
): Promise<{
  matters: GovCataloguePage['matters'];
  outlets: GovCataloguePage['outlets'];
  bundles: NonNullable<GovCataloguePage['bundles']>;
  version: string;
}> {
  const first = await api.fetchCatalogue({ limit: pageSize });
  const matters = [...first.matters];
  let cursor = first.nextCursor;
  while (cursor) {
    const page = await api.fetchCatalogue({ cursor, limit: pageSize });
    if (page.version !== first.version) {
      throw new GovError(
        'CATALOGUE_CHANGED',
        `catalogue moved from ${first.version} to ${page.version} while paging`,
        { retryable: true },
      );
    }
    matters.push(...page.matters);
    cursor = page.nextCursor;
  }
  return { matters, outlets: first.outlets, bundles: first.bundles ?? [], version: first.version };
}
