import type {
  AgentPhoneResponse,
  BookingView,
  CreateBookingBody,
  RebookDraft,
  SlotsResponse,
  VisitWindowInput,
} from '@zyt/shared';
import { queryString } from '@/lib/query';
import { request } from './client';

/** Journey 2, the resident's side: book a door visit (上门收件), follow it, cancel or change the time. */

const base = '/api/v1/bookings';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Visit windows with room left at the post office serving this matter in the county (区县). */
export const getSlots = (matterCode: string, county: string) =>
  request<SlotsResponse>({ path: `${base}/slots${queryString({ matterCode, county })}` });

/**
 * Books a visit. `idempotencyKey` identifies this one submit: sent again with the same body (a retry after a
 * network error), the server answers with the booking it already made instead of booking twice.
 */
export const createBooking = (body: CreateBookingBody, idempotencyKey: string) =>
  request<BookingView>({
    method: 'POST',
    path: base,
    data: body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });

export const listBookings = () => request<{ items: BookingView[] }>({ path: base });

export const getBooking = (id: string) => request<BookingView>({ path: one(id) });

/** The visiting agent's full work phone, asked for only when the resident taps to call. */
export const getAgentPhone = (id: string) => request<AgentPhoneResponse>({ path: `${one(id)}/agent-phone` });

/** An earlier booking as the start of a new one: matter, address, contact, entrust and what was missing. */
export const getRebookDraft = (id: string) => request<RebookDraft>({ path: `${one(id)}/rebook` });

export const cancelBooking = (id: string, reason?: string) =>
  request<BookingView>({ method: 'POST', path: `${one(id)}/cancel`, data: reason ? { reason } : {} });

export const rescheduleBooking = (id: string, window: VisitWindowInput) =>
  request<BookingView>({ method: 'POST', path: `${one(id)}/reschedule`, data: { window } });

/** A key for one submit: 8-64 characters of [A-Za-z0-9_-], unique enough per person. */
export function newIdempotencyKey(): string {
  const random = () => Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  return `bk-${Date.now().toString(36)}-${random()}${random()}`;
}
