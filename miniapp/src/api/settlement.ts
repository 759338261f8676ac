import type { SettlementCentreList, SettlementReconciliation, SettlementStatement } from '@zyt/shared';
import { download, request } from './client';

/** 政府买单: a centre's monthly statement, its reconciliation with the post's bill, and the export. */

const centreBase = (centreId: string) => `/api/v1/staff/settlement/centres/${encodeURIComponent(centreId)}`;

export const listSettlementCentres = () =>
  request<SettlementCentreList>({ path: '/api/v1/staff/settlement/centres' });

export const getStatement = (centreId: string, month: string) =>
  request<SettlementStatement>({ path: `${centreBase(centreId)}/statements/${month}?limit=50` });

export const getReconciliation = (centreId: string, month: string) =>
  request<SettlementReconciliation>({ path: `${centreBase(centreId)}/reconciliations/${month}` });

export const startReconciliation = (centreId: string, month: string) =>
  request<SettlementReconciliation>({
    method: 'POST',
    path: `${centreBase(centreId)}/reconciliations/${month}`,
  });

export type ExportFormat = 'csv' | 'xlsx';

/** The statement as a file; resolves to its local path (WeChat) or blob: URL (H5). */
export const downloadStatement = (centreId: string, month: string, format: ExportFormat) =>
  download({ path: `${centreBase(centreId)}/statements/${month}/export?format=${format}` });

export const statementFileName = (centreName: string, month: string, format: ExportFormat) =>
  `政府买单对账单-${centreName}-${month}.${format}`;
