import type { CaseDetail, CaseListResponse } from '@zyt/shared';
import { request } from './client';

/** Journeys 3 and 4, the resident's side: their cases (办件), each with its one timeline and EMS legs. */

const base = '/api/v1/cases';

/** The signed-in person's cases, most recently changed first. */
export const listCases = () => request<CaseListResponse>({ path: base });

/** One case; someone else's answers 404 CASE_NOT_FOUND. The id of a door-visit case is its booking's id. */
export const getCase = (id: string) => request<CaseDetail>({ path: `${base}/${encodeURIComponent(id)}` });
