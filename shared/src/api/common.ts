import { type Static, Type } from 'typebox';

export const FieldIssueSchema = Type.Object({ field: Type.String(), message: Type.String() });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable error code, see shared/src/errors.ts' }),
      message: Type.String({ description: 'What happened and what to do, in Simplified Chinese' }),
      details: Type.Optional(Type.Array(FieldIssueSchema)),
    }),
  },
  { $id: 'ErrorResponse' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const RoleSchema = Type.Union([
  Type.Literal('resident'),
  Type.Literal('enterprise_clerk'),
  Type.Literal('postal_agent'),
  Type.Literal('supervisor'),
  Type.Literal('centre_clerk'),
  Type.Literal('outlet_clerk'),
]);
