import type {
  ApplicantType,
  MatterChannel,
  MatterGuide,
  MatterPage,
  OutletDetail,
  OutletList,
  ThemeList,
} from '@zyt/shared';
import { queryString } from '@/lib/query';
import { request } from './client';

/** Journey 1 (find and learn): the matter catalogue, guides and outlets. Public: no sign-in needed. */

export interface MatterSearch {
  q?: string;
  applicant?: ApplicantType;
  theme?: string;
  channel?: MatterChannel;
  page?: number;
  pageSize?: number;
}

export const searchMatters = (params: MatterSearch) =>
  request<MatterPage>({ path: `/api/v1/matters${queryString({ ...params })}`, auth: false });

export const listThemes = (applicant?: ApplicantType) =>
  request<ThemeList>({ path: `/api/v1/matters/themes${queryString({ applicant })}`, auth: false });

export const getMatterGuide = (code: string) =>
  request<MatterGuide>({ path: `/api/v1/matters/${encodeURIComponent(code)}`, auth: false });

export interface Point {
  lat: number;
  lng: number;
}

export interface OutletSearch {
  point?: Point;
  district?: string;
  matter?: string;
  limit?: number;
}

export const listOutlets = ({ point, district, matter, limit }: OutletSearch) =>
  request<OutletList>({
    path: `/api/v1/outlets${queryString({ lat: point?.lat, lng: point?.lng, district, matter, limit })}`,
    auth: false,
  });

export const getOutlet = (id: string, point?: Point) =>
  request<OutletDetail>({
    path: `/api/v1/outlets/${encodeURIComponent(id)}${queryString({ lat: point?.lat, lng: point?.lng })}`,
    auth: false,
  });
