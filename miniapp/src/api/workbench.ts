import type { WorkItemDetail, WorkItemKind, WorkItemList, WorkItemStatus } from '@zyt/shared';
import { request } from './client';

/** 监管工作台: everything that needs a person; supervisors see all, other staff what is assigned to them. */

export interface WorkItemFilters {
  kind?: WorkItemKind;
  status?: WorkItemStatus | 'active' | 'all';
  /** A staff member's id, or `none` for items nobody is named on. */
  assignee?: string;
  mine?: boolean;
}

const base = '/api/v1/workbench/items';
const itemPath = (id: string, step?: string) => `${base}/${encodeURIComponent(id)}${step ? `/${step}` : ''}`;

export function listWorkItems(filters: WorkItemFilters = {}) {
  const query = Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return request<WorkItemList>({ path: query ? `${base}?${query}` : base });
}
export const getWorkItem = (id: string) => request<WorkItemDetail>({ path: itemPath(id) });
export const assignWorkItem = (id: string, assigneeId: string) =>
  request<void>({ method: 'POST', path: itemPath(id, 'assign'), data: { assigneeId } });
export const acknowledgeWorkItem = (id: string) =>
  request<void>({ method: 'POST', path: itemPath(id, 'acknowledge'), data: {} });
export const noteWorkItem = (id: string, note: string) =>
  request<void>({ method: 'POST', path: itemPath(id, 'notes'), data: { note } });
export const closeWorkItem = (id: string, outcome: string) =>
  request<void>({ method: 'POST', path: itemPath(id, 'close'), data: { outcome } });
