import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';
import { listOutboxItems, retryItem, setMapPaused } from '../erp/outbox/control.js';
import { itemView, readMapStatuses } from '../erp/outbox/status.js';
import { OUTBOX_STATUSES, type MapStatusView, type OutboxStatus } from '../../shared/erp/outbox-wire.js';
import { OUTBOX_NAME } from '../erp/outbox/types.js';
import { authenticate, requireRole } from '../http/authenticate.js';
import { AppError, notFound } from '../http/errors.js';

const count = { type: 'integer', minimum: 0 } as const;
const isoTime = { type: 'string', format: 'date-time' } as const;
const nullableIsoTime = { type: ['string', 'null'], format: 'date-time' } as const;
const mapName = { type: 'string', pattern: OUTBOX_NAME.source } as const;

const itemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'seq', 'map', 'operation', 'documentId', 'dedupeKey', 'status', 'attempts', 'nextAttemptAt', 'lastError', 'erpId', 'payload', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    seq: count,
    map: { type: 'string' },
    operation: { type: 'string' },
    documentId: { type: 'string' },
    dedupeKey: { type: 'string' },
    status: { type: 'string', enum: OUTBOX_STATUSES },
    attempts: count,
    nextAttemptAt: isoTime,
    lastError: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['code', 'message', 'at'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, at: isoTime },
    },
    erpId: { type: ['string', 'null'] },
    payload: {},
    createdAt: isoTime,
    updatedAt: isoTime,
  },
} as const;

const depthSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...OUTBOX_STATUSES],
  properties: Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, count])),
} as const;

const mapStatusSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['map', 'paused', 'pausedAt', 'reason', 'depth', 'retrying', 'oldestPendingAgeMs', 'lastError', 'alert', 'handledOperations'],
  properties: {
    map: { type: 'string' },
    paused: { type: 'boolean' },
    pausedAt: nullableIsoTime,
    reason: { type: ['string', 'null'] },
    depth: depthSchema,
    retrying: count,
    oldestPendingAgeMs: { type: ['integer', 'null'], minimum: 0 },
    lastError: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['itemId', 'code', 'message', 'at'],
      properties: { itemId: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' }, at: isoTime },
    },
    alert: { type: 'boolean' },
    handledOperations: { type: 'array', items: { type: 'string' } },
  },
} as const;

/**
 * The ERP outbox for administrators: see what waits and what failed, give a
 * poison item another chance, pause and resume a map. Admin role only.
 */
export function registerErpOutboxRoutes(app: FastifyInstance, ctx: AppContext): void {
  const admin = async (request: Parameters<typeof authenticate>[1]) => requireRole(await authenticate(ctx.auth, request), ['admin']);
  const statuses = () =>
    readMapStatuses(ctx.store.db, { now: Date.now(), alertThreshold: ctx.config.erpOutbox.alertThreshold, handledOperations: (map) => ctx.outboxHandlers.operationsOf(map) });
  const statusOf = async (map: string): Promise<MapStatusView> => {
    const found = (await statuses()).find((m) => m.map === map);
    if (!found) throw new Error(`map ${map} has no status after it was written`);
    return found;
  };

  app.get<{ Querystring: { status?: OutboxStatus; map?: string; limit?: string } }>(
    '/api/v1/admin/erp/outbox',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: { type: 'string', enum: OUTBOX_STATUSES }, map: mapName, limit: { type: 'string', pattern: '^[0-9]{1,3}$' } },
        },
        response: {
          200: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: itemSchema } } },
        },
      },
    },
    async (request) => {
      await admin(request);
      const limit = Math.min(Math.max(Number(request.query.limit ?? 100), 1), 500);
      const rows = await listOutboxItems(ctx.store.db, { status: request.query.status, map: request.query.map, limit });
      return { items: rows.map(itemView) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/admin/erp/outbox/:id/retry',
    {
      schema: {
        params: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } },
        response: { 200: { type: 'object', additionalProperties: false, required: ['item'], properties: { item: itemSchema } } },
      },
    },
    async (request) => {
      await admin(request);
      const result = await retryItem(ctx.store, request.params.id, Date.now());
      if (!result.ok && result.reason === 'not-found') throw notFound(`No ERP outbox item ${request.params.id}.`);
      if (!result.ok) {
        throw new AppError(409, 'status-not-allowed', `Only a poison item can be retried; item ${request.params.id} is ${result.reason === 'not-poison' ? result.status : 'not poison'} and is delivered on its own.`);
      }
      request.log.info({ item: request.params.id, admin: request.principal?.user.username }, 'ERP outbox item retried by an admin');
      return { item: itemView(result.item) };
    },
  );

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { map: string }; Body: { reason?: string } | undefined }>(
      `/api/v1/admin/erp/maps/:map/${action}`,
      {
        schema: {
          params: { type: 'object', additionalProperties: false, required: ['map'], properties: { map: mapName } },
          ...(action === 'pause'
            ? { body: { type: ['object', 'null'], additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500 } } } }
            : {}),
          response: { 200: mapStatusSchema },
        },
      },
      async (request) => {
        await admin(request);
        const reason = action === 'pause' ? (request.body?.reason?.trim() ?? '') || null : null;
        await setMapPaused(ctx.store, request.params.map, action === 'pause', reason, Date.now());
        request.log.info({ map: request.params.map, admin: request.principal?.user.username, reason }, `ERP map ${action}d by an admin`);
        return statusOf(request.params.map);
      },
    );
  }

  app.get(
    '/api/v1/admin/erp/status',
    {
      schema: {
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['maps', 'alertThreshold'],
            properties: { maps: { type: 'array', items: mapStatusSchema }, alertThreshold: count },
          },
        },
      },
    },
    async (request) => {
      await admin(request);
      return { maps: await statuses(), alertThreshold: ctx.config.erpOutbox.alertThreshold };
    },
  );
}
