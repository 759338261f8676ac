import { type Static, Type } from 'typebox';
import { RoleSchema } from './common';

export const MeResponse = Type.Object({
  id: Type.String(),
  roles: Type.Array(RoleSchema),
  /** The privacy guide version the user agreed to, or null. */
  consent: Type.Union([Type.Object({ version: Type.String(), agreedAt: Type.String() }), Type.Null()]),
  /** The version currently in force: the user must agree to it before giving personal data. */
  privacyGuideVersion: Type.String(),
  /** Real name (实名), masked. */
  identity: Type.Union([
    Type.Object({ name: Type.String(), idNumber: Type.String(), verifiedAt: Type.String() }),
    Type.Null(),
  ]),
});
export type MeResponse = Static<typeof MeResponse>;

export const ConsentBody = Type.Object(
  { version: Type.String({ minLength: 1, maxLength: 32 }) },
  { additionalProperties: false },
);
export type ConsentBody = Static<typeof ConsentBody>;

export const IdentityBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60 }),
    idNumber: Type.String({ minLength: 1, maxLength: 32 }),
  },
  { additionalProperties: false },
);
export type IdentityBody = Static<typeof IdentityBody>;

export const GrantRolesBody = Type.Object(
  { roles: Type.Array(RoleSchema, { maxItems: 4 }) },
  { additionalProperties: false },
);
export type GrantRolesBody = Static<typeof GrantRolesBody>;

/** A staff member's 工号 and work phone, set by a supervisor; residents they visit see them (phone masked). */
export const StaffContactBody = Type.Object(
  {
    staffNo: Type.String({ pattern: '^[A-Za-z0-9]{2,20}$' }),
    phone: Type.String({ minLength: 1, maxLength: 20 }),
  },
  { additionalProperties: false },
);
export type StaffContactBody = Static<typeof StaffContactBody>;
