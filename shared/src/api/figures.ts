import { type Static, Type } from 'typebox';
import { AgentFigures } from './staff';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A period of Beijing dates, both ends included, and optionally one service centre (an outlet id). */
export const FiguresQuery = Type.Object(
  {
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    centre: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type FiguresQuery = Static<typeof FiguresQuery>;

/** Applications that came in by one channel (caseChannels), or supplements sent by bag (channel `bag_supplement`). */
export const ChannelFigure = Type.Object({
  channel: Type.String(),
  label: Type.String(),
  count: Type.Integer(),
});

/** The time from one step to the next (figureStages), over the cases that reached both steps. */
export const StageFigure = Type.Object({
  stage: Type.String(),
  label: Type.String(),
  cases: Type.Integer(),
  medianSeconds: Nullable(Type.Number()),
  p90Seconds: Nullable(Type.Number()),
});

export const FiguresResponse = Type.Object({
  from: Type.String(),
  to: Type.String(),
  centre: Nullable(Type.Object({ id: Type.String(), name: Type.String() })),
  /** Cases opened in the period. */
  applications: Type.Integer(),
  channels: Type.Array(ChannelFigure),
  /** Government-paid EMS pieces (政府买单) ordered in the period, and the postage residents did not pay. */
  freeMail: Type.Object({
    pieces: Type.Integer(),
    postageFen: Type.Integer(),
    legs: Type.Array(Type.Object({ leg: Type.String(), label: Type.String(), pieces: Type.Integer() })),
  }),
  stages: Type.Array(StageFigure),
  agents: Type.Array(AgentFigures),
});
export type FiguresResponse = Static<typeof FiguresResponse>;

/** The service centres a supervisor can pick. */
export const FigureCentres = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});
export type FigureCentres = Static<typeof FigureCentres>;
