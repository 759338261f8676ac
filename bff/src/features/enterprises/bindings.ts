import {
  bindingStatusLabels,
  type EnterpriseBindingView,
  type EnterpriseMemberView,
  maskName,
  validateCreditCode,
} from '@zyt/shared';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database, DatabaseOrTransaction } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import {
  type Enterprise,
  type EnterpriseMember,
  enterpriseMembers,
  enterprises,
  users,
} from '../../db/schema';
import { formatEmsTime } from '../../integrations/ems/time';
import { type GovEnterpriseLookupResult, GovError } from '../../integrations/gov/types';
import { fitThing } from '../../integrations/wechat/subscribe';
import { AppError } from '../../lib/errors';
import { piiContext, realNameIdentity } from '../me/users';
import { notifyUser } from '../notifications/notify';

/** A credit code as typed: refused when malformed; a pilot-era check mismatch passes with a warning. */
export function checkCreditCode(input: string): { code: string; warning?: string } {
  const v = validateCreditCode(input);
  if (!v.ok)
    throw new AppError(422, 'CREDIT_CODE_INVALID', undefined, [{ field: 'creditCode', message: v.message }]);
  return { code: v.value, ...(v.warning ? { warning: v.warning } : {}) };
}

export const bindingView = (m: EnterpriseMember, e: Enterprise): EnterpriseBindingView => ({
  id: m.id,
  creditCode: e.creditCode,
  enterpriseName: e.name,
  address: e.address,
  legalRepresentative: e.legalRepresentativeMasked,
  role: m.role,
  status: m.status,
  statusLabel: bindingStatusLabels[m.status],
  requestedAt: m.requestedAt.toISOString(),
  decidedAt: m.decidedAt?.toISOString() ?? null,
});

/**
 * 企业绑定: the registry confirms the enterprise (and whether the person is its legal representative) before
 * anything is stored, outside any transaction. The legal representative binds at once as admin; anyone else
 * asks and waits for the admin. A live (pending or active) binding is never made twice.
 */
export async function bindEnterprise(
  db: Database,
  app: FastifyInstance,
  params: { userId: string; creditCode: string },
): Promise<{ binding: EnterpriseBindingView; warning?: string }> {
  const { code, warning } = checkCreditCode(params.creditCode);
  const person = await realNameIdentity(db, app.pii, params.userId);
  const live = await liveBinding(db, params.userId, code);
  if (live) throw new AppError(409, 'ENTERPRISE_ALREADY_BOUND');
  let found: GovEnterpriseLookupResult;
  try {
    found = await app.gov.lookupEnterprise({ creditCode: code, person });
  } catch (err) {
    if (err instanceof GovError && err.status === 404) throw new AppError(404, 'ENTERPRISE_NOT_FOUND');
    if (err instanceof GovError) {
      app.log.warn({ code: err.code }, 'enterprise registry lookup failed');
      throw new AppError(503, 'ENTERPRISE_REGISTRY_UNAVAILABLE');
    }
    throw err;
  }
  // A dissolved or revoked enterprise has nobody to act for it: as good as unknown.
  if (found.status !== 'active') throw new AppError(404, 'ENTERPRISE_NOT_FOUND');
  const isAdmin = found.isLegalRepresentative === true;
  try {
    return await db.transaction(async (tx) => {
      const [e] = await tx
        .insert(enterprises)
        .values({
          creditCode: code,
          name: found.name,
          address: found.address,
          legalRepresentativeMasked: found.legalRepresentative,
          pilotCode: warning !== undefined,
        })
        .onConflictDoUpdate({
          target: enterprises.creditCode,
          set: {
            name: found.name,
            address: found.address,
            legalRepresentativeMasked: found.legalRepresentative,
            lookedUpAt: sql`now()`,
          },
        })
        .returning();
      const [m] = await tx
        .insert(enterpriseMembers)
        .values({
          creditCode: code,
          userId: params.userId,
          role: isAdmin ? 'admin' : 'clerk',
          status: isAdmin ? 'active' : 'pending',
          ...(isAdmin ? { decidedAt: sql`now()` } : {}),
        })
        .returning();
      return { binding: bindingView(m!, e!), ...(warning ? { warning } : {}) };
    });
  } catch (err) {
    // Two taps at once: the second finds the first's binding.
    if (isUniqueViolation(err)) throw new AppError(409, 'ENTERPRISE_ALREADY_BOUND');
    throw err;
  }
}

async function liveBinding(db: DatabaseOrTransaction, userId: string, creditCode: string) {
  const [m] = await db
    .select()
    .from(enterpriseMembers)
    .where(
      and(
        eq(enterpriseMembers.userId, userId),
        eq(enterpriseMembers.creditCode, creditCode),
        inArray(enterpriseMembers.status, ['pending', 'active']),
      ),
    );
  return m;
}

/** Every enterprise binding of a person, newest first (refused and revoked ones too: they say why). */
export async function myBindings(
  db: DatabaseOrTransaction,
  userId: string,
): Promise<EnterpriseBindingView[]> {
  const rows = await db
    .select({ m: enterpriseMembers, e: enterprises })
    .from(enterpriseMembers)
    .innerJoin(enterprises, eq(enterprises.creditCode, enterpriseMembers.creditCode))
    .where(eq(enterpriseMembers.userId, userId))
    .orderBy(desc(enterpriseMembers.requestedAt), desc(enterpriseMembers.id));
  return rows.map((r) => bindingView(r.m, r.e));
}

