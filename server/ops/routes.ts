import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

export function registerOpsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    try {
      await sql`select 1`.execute(ctx.store.db);
      return { status: 'ready', store: ctx.store.engine, erp: ctx.config.erp };
    } catch {
      return reply.status(503).send({ code: 'not-ready', message: 'The store is not reachable.' });
    }
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
