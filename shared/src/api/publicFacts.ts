import { type Static, Type } from 'typebox';

const Line = Type.String({ minLength: 1, maxLength: 200 });

/**
 * What a region must publish about the service (服务事项清单、服务流程、收费标准和监督热线): set per deployment in
 * the BFF's configuration (PUBLIC_FACTS), served as is to anyone.
 */
export const PublicFactsSchema = Type.Object(
  {
    /** The region served, e.g. 广州市黄埔区. */
    region: Line,
    /** 服务事项清单: what can be done through the post. */
    services: Type.Array(Line, { minItems: 1, maxItems: 30 }),
    /** 服务流程: the steps, in order. */
    process: Type.Array(Line, { minItems: 1, maxItems: 20 }),
    /** 收费标准: each item and what it costs (免费 where the government pays). */
    fees: Type.Array(Type.Object({ item: Line, standard: Line }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 30,
    }),
    /** 监督热线: where to complain or ask. */
    hotlines: Type.Array(
      Type.Object(
        {
          name: Line,
          phone: Type.String({ pattern: '^[0-9-]{3,20}$' }),
          hours: Type.Optional(Line),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10 },
    ),
  },
  { additionalProperties: false },
);
export type PublicFacts = Static<typeof PublicFactsSchema>;
