import type { RecordSubscriptionsBody, SubscriptionsResponse } from '@zyt/shared';
import { request } from './client';

/** Subscribe messages (订阅消息): the templates we may ask for and what the person has allowed so far. */

const path = '/api/v1/me/subscriptions';

export const getSubscriptions = () => request<SubscriptionsResponse>({ path });

/** What WeChat's subscribe dialog answered, per template id. */
export const recordSubscriptions = (results: RecordSubscriptionsBody['results']) => {
  const body: RecordSubscriptionsBody = { results };
  return request<SubscriptionsResponse>({ method: 'POST', path, data: body });
};
