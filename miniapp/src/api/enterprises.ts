import type {
  BindEnterpriseResponse,
  ConfirmSubsidyBody,
  EnterpriseBindingList,
  EnterpriseMemberList,
  EnterpriseMemberView,
  SubsidyOfferList,
  SubsidyOfferView,
} from '@zyt/shared';
import { request } from './client';

/** 企业服务: binding to enterprises, their people (admins), and 免申即享 confirmations. */

const base = '/api/v1/enterprises';
const of = (code: string) => `${base}/${encodeURIComponent(code)}`;

export const bindEnterprise = (creditCode: string) =>
  request<BindEnterpriseResponse>({ method: 'POST', path: `${base}/bindings`, data: { creditCode } });
export const listBindings = () => request<EnterpriseBindingList>({ path: `${base}/bindings` });

export const listMembers = (code: string) => request<EnterpriseMemberList>({ path: `${of(code)}/members` });
export const decideMember = (code: string, memberId: string, decision: 'approve' | 'refuse' | 'revoke') =>
  request<EnterpriseMemberView>({
    method: 'POST',
    path: `${of(code)}/members/${encodeURIComponent(memberId)}/${decision}`,
  });

export const listSubsidies = (code: string) => request<SubsidyOfferList>({ path: `${of(code)}/subsidies` });
export const confirmSubsidy = (code: string, roundId: string, body: ConfirmSubsidyBody) =>
  request<SubsidyOfferView>({
    method: 'POST',
    path: `${of(code)}/subsidies/${encodeURIComponent(roundId)}/confirm`,
    data: body,
  });
