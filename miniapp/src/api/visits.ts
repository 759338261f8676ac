import type {
  AgentDay,
  HandoverList,
  HandoverView,
  PendingHandoverList,
  ReviewBody,
  StaffProfile,
  VisitView,
} from '@zyt/shared';
import { request, upload } from './client';

/** Journey 2, the postal agent's side (政邮专员): the visit queue, the steps at the door and the review. */

const base = '/api/v1/staff/visits';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Open visits and mine, overdue first. */
export const listVisits = () => request<{ items: VisitView[] }>({ path: base });

/** One visit; the full address and phone only for the agent who accepted it (the read is audited). */
export const getVisit = (id: string) => request<VisitView>({ path: one(id) });

/** The steps before the review, in order: 接单, 出发, 已到达, 开始初审. */
export type VisitStep = 'accept' | 'depart' | 'arrive' | 'start-review';

export const takeVisitStep = (id: string, step: VisitStep) =>
  request<VisitView>({ method: 'POST', path: `${one(id)}/${step}` });

/**
 * 初审: every checklist item, present or not and how many copies; with `tolerate` (容缺受理) the complete
 * materials are collected and that courier bag is left bound to what is missing.
 */
export const submitReview = (id: string, items: ReviewBody['items'], tolerate?: ReviewBody['tolerate']) =>
  request<VisitView>({
    method: 'POST',
    path: `${one(id)}/review`,
    data: tolerate ? { items, tolerate } : { items },
  });

/** Cancel for good (resident unreachable, wrong address): the resident is told, the slot freed. */
export const cancelVisit = (id: string, reason: string) =>
  request<VisitView>({ method: 'POST', path: `${one(id)}/cancel`, data: { reason } });

/** AB岗: hand the visit back to the outlet's queue with a reason; nothing is cancelled. */
export const handBackVisit = (id: string, reason: string) =>
  request<VisitView>({ method: 'POST', path: `${one(id)}/hand-back`, data: { reason } });

/** Where I work (my outlet) and the acceptance promise in minutes. */
export const getStaffProfile = () => request<StaffProfile>({ path: '/api/v1/staff/me' });

/** Today's visits, finished ones too, with what happened at each. */
export const getAgentDay = () => request<AgentDay>({ path: '/api/v1/staff/day' });

/** My collected visits not yet in a sealed bag. */
export const listPendingHandovers = () =>
  request<PendingHandoverList>({ path: '/api/v1/staff/handovers/pending' });

/** My latest sealed bags and whether the centre has received them. */
export const listHandovers = () => request<HandoverList>({ path: '/api/v1/staff/handovers' });

/** Records the sealed bag (bag code or EMS waybill) with the visits whose materials are in it. */
export const createHandover = (code: string, bookingIds: string[]) =>
  request<HandoverView>({ method: 'POST', path: '/api/v1/staff/handovers', data: { code, bookingIds } });

export interface VisitPhoto {
  id: string;
  contentType: string;
  bytes: number;
  createdAt: string;
}

export const listVisitPhotos = (id: string) =>
  request<{ items: VisitPhoto[] }>({ path: `${one(id)}/photos` });

/** Uploads a photo of the materials (JPEG, PNG or WebP up to 5 MB) chosen with Taro.chooseImage. */
export const uploadVisitPhoto = (id: string, filePath: string) =>
  upload<VisitPhoto>({ path: `${one(id)}/photos`, filePath, name: 'photo' });
