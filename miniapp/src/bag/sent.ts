import type { BagConfirmation } from '@zyt/shared';

/**
 * The confirmation the send page just received, for the page after it (the API has no read-back of it: a
 * used bag scanned again is refused). Lost on reload, when the page falls back to the case.
 */
let last: BagConfirmation | undefined;

export const rememberSent = (confirmation: BagConfirmation) => {
  last = confirmation;
};
export const sentConfirmation = (code: string): BagConfirmation | undefined =>
  last?.code === code ? last : undefined;