/**
 * The person acts for this enterprise (an active binding), with their role; otherwise 404, as for any
 * foreign record: nobody learns which enterprises exist here by trying codes.
 */
export async function actingFor(
  db: DatabaseOrTransaction,
  userId: string,
  creditCode: string,
): Promise<{ member: EnterpriseMember; enterprise: Enterprise }> {
  const code = creditCode.trim().toUpperCase();
  const [row] = await db
    .select({ m: enterpriseMembers, e: enterprises })
    .from(enterpriseMembers)
    .innerJoin(enterprises, eq(enterprises.creditCode, enterpriseMembers.creditCode))
    .where(
      and(
        eq(enterpriseMembers.userId, userId),
        eq(enterpriseMembers.creditCode, code),
        eq(enterpriseMembers.status, 'active'),
      ),
    );
  if (!row) throw new AppError(404, 'ENTERPRISE_NOT_FOUND');
  return { member: row.m, enterprise: row.e };
}

async function adminOf(db: DatabaseOrTransaction, userId: string, creditCode: string) {
  const acting = await actingFor(db, userId, creditCode);
  if (acting.member.role !== 'admin') throw new AppError(403, 'ENTERPRISE_ADMIN_ONLY');
  return acting;
}

/** The enterprise's people, as its admin sees them: live ones first, names masked. */
export async function listMembers(
  db: DatabaseOrTransaction,
  app: FastifyInstance,
  params: { userId: string; creditCode: string },
): Promise<EnterpriseMemberView[]> {
  const { enterprise } = await adminOf(db, params.userId, params.creditCode);
  const rows = await db
    .select({ m: enterpriseMembers, nameSealed: users.nameSealed })
    .from(enterpriseMembers)
    .innerJoin(users, eq(users.id, enterpriseMembers.userId))
    .where(eq(enterpriseMembers.creditCode, enterprise.creditCode))
    .orderBy(
      sql`case ${enterpriseMembers.status} when 'pending' then 0 when 'active' then 1 else 2 end`,
      asc(enterpriseMembers.requestedAt),
    );
  return rows.map(({ m, nameSealed }) => ({
    id: m.id,
    name: nameSealed ? maskName(app.pii.decrypt(nameSealed, piiContext(m.userId, 'name'))) : '未实名',
    role: m.role,
    status: m.status,
    statusLabel: bindingStatusLabels[m.status],
    requestedAt: m.requestedAt.toISOString(),
    decidedAt: m.decidedAt?.toISOString() ?? null,
    self: m.userId === params.userId,
  }));
}

const DECISIONS = {
  approve: { from: 'pending', to: 'active' },
  refuse: { from: 'pending', to: 'refused' },
  revoke: { from: 'active', to: 'revoked' },
} as const;
export type MemberDecision = keyof typeof DECISIONS;

/** What the clerk reads when the admin decided their request (企业绑定审核结果, phrase ≤ 5 characters). */
const DECISION_MESSAGE = {
  approve: { result: '已通过', hint: '您现在可以为该企业办理免申即享等事项' },
  refuse: { result: '未通过', hint: '如有疑问请联系企业法定代表人' },
} as const;

/**
 * The admin approves or refuses a request, or revokes a clerk. Only clerks of this enterprise (a member of
 * another enterprise is 404), only from the right state (409), one conditional UPDATE. An approved or refused
 * clerk is told by subscribe message (enterprise_member_decided), queued in the same transaction, once per
 * request and decision.
 */
export async function decideMember(
  db: Database,
  app: FastifyInstance,
  params: { userId: string; creditCode: string; memberId: string; decision: MemberDecision },
): Promise<EnterpriseMember> {
  const { enterprise } = await adminOf(db, params.userId, params.creditCode);
  const { from, to } = DECISIONS[params.decision];
  const [target] = await db
    .select()
    .from(enterpriseMembers)
    .where(
      and(eq(enterpriseMembers.id, params.memberId), eq(enterpriseMembers.creditCode, enterprise.creditCode)),
    );
  if (!target) throw new AppError(404, 'NOT_FOUND');
  if (target.role === 'admin') throw new AppError(409, 'ENTERPRISE_MEMBER_STATE_CONFLICT');
  return db.transaction(async (tx) => {
    const [done] = await tx
      .update(enterpriseMembers)
      .set({ status: to, decidedAt: sql`now()`, decidedBy: params.userId })
      .where(and(eq(enterpriseMembers.id, target.id), eq(enterpriseMembers.status, from)))
      .returning();
    if (!done) throw new AppError(409, 'ENTERPRISE_MEMBER_STATE_CONFLICT');
    if (params.decision !== 'revoke') {
      const message = DECISION_MESSAGE[params.decision];
      await notifyUser(tx, app, {
        userId: done.userId,
        kind: 'enterprise_member_decided',
        dedupeKey: `enterprise-member:${done.id}:${params.decision}`,
        page: `enterprise/pages/index/index?code=${enterprise.creditCode}`,
        data: {
          thing1: { value: fitThing(enterprise.name) },
          phrase2: { value: message.result },
          time3: { value: formatEmsTime(done.decidedAt ?? new Date()).slice(0, 16) },
          thing4: { value: fitThing(message.hint) },
        },
      });
    }
    return done;
  });
}
