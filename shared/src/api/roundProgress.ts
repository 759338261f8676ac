import { type Static, Type } from 'typebox';

/**
 * Supervisors: a 免申即享 round's progress — who is on the list, who confirmed, what the platform accepted, what
 * was paid and what is overdue, per Beijing day — and the claims received by post by channel.
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const RoundIdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
export type RoundIdParam = Static<typeof RoundIdParam>;

/** The headline counts of a round (the rounds list shows them; the progress page too). */
export const RoundCounts = Type.Object({
  /** Enterprises on the screened list, and the amount screened for them. */
  listed: Type.Integer(),
  listedFen: Type.Integer(),
  /** Enterprises that confirmed (each confirmation is an enterprise case). */
  confirmed: Type.Integer(),
  confirmedFen: Type.Integer(),
  /** The platform accepted (受理) their case. */
  accepted: Type.Integer(),
  /** The platform refused or returned it (不予受理、退回). */
  refused: Type.Integer(),
  /** Paid (拨付), and the amount paid. */
  paid: Type.Integer(),
  paidFen: Type.Integer(),
  /** Unpaid past the payment deadline (受理后21个工作日). */
  overdue: Type.Integer(),
  /** Paid, but after the payment deadline. */
  paidLate: Type.Integer(),
});
export type RoundCounts = Static<typeof RoundCounts>;

export const RoundSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  matterName: Type.String(),
  /** importing (list being taken) or open. */
  status: Type.String(),
  statusLabel: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  deadline: Type.String({ format: 'date-time' }),
  /** The confirmation deadline passed. */
  closed: Type.Boolean(),
  counts: RoundCounts,
});
export type RoundSummary = Static<typeof RoundSummary>;

export const RoundList = Type.Object({ items: Type.Array(RoundSummary) });
export type RoundList = Static<typeof RoundList>;

/** One Beijing day: confirmations made, cases the platform accepted, payments made (by payment date). */
export const RoundDay = Type.Object({
  date: Type.String({ format: 'date' }),
  confirmed: Type.Integer(),
  accepted: Type.Integer(),
  paid: Type.Integer(),
  paidFen: Type.Integer(),
});
export type RoundDay = Static<typeof RoundDay>;

export const RoundProgress = Type.Object({
  round: RoundSummary,
  rule: Type.String(),
  /** Claims by post (邮寄申领) received by the centre, by the channel they came by. */
  claims: Type.Object({
    received: Type.Integer(),
    byChannel: Type.Object({
      ems_pickup: Type.Integer(),
      door_visit: Type.Integer(),
      self_post: Type.Integer(),
    }),
  }),
  /** Oldest first; only days on which something happened. */
  days: Type.Array(RoundDay),
  /** When these figures were computed (overdue counts to this instant). */
  asOf: Type.String({ format: 'date-time' }),
  /** The earliest payment deadline still unpaid, if any is overdue (Beijing date). */
  oldestOverdueDue: Nullable(Type.String({ format: 'date' })),
});
export type RoundProgress = Static<typeof RoundProgress>;
