import type { FastifyInstance } from 'fastify';
import { ERP_LINE_STATUSES, type ErpLineStatus } from '../../shared/ledger/erp-status.js';
import { journalSchema } from '../../shared/schemas/journals.js';
import type { AppContext } from '../context.js';
import { authenticate, requireRole } from '../http/authenticate.js';
import { badRequest } from '../http/errors.js';
import { decodeCursor, listErpJournals } from '../ledger/aggregation/list.js';
import { runAggregationFor } from '../ledger/aggregation/service.js';

const count = { type: 'integer', minimum: 0 } as const;

const runResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['aggregatedLines', 'postingJournals', 'erpJournals', 'erpLines', 'doNotSyncLines', 'remainingLines', 'sink', 'queued', 'delivered'],
  properties: {
    aggregatedLines: count,
    postingJournals: count,
    erpJournals: count,
    erpLines: count,
    doNotSyncLines: count,
    remainingLines: count,
    sink: { type: ['string', 'null'] },
    queued: count,
    delivered: {
      type: 'object',
      additionalProperties: false,
      required: ['journals', 'postedLines', 'createErrorLines', 'postErrorLines'],
      properties: { journals: count, postedLines: count, createErrorLines: count, postErrorLines: count },
    },
  },
} as const;

// The list answers ERP journals exactly as they replicate (the collection schema, without RxDB's own keywords).
const { version: _version, primaryKey: _primaryKey, indexes: _indexes, ...journalJson } = journalSchema;

/** ERP aggregation for administrators: run it now, and see the ERP journals with their line statuses. */
export function registerErpJournalRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/admin/aggregation/run',
    { schema: { response: { 200: runResponse } } },
    async (request) => {
      requireRole(await authenticate(ctx.auth, request), ['admin']);
      return runAggregationFor(ctx);
    },
  );

  app.get<{ Querystring: { status?: ErpLineStatus; limit?: string; cursor?: string } }>(
    '/api/v1/admin/erp-journals',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: ERP_LINE_STATUSES },
            limit: { type: 'string', pattern: '^[0-9]{1,3}$' },
            cursor: { type: 'string', minLength: 1, maxLength: 400 },
          },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['journals', 'nextCursor'],
            properties: { journals: { type: 'array', items: journalJson }, nextCursor: { type: ['string', 'null'] } },
          },
        },
      },
    },
    async (request) => {
      requireRole(await authenticate(ctx.auth, request), ['admin']);
      const limit = Math.min(Math.max(Number(request.query.limit ?? 50), 1), 200);
      const after = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor);
      if (request.query.cursor !== undefined && !after) throw badRequest('cursor is not one this server gave out; start again without it.');
      return listErpJournals(ctx.store.db, { limit, ...(request.query.status ? { status: request.query.status } : {}), ...(after ? { after } : {}) });
    },
  );
}
