import type { FastifyInstance } from 'fastify';

/**
 * Runs `work` every `everyMs` once the app is ready, until it closes; logs what it did and any failure (a
 * failed sweep is simply tried again next time). Sweeps are safe on several instances at once: each one's
 * work is a conditional UPDATE or a singleton job.
 */
export function scheduleSweep(
  app: FastifyInstance,
  name: string,
  everyMs: number,
  work: () => Promise<number>,
): void {
  let timer: NodeJS.Timeout | undefined;
  const sweep = () => {
    work()
      .then((n) => n > 0 && app.log.info({ sweep: name, count: n }, 'sweep done'))
      .catch((err: Error) => app.log.warn({ sweep: name, err: { message: err.message } }, 'sweep failed'));
  };
  app.addHook('onReady', async () => {
    timer = setInterval(sweep, everyMs);
    timer.unref();
  });
  app.addHook('onClose', async () => clearInterval(timer));
}
