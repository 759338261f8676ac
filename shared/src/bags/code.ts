/**
 * The bag code's shape, apart from the TypeBox schemas (api/bags.ts) so mini-program pages can check a typed
 * code without pulling TypeBox into their package.
 */

/** Normalised bag code as the API returns it: `XXXX-XXXX-XXXX` (Crockford base32 without I L O U). */
export const BAG_CODE_PATTERN = '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$';

/**
 * Days after a door visit ended 材料不齐 during which the resident may still send the missing materials by bag
 * instead of re-booking (the visit's missing list stays valid that long).
 */
export const VISIT_BAG_LOOKBACK_DAYS = 60;
