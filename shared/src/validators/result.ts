/** Outcome of a validator: refused with a reason a person can act on, or accepted (maybe with a warning). */
export type Validation =
  | { ok: true; value: string; warning?: string }
  | { ok: false; reason: string; message: string };

export const refuse = (reason: string, message: string): Validation => ({ ok: false, reason, message });
