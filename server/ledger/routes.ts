import type { FastifyInstance } from 'fastify';
import { BULK_ADJUSTMENTS_MAX, type BulkAdjustmentEntry } from '../../shared/wire.js';
import type { AppContext } from '../context.js';
import { authenticate, requireRole } from '../http/authenticate.js';
import { postBulkAdjustments } from './bulk.js';
import { queryOnHand } from './onhand-query.js';

export function registerLedgerRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Body: BulkAdjustmentEntry[] }>(
    '/api/v1/transactions/adjustments/bulk',
    {
      schema: {
        body: {
          type: 'array',
          maxItems: BULK_ADJUSTMENTS_MAX,
          items: {
            type: 'object',
            required: ['id', 'warehouseCode', 'productNumber', 'quantity'],
            additionalProperties: false,
            properties: {
              id: { type: 'string', minLength: 1, maxLength: 100 },
              warehouseCode: { type: 'string', minLength: 1, maxLength: 64 },
              productNumber: { type: 'string', minLength: 1, maxLength: 64 },
              quantity: { type: 'number' },
              reasonCode: { type: 'string', minLength: 1, maxLength: 64 },
              externalReference: {
                type: 'object',
                required: ['category', 'id'],
                additionalProperties: false,
                properties: { category: { type: 'string', minLength: 1, maxLength: 64 }, id: { type: 'string', minLength: 1, maxLength: 200 } },
              },
              occurredAt: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
    async (request) => {
      const principal = await authenticate(ctx.auth, request);
      requireRole(principal, ['integration', 'admin']);
      const policy = ctx.registry.get('inventoryTransactions');
      if (!policy) throw new Error('inventoryTransactions is not registered');
      return postBulkAdjustments(
        { store: ctx.store, notifier: ctx.notifier, ledger: ctx.config.ledger, transactions: policy, hooks: ctx.hooks },
        principal.user,
        request.body,
      );
    },
  );

  app.get<{ Querystring: { warehouseCode?: string; productNumber?: string } }>(
    '/api/v1/inventory/onhand',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { warehouseCode: { type: 'string', maxLength: 64 }, productNumber: { type: 'string', maxLength: 64 } },
        },
      },
    },
    async (request) => {
      const { user } = await authenticate(ctx.auth, request);
      return queryOnHand(ctx.store.db, user, request.query);
    },
  );
}
