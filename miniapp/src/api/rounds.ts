import type { RoundList, RoundProgress } from '@zyt/shared';
import { download, request } from './client';

/** Supervisors: 免申即享 rounds and a round's progress, and its CSV. */

export const listRounds = () => request<RoundList>({ path: '/api/v1/supervision/rounds' });

export const getRoundProgress = (id: string) =>
  request<RoundProgress>({ path: `/api/v1/supervision/rounds/${encodeURIComponent(id)}` });

/** The progress as a CSV file (UTF-8 with BOM); resolves to its local path (WeChat) or blob: URL (H5). */
export const downloadRoundCsv = (id: string) =>
  download({ path: `/api/v1/supervision/rounds/${encodeURIComponent(id)}/progress.csv` });

export const roundCsvFileName = (name: string) => `免申即享进度-${name}.csv`;
