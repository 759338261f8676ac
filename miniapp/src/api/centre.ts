import type {
  HandoverItemState,
  HandoverList,
  HandoverView,
  StaffResultMailingsBody,
  StaffResultMailingsResponse,
} from '@zyt/shared';
import { request } from './client';

/** The service centre's desk (政务中心收件): bags of door-visit materials on their way, and their receipt. */

const base = '/api/v1/centre/handovers';

export const listIncomingHandovers = () => request<HandoverList>({ path: base });

/** A bag by its code; one bound for another centre is refused by the server. */
export const getHandover = (code: string) =>
  request<HandoverView>({ path: `${base}/${encodeURIComponent(code)}` });

/** Confirms receipt, every item checked: received, missing or damaged. */
export const receiveHandover = (
  code: string,
  items: { id: string; state: HandoverItemState; note?: string }[],
) =>
  request<HandoverView>({
    method: 'POST',
    path: `${base}/${encodeURIComponent(code)}/receive`,
    data: { items },
  });

/** 单程寄递, 批量: the centre orders result mailing for a list of issued results (at most 500 per call). */
export const orderResultMailings = (items: StaffResultMailingsBody['items']) =>
  request<StaffResultMailingsResponse>({
    method: 'POST',
    path: '/api/v1/staff/result-mailings',
    data: { items },
  });
