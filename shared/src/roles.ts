/** Who can call what. Staff roles are granted by a supervisor (or seeded for the demo), never self-assigned. */
export const Role = {
  resident: 'resident', // 群众
  enterpriseClerk: 'enterprise_clerk', // 企业经办人
  postalAgent: 'postal_agent', // 政邮专员
  supervisor: 'supervisor', // 监管/运营
  centreClerk: 'centre_clerk', // 政务中心收件: receives materials and bags at the service centre
  outletClerk: 'outlet_clerk', // 网点政务专窗: serves walk-ins and window appointments at a post office
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const allRoles: readonly Role[] = Object.values(Role);
export const staffRoles: readonly Role[] = [
  Role.postalAgent,
  Role.supervisor,
  Role.centreClerk,
  Role.outletClerk,
];

/** Version of the privacy guide (《隐私保护指引》) a user must agree to before giving personal data. */
export const PRIVACY_GUIDE_VERSION = '2026-11-01';
