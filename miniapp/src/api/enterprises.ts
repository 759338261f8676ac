import type {
  BindEnterpriseResponse,
  ClaimRoundList,
  ClaimRoundView,
  ConfirmSubsidyBody,
  EnterpriseBindingList,
  EnterpriseBindingView,
  EnterpriseMemberList,
  EnterpriseMemberView,
  StaffCoverSheetView,
  SubsidyClaimBody,
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

/** An enterprise the person acts for (its registered address starts the claim form). */
export const getEnterprise = (code: string) => request<EnterpriseBindingView>({ path: of(code) });

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

/** 邮寄申领: open rounds this enterprise is not screened for, with their rule, checklist and its claim. */
export const listClaimRounds = (code: string) => request<ClaimRoundList>({ path: `${of(code)}/claims` });
export const getClaimRound = (code: string, roundId: string) =>
  request<ClaimRoundView>({ path: `${of(code)}/rounds/${encodeURIComponent(roundId)}/claim` });
/** Sent again with the same key and body (a retry), the server answers with the claim it already made. */
export const createClaim = (code: string, roundId: string, body: SubsidyClaimBody, idempotencyKey: string) =>
  request<ClaimRoundView>({
    method: 'POST',
    path: `${of(code)}/rounds/${encodeURIComponent(roundId)}/claim`,
    data: body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });

/** The centre: a self-posted claim's cover sheet, looked up and marked received by its code. */
export const getCoverSheet = (code: string) =>
  request<StaffCoverSheetView>({ path: `/api/v1/staff/claims/cover/${encodeURIComponent(code)}` });
export const receiveCoverSheet = (code: string) =>
  request<StaffCoverSheetView>({
    method: 'POST',
    path: `/api/v1/staff/claims/cover/${encodeURIComponent(code)}/receive`,
  });
