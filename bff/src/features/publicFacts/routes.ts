import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PublicFactsSchema } from '@zyt/shared';
import type { FastifyInstance } from 'fastify';

/**
 * 服务公开: the region's service list, process, fee schedule (收费标准) and supervision hotlines (监督热线), which
 * the service must publish. From configuration (PUBLIC_FACTS), open to anyone, signed in or not.
 */
export default async function publicFactsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/public/facts',
    {
      config: { access: 'public' },
      schema: {
        tags: ['public'],
        summary: 'The region’s published facts: services, process, fees and supervision hotlines',
        response: { 200: PublicFactsSchema },
      },
    },
    async () => app.config.publicFacts,
  );
}
