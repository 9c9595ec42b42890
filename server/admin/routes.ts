import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { authenticate, requireRole } from '../http/authenticate.js';
import { registerErpJournalRoutes } from './erp-journal-routes.js';

/** Administrators' routes: ERP aggregation, and pushed rows the server set aside (invalid or out of scope), newest first. */
export function registerAdminRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerErpJournalRoutes(app, ctx);
  app.get<{ Querystring: { collection?: string; limit?: string } }>(
    '/api/v1/admin/push-rejections',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { collection: { type: 'string', maxLength: 64 }, limit: { type: 'string', pattern: '^[0-9]{1,4}$' } },
        },
      },
    },
    async (request) => {
      requireRole(await authenticate(ctx.auth, request), ['admin']);
      const limit = Math.min(Math.max(Number(request.query.limit ?? 100), 1), 1000);
      let query = ctx.store.db.selectFrom('push_rejections').selectAll().orderBy('created_at', 'desc').orderBy('id').limit(limit);
      if (request.query.collection) query = query.where('collection', '=', request.query.collection);
      const rows = await query.execute();
      return rows.map((r) => ({
        id: r.id,
        collection: r.collection,
        documentId: r.doc_id,
        userId: r.user_id,
        code: r.code,
        message: r.message,
        document: JSON.parse(r.payload) as unknown,
        createdAt: new Date(r.created_at).toISOString(),
      }));
    },
  );
}
