import type { BundleGuide, BundleList, BundleTimeline } from '@zyt/shared';
import { request } from './client';

/** 一件事一次办: bundles and their guides (public), and a booked bundle's one timeline (its owner). */

export const listBundles = () => request<BundleList>({ path: '/api/v1/bundles', auth: false });

export const getBundleGuide = (code: string) =>
  request<BundleGuide>({ path: `/api/v1/bundles/${encodeURIComponent(code)}`, auth: false });

export const getBundleTimeline = (bookingId: string) =>
  request<BundleTimeline>({ path: `/api/v1/bookings/${encodeURIComponent(bookingId)}/bundle` });
