import type { BreachListResponse } from '@zyt/shared';
import { request } from './client';

/** Supervisors (监管): every breach of the service time limits and every logistics exception. */
export const listBreaches = () => request<BreachListResponse>({ path: '/api/v1/supervision/breaches' });
