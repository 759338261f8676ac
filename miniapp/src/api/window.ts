import type {
  ServeAppointmentBody,
  SlotsResponse,
  WalkInBody,
  WindowAppointmentBody,
  WindowAppointmentList,
  WindowAppointmentView,
  WindowIntakeView,
  WindowReceipt,
  WindowReviewBody,
  WindowToday,
} from '@zyt/shared';
import { queryString } from '@/lib/query';
import { request } from './client';

/** 网点就近办: window appointments (residents) and the outlet clerk's window (网点政务专窗). */

export const windowSlots = (matterCode: string, outletId: string) =>
  request<SlotsResponse>({ path: `/api/v1/window/slots${queryString({ matterCode, outletId })}` });

/** Books a slot; the same key sent again (a retry) answers with the appointment already made. */
export const bookWindowAppointment = (body: WindowAppointmentBody, idempotencyKey: string) =>
  request<WindowAppointmentView>({
    method: 'POST',
    path: '/api/v1/window/appointments',
    data: body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });

export const myWindowAppointments = () =>
  request<WindowAppointmentList>({ path: '/api/v1/window/appointments' });

export const cancelWindowAppointment = (id: string) =>
  request<WindowAppointmentView>({
    method: 'POST',
    path: `/api/v1/window/appointments/${encodeURIComponent(id)}/cancel`,
  });

/** 改约: another slot of the same outlet. */
export const rescheduleWindowAppointment = (id: string, slotId: string) =>
  request<WindowAppointmentView>({
    method: 'POST',
    path: `/api/v1/window/appointments/${encodeURIComponent(id)}/reschedule`,
    data: { slotId },
  });

const outletPath = (outletId: string) => `/api/v1/staff/window/outlets/${encodeURIComponent(outletId)}`;
const intakePath = (id: string) => `/api/v1/staff/window/intakes/${encodeURIComponent(id)}`;

export const windowToday = (outletId: string) =>
  request<WindowToday>({ path: `${outletPath(outletId)}/today` });

/** A walk-in: the applicant is checked by real name with the platform before anything is stored. */
export const startWalkIn = (outletId: string, body: WalkInBody) =>
  request<WindowIntakeView>({ method: 'POST', path: `${outletPath(outletId)}/intakes`, data: body });

export const serveAppointment = (id: string, body: ServeAppointmentBody) =>
  request<WindowIntakeView>({
    method: 'POST',
    path: `/api/v1/staff/window/appointments/${encodeURIComponent(id)}/serve`,
    data: body,
  });

export const getIntake = (id: string) => request<WindowIntakeView>({ path: intakePath(id) });

/**
 * 初审 at the window; with `tolerate` (容缺受理, matters that allow it) a 替你跑 bag carries what is missing;
 * with `resultMailing` the result is mailed (the platform is told with the case).
 */
export const reviewIntake = (
  id: string,
  items: WindowReviewBody['items'],
  tolerate?: WindowReviewBody['tolerate'],
  resultMailing?: WindowReviewBody['resultMailing'],
) =>
  request<WindowIntakeView>({
    method: 'POST',
    path: `${intakePath(id)}/review`,
    data: { items, ...(tolerate ? { tolerate } : {}), ...(resultMailing ? { resultMailing } : {}) },
  });

export const getReceipt = (id: string) => request<WindowReceipt>({ path: `${intakePath(id)}/receipt` });
