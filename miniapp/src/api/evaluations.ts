import type {
  CallbackOutcome,
  CaseEvaluations,
  EvaluationFigures,
  EvaluationStage,
  EvaluationView,
  SubmitEvaluationBody,
  TicketDetail,
  TicketList,
} from '@zyt/shared';
import { request } from './client';

/** 好差评: the resident rates each stage of a case once; supervisors work the tickets bad ratings open. */

const caseBase = (id: string) => `/api/v1/cases/${encodeURIComponent(id)}/evaluations`;

/** The stages of a case to rate: reached or not, the rating given and the reply to it. */
export const getCaseEvaluations = (caseId: string) => request<CaseEvaluations>({ path: caseBase(caseId) });

/** Rates one stage; sending the same rating again answers with it (a retry never rates twice). */
export const submitEvaluation = (caseId: string, stage: EvaluationStage, body: SubmitEvaluationBody) =>
  request<EvaluationView>({ method: 'POST', path: `${caseBase(caseId)}/${stage}`, data: body });

const ticketBase = '/api/v1/supervision/tickets';
const ticketPath = (id: string, step?: string) =>
  `${ticketBase}/${encodeURIComponent(id)}${step ? `/${step}` : ''}`;

/** Rectification tickets: every one for supervisors, one's own for other staff. */
export const listTickets = () => request<TicketList>({ path: ticketBase });
export const getTicket = (id: string) => request<TicketDetail>({ path: ticketPath(id) });
export const assignTicket = (id: string, assigneeId: string) =>
  request<void>({ method: 'POST', path: ticketPath(id, 'assign'), data: { assigneeId } });
export const recordCallback = (id: string, outcome: CallbackOutcome, note: string) =>
  request<void>({ method: 'POST', path: ticketPath(id, 'callback'), data: { outcome, note } });
export const closeTicket = (id: string, reply: string) =>
  request<void>({ method: 'POST', path: ticketPath(id, 'close'), data: { reply } });
export const voidTicket = (id: string, reason: string) =>
  request<void>({ method: 'POST', path: ticketPath(id, 'void'), data: { reason } });

/** 好差评公开: satisfaction rate, bad ratings rectified on time, call-back rate. Public: no sign-in needed. */
export const getEvaluationFigures = () =>
  request<EvaluationFigures>({ path: '/api/v1/public/evaluation-figures', auth: false });
