import type { PublicFacts } from '@zyt/shared';
import { request } from './client';

/** 服务公开: the region's services, process, fee schedule and supervision hotlines. Public: no sign-in needed. */
export const getPublicFacts = () => request<PublicFacts>({ path: '/api/v1/public/facts', auth: false });
