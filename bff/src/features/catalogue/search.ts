/**
 * Substring search on Chinese text without pinyin or word segmentation: each text is indexed by its
 * characters and pairs of adjacent characters (a GIN index on a text[] column), a query is looked up by its
 * pairs (or its one character), and the candidates are confirmed with strpos. Works alike on PostgreSQL and
 * PGlite, needs no extension, and serves the two-character queries pg_trgm cannot (see the schema).
 */

/** Full-width letters and digits to half-width (NFKC), lower case, no whitespace. */
export function normaliseForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** Characters and adjacent pairs of each text (already normalised), deduplicated. */
export function indexGrams(...texts: string[]): string[] {
  const grams = new Set<string>();
  for (const text of texts) {
    const chars = [...text];
    chars.forEach((c, i) => {
      grams.add(c);
      const next = chars[i + 1];
      if (next !== undefined) grams.add(c + next);
    });
  }
  return [...grams];
}

/** What an indexed text must contain to possibly contain `term` (normalised): its pairs, or its one character. */
export function queryGrams(term: string): string[] {
  const chars = [...term];
  if (chars.length <= 1) return chars;
  return [...new Set(chars.slice(1).map((c, i) => chars[i] + c))];
}

/**
 * Everyday words that official names spell out: 社保 is written 社会保险 or 社会保障 in matter names. Each
 * alternative is searched too.
 */
const ALIASES: Record<string, string[]> = {
  社保: ['社会保险', '社会保障'],
  医保: ['医疗保险', '医疗保障'],
  户口: ['户籍'],
  退休: ['养老金'],
};

/**
 * The search terms of a query: split on whitespace (every term must match), each with its alternatives.
 * Returns at most 5 terms of at most 20 characters, normalised.
 */
export function searchTerms(query: string): string[][] {
  return query
    .split(/\s+/u)
    .map(normaliseForSearch)
    .filter((t) => t.length > 0)
    .slice(0, 5)
    .map((t) => [...t].slice(0, 20).join(''))
    .map((t) => [...new Set([t, ...(Object.hasOwn(ALIASES, t) ? ALIASES[t]! : [])])]);
}
