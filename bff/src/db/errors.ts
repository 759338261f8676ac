/**
 * PostgreSQL's unique_violation (23505). drizzle wraps driver errors (the code is on `cause`); postgres.js and
 * PGlite put it on the error itself.
 */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
}
