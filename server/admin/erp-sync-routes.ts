import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { erpLevelsOf } from '../erp/levels/with-sync.js';
import { UnknownSyncMapError } from '../erp/sync/service.js';
import { RUN_KINDS, type RunKind } from '../../shared/erp/sync-wire.js';
import { authenticate, requireRole } from '../http/authenticate.js';
import { badRequest, notFound } from '../http/errors.js';

const MAP_NAME = '^[A-Za-z0-9._-]{1,100}$';

/**
 * The inbound ERP sync for administrators: each map's state (cursor, the run
 * in progress with its progress, the last run with what it created, updated,
 * skipped, the mismatches and failures it listed, the last error), and a way
 * to run a map now.
 */
export function registerErpSyncRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/admin/erp/sync', async (request) => {
    requireRole(await authenticate(ctx.auth, request), ['admin']);
    if (!ctx.erpSync) {
      const { intervalMs, overlapMs, reconcileIntervalMs } = ctx.config.erpSync;
      return { adapter: ctx.config.erp, enabled: false, intervalMs, overlapMs, reconcileIntervalMs, maps: [] };
    }
    return ctx.erpSync.status();
  });

  app.post<{ Params: { map: string }; Querystring: { kind?: RunKind; wait?: 'true' | 'false' } }>(
    '/api/v1/admin/erp/sync/:map/run',
    {
      schema: {
        params: { type: 'object', required: ['map'], properties: { map: { type: 'string', pattern: MAP_NAME } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { kind: { type: 'string', enum: RUN_KINDS }, wait: { type: 'string', enum: ['true', 'false'] } },
        },
      },
    },
    async (request, reply) => {
      requireRole(await authenticate(ctx.auth, request), ['admin']);
      const sync = ctx.erpSync;
      if (!sync) throw notFound(`There is no ERP map "${request.params.map}": no ERP is configured (FIELDSTOCK_ERP=${ctx.config.erp}).`);
      let run: Promise<unknown>;
      try {
        run = sync.run(request.params.map, request.query.kind);
      } catch (error) {
        if (error instanceof UnknownSyncMapError) {
          // A map that exists but is not synced from the ERP is a bad request; a name that is no map is not found.
          throw ctx.erp?.maps.maps.some((m) => m.name === error.map) ? badRequest(error.message) : notFound(error.message);
        }
        throw error;
      }
      if (request.query.wait === 'true') return run;
      // A long first sync runs on; GET /api/v1/admin/erp/sync shows its progress. Its outcome is stored and logged there.
      run.catch(() => undefined);
      return reply.code(202).send({ map: request.params.map, started: true });
    },
  );

  // Inventory levels from the ERP (server/erp/levels/): runs now, after a run in progress, and answers what it posted.
  app.post('/api/v1/admin/erp/levels/run', async (request) => {
    requireRole(await authenticate(ctx.auth, request), ['admin']);
    const levels = erpLevelsOf(ctx.erpSync);
    if (!levels) throw notFound(`ERP inventory levels are not available: ${ctx.erpSync ? `the ${ctx.config.erp} adapter cannot read levels` : `no ERP is configured (FIELDSTOCK_ERP=${ctx.config.erp})`}.`);
    return levels.run();
  });
}
