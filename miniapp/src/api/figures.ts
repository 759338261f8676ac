import type { FigureCentres, FiguresResponse } from '@zyt/shared';
import { queryString } from '@/lib/query';
import { request } from './client';

export interface FiguresPeriod {
  /** Beijing dates, both included. */
  from: string;
  to: string;
  /** A service centre's outlet id; all centres when absent. */
  centre?: string;
}

/** The service centres a supervisor can pick for the figures. */
export const listFigureCentres = () =>
  request<FigureCentres>({ path: '/api/v1/supervision/figures/centres' });

/** Supervisors' figures for a period and centre. */
export const getFigures = (p: FiguresPeriod) =>
  request<FiguresResponse>({ path: `/api/v1/supervision/figures${queryString({ ...p })}` });

/** The same figures as a CSV table (UTF-8 with BOM). */
export const getFiguresCsv = (p: FiguresPeriod) =>
  request<string>({ path: `/api/v1/supervision/figures.csv${queryString({ ...p })}`, text: true });
