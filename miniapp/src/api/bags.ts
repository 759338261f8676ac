import type {
  BagBatchList,
  BagConfirmation,
  BagScanResponse,
  BagStatsResponse,
  BindBagBody,
  ConfirmBagBody,
  CreateBagBatchBody,
  CreatedBagBatch,
  ReceiveBagBody,
  StaffBagView,
} from '@zyt/shared';
import { request } from './client';

/** Journey 5 (替你跑): courier bags whose QR sends missing materials to the service centre for free. */

const bag = (code: string) => `/api/v1/bags/${encodeURIComponent(code)}`;
const staffBag = (code: string) => `/api/v1/staff/bags/${encodeURIComponent(code)}`;
const batches = '/api/v1/staff/bag-batches';

/** A scanned or typed code: the bag, the case(s) it can carry a supplement for, and how to hand it over. */
export const scanBag = (code: string) => request<BagScanResponse>({ path: bag(code) });

/**
 * Sends the bag. `idempotencyKey` identifies this one confirm: sent again (a retry after a network error), the
 * server answers with what it already did instead of ordering a second pickup.
 */
export const confirmBag = (code: string, body: ConfirmBagBody, idempotencyKey: string) =>
  request<BagConfirmation>({
    method: 'POST',
    path: `${bag(code)}/confirm`,
    data: body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });

// ——— staff ———

export const listBagBatches = () => request<BagBatchList>({ path: batches });

export const createBagBatch = (body: CreateBagBatchBody) =>
  request<CreatedBagBatch>({ method: 'POST', path: batches, data: body });

export const getStaffBag = (code: string) => request<StaffBagView>({ path: staffBag(code) });

/** Hands a bag out bound to a supplement: the centre window by case number, the agent by their visit. */
export const bindBag = (code: string, body: BindBagBody) =>
  request<StaffBagView>({ method: 'POST', path: `${staffBag(code)}/bind`, data: body });

export const receiveBag = (code: string, items: ReceiveBagBody['items']) =>
  request<StaffBagView>({ method: 'POST', path: `${staffBag(code)}/receive`, data: { items } });

/** The printable label sheet (SVG text) of a batch: `labelsUrl` as the batch listing gives it. */
export const getLabelSheet = (labelsUrl: string) =>
  request<string>({ path: labelsUrl.replace(/^https?:\/\/[^/]+/, ''), text: true });

/** Supervisors: 替你跑 figures (uses, bags by state, receipts, deadlines missed). */
export const getBagStats = () => request<BagStatsResponse>({ path: '/api/v1/supervision/bag-stats' });
