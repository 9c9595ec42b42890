import type { FastifyInstance } from 'fastify';
import { COLLECTION_NAMES } from '../../shared/collections.js';
import type { AppContext } from '../context.js';
import { localIdOf, traceDocument } from '../erp/trace/trace.js';
import { OUTBOX_NAME } from '../erp/outbox/types.js';
import { authenticate, requireRole } from '../http/authenticate.js';
import { notFound } from '../http/errors.js';

const count = { type: 'integer', minimum: 0 } as const;
const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;
const isoTime = { type: 'string', format: 'date-time' } as const;
const problem = { type: ['object', 'null'], additionalProperties: false, required: ['code', 'message'], properties: { code: text, message: text } } as const;
const datedProblem = { type: ['object', 'null'], additionalProperties: false, required: ['code', 'message', 'at'], properties: { code: text, message: text, at: text } } as const;

function object(properties: Record<string, unknown>) {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties } as const;
}

/** The answer's JSON schema: shared/erp/trace-wire.ts in schema form (the OpenAPI document shows it). */
const traceSchema = object({
  document: object({ collection: text, id: text, seq: count, deleted: { type: 'boolean' }, status: nullableText, error: problem, erpError: datedProblem }),
  posting: {
    type: ['object', 'null'],
    additionalProperties: false,
    required: ['outcome', 'journalId', 'postedAt'],
    properties: { outcome: { type: 'string', enum: ['posted', 'rejected'] }, journalId: nullableText, postedAt: isoTime },
  },
  postingLines: {
    type: 'array',
    items: object({
      journalId: text,
      lineNumber: count,
      journalName: text,
      warehouseId: text,
      productId: text,
      quantity: { type: 'number' },
      aggregation: { type: 'string', enum: ['pending', 'aggregated'] },
      erpJournalId: nullableText,
      erpLineNumber: { type: ['integer', 'null'] },
    }),
  },
  erpLines: {
    type: 'array',
    items: object({
      journalId: text,
      lineNumber: count,
      warehouseId: text,
      productId: text,
      quantity: { type: 'number' },
      sourceLineCount: count,
      status: text,
      erpJournalId: nullableText,
      erpLineId: nullableText,
      error: problem,
    }),
  },
  outbox: {
    type: 'array',
    items: object({
      id: text,
      map: text,
      operation: text,
      documentId: text,
      status: text,
      attempts: count,
      erpId: nullableText,
      lastError: datedProblem,
      createdAt: isoTime,
      updatedAt: isoTime,
    }),
  },
  links: { type: 'array', items: object({ map: text, erpId: text, erpVersion: text, syncedAt: isoTime }) },
});

const id = { type: 'string', minLength: 1, maxLength: 100 } as const;

/**
 * Traceability for administrators: one document followed from Fieldstock to
 * the ERP (by its collection and id), or back from an ERP record (by map and
 * ERP id). Admin role only; read only.
 */
export function registerErpTraceRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { collection: string; id: string } }>(
    '/api/v1/admin/erp/trace/:collection/:id',
    {
      schema: {
        params: { type: 'object', additionalProperties: false, required: ['collection', 'id'], properties: { collection: { type: 'string', enum: COLLECTION_NAMES }, id } },
        response: { 200: traceSchema },
      },
    },
    async (request) => {
      requireRole(await authenticate(ctx.auth, request), ['admin']);
      const { collection, id: docId } = request.params;
      const trace = await traceDocument(ctx.store.db, collection, docId);
      if (!trace) throw notFound(`No ${collection} document ${docId} in Fieldstock.`);
      return trace;
    },
  );

  app.get<{ Params: { map: string; erpId: string } }>(
    '/api/v1/admin/erp/trace-erp/:map/:erpId',
    {
      schema: {
        params: { type: 'object', additionalProperties: false, required: ['map', 'erpId'], properties: { map: { type: 'string', pattern: OUTBOX_NAME.source }, erpId: id } },
        response: { 200: traceSchema },
      },
    },
    async (request) => {
      requireRole(await authenticate(ctx.auth, request), ['admin']);
      const { map, erpId } = request.params;
      const collection = ctx.erp?.maps.maps.find((m) => m.name === map)?.collection;
      if (!collection) throw notFound(`No ERP map named ${map} is configured.`);
      const localId = await localIdOf(ctx.store.db, map, erpId);
      if (!localId) throw notFound(`ERP record ${erpId} of map ${map} is not linked to a Fieldstock document (not synced yet, filtered out, or gone).`);
      const trace = await traceDocument(ctx.store.db, collection, localId);
      if (!trace) throw notFound(`ERP record ${erpId} of map ${map} is linked to ${collection} ${localId}, which no longer exists.`);
      return trace;
    },
  );
}
