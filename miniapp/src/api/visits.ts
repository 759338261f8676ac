import type { ReviewBody, VisitView } from '@zyt/shared';
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

export const cancelVisit = (id: string, reason: string) =>
  request<VisitView>({ method: 'POST', path: `${one(id)}/cancel`, data: { reason } });

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
