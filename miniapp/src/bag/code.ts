import { BAG_CODE_PATTERN } from '@zyt/shared';

/**
 * 快递袋 codes (袋码) as people and scanners hand them over. A label's QR holds `<base>/b/<code>`; the WeChat camera
 * opens the mini-program with that URL in the `q` launch parameter (URL-encoded, decoded once by routeParam),
 * the in-app scan button returns the URL itself, and a person may type the code printed under the QR.
 */

/** 12 characters of Crockford base32 (no I, L, O or U) in three groups of four: `XXXX-XXXX-XXXX`. */
const CANONICAL = new RegExp(BAG_CODE_PATTERN);
/** Letters people type for the digits they look like (the alphabet has none of them). */
const LOOK_ALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

/** The code part of a label URL (`…/b/<code>`, maybe with a query or fragment), or the input itself. */
function codePart(input: string): string {
  const match = /\/b\/([^/?#]+)/i.exec(input);
  if (match) {
    try {
      return decodeURIComponent(match[1]!);
    } catch {
      return match[1]!;
    }
  }
  return input;
}

/**
 * The canonical grouped code (`XXXX-XXXX-XXXX`) from a `q` launch parameter, a scanned or pasted URL, or a typed
 * code in any case, with or without dashes and spaces; undefined when it cannot be a bag code. Whether the
 * code is genuine (its keyed tag) only the server can tell.
 */
export function bagCodeFrom(input: string | undefined | null): string | undefined {
  if (!input) return undefined;
  const raw = codePart(input.trim())
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/[OIL]/g, (c) => LOOK_ALIKES[c]!);
  const grouped = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  return CANONICAL.test(grouped) ? grouped : undefined;
}
