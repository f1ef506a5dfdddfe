import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HealthSchema as Health } from './schema';

async function probe(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      // Busy or not, the health check says how Temporal and PostgreSQL are.
      config: { access: 'public', pressureHandler: () => undefined },
      schema: { tags: ['system'], summary: 'Tình trạng Temporal và PostgreSQL', response: { 200: Health, 503: Health } },
    },
    async (_request, reply) => {
      const [temporal, postgres] = await Promise.all([
        probe(() => app.temporal.workflowService.getSystemInfo({})),
        probe(() => app.pool.query('SELECT 1')),
      ]);
      const ok = temporal.ok && postgres.ok;
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', temporal, postgres });
    },
  );
};
export default route;
