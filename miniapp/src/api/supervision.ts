import type { BreachListResponse } from '@zyt/shared';
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
