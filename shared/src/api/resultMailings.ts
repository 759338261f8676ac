import { type Static, Type } from 'typebox';
import { RECEIPT_CASE_NUMBER_PATTERN, RESULT_MAILING_LIST_MAX } from '../cases/receiptCode';
import { AddressSchema, ContactSchema } from './booking';
import { CaseSummarySchema } from './cases';

/**
 * 单程寄递: a resident adds a case they applied for online or at a window (by its receipt's code or by typing
 * its number and query code) and has the result mailed to this address. The client reads a scanned receipt
 * with parseReceiptCode and sends the two fields; the BFF normalises them again.
 */
export const AddResultMailingBody = Type.Object(
  {
    caseNumber: Type.String({ minLength: 1, maxLength: 64 }),
    queryCode: Type.String({ minLength: 1, maxLength: 16 }),
    address: AddressSchema,
    contact: ContactSchema,
  },
  { additionalProperties: false },
);
export type AddResultMailingBody = Static<typeof AddResultMailingBody>;

export const ResultMailingView = Type.Object({
  case: CaseSummarySchema,
  /** Where the result goes, masked (the resident typed it; the full address stays sealed). */
  receiver: Type.Object({ name: Type.String(), phone: Type.String(), address: Type.String() }),
});
export type ResultMailingView = Static<typeof ResultMailingView>;

/**
 * A service centre orders result mailing for many cases at once: results it holds (issued), each to the
 * applicant's address from the centre's list. Cases already ordered are skipped, so re-sending a list is safe.
 */
export const StaffResultMailingsBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          caseNumber: Type.String({ pattern: RECEIPT_CASE_NUMBER_PATTERN }),
          matterCode: Type.String({ minLength: 1, maxLength: 64 }),
          address: AddressSchema,
          contact: ContactSchema,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: RESULT_MAILING_LIST_MAX },
    ),
  },
  { additionalProperties: false },
);
export type StaffResultMailingsBody = Static<typeof StaffResultMailingsBody>;

export const StaffResultMailingsResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      caseNumber: Type.String(),
      /** ordered: a waybill will be made for it; already_ordered: an earlier order (or the applicant) has it. */
      outcome: Type.Union([Type.Literal('ordered'), Type.Literal('already_ordered')]),
      /** Our parcel id (one EMS waybill); results for one person to one address share it (up to 5). */
      parcelId: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  ordered: Type.Integer(),
  parcels: Type.Integer(),
});
export type StaffResultMailingsResponse = Static<typeof StaffResultMailingsResponse>;
