import type { AddResultMailingBody, CaseDetail, CaseListResponse, ResultMailingView } from '@zyt/shared';
import { request } from './client';

/** Journeys 3 and 4, the resident's side: their cases (办件), each with its one timeline and EMS legs. */

const base = '/api/v1/cases';

/** The signed-in person's cases, most recently changed first. */
export const listCases = () => request<CaseListResponse>({ path: base });

/** One case; someone else's answers 404 CASE_NOT_FOUND. The id of a door-visit case is its booking's id. */
export const getCase = (id: string) => request<CaseDetail>({ path: `${base}/${encodeURIComponent(id)}` });

/**
 * 单程寄递: adds a case applied for online or at a window and has its result mailed. Sent again with the same
 * key and body (a retry), the server answers with the case it already added.
 */
export const addResultMailing = (body: AddResultMailingBody, idempotencyKey: string) =>
  request<ResultMailingView>({
    method: 'POST',
    path: `${base}/result-mailings`,
    data: body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
