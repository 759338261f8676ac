import type { AgentFiguresResponse, BreachListResponse, StaffList, StaffMember } from '@zyt/shared';
import { request } from './client';

/** Supervisors (监管): every breach of the service time limits and every logistics exception. */
export const listBreaches = () => request<BreachListResponse>({ path: '/api/v1/supervision/breaches' });

/** Marks a logistics exception handled, saying what was done; who and when are recorded by the server. */
export const handleFinding = (findingId: string, note: string) =>
  request<void>({
    method: 'POST',
    path: `/api/v1/supervision/findings/${encodeURIComponent(findingId)}/handle`,
    data: { note },
  });

/** Agents and centre clerks with the outlet each works at. */
export const listStaff = () => request<StaffList>({ path: '/api/v1/supervision/staff' });

/** Sets where a staff member works: a post office for an agent, a service centre for a clerk. */
export const assignOutlet = (userId: string, outletId: string) =>
  request<StaffMember>({
    method: 'PUT',
    path: `/api/v1/supervision/staff/${encodeURIComponent(userId)}/outlet`,
    data: { outletId },
  });

/** Per-agent figures over the last `days` days. */
export const getAgentFigures = (days = 30) =>
  request<AgentFiguresResponse>({ path: `/api/v1/supervision/agents/figures?days=${days}` });
