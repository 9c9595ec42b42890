import type { FromSchema } from 'json-schema-to-ts';
import { ERP_LINE_STATUSES, type ErpLineStatus, type PostingJournalStatus } from '../ledger/erp-status.js';
import { codeField, errorField, idField, quantityField, timestampField } from './common.js';

/** Most lines one journal document holds; ERP journals are split at (at most) this count. */
export const JOURNAL_MAX_LINES = 1000;

/**
 * Two kinds of journal share the collection, so the app shows the whole way
 * from a field transaction to the ERP without an extra collection:
 *
 * - `posting`: what one source document moved (written when it is posted);
 *   `status` posted → aggregated, each line linked to the ERP line carrying it.
 * - `erp`: posting lines summed per (journal name, warehouse[s], product),
 *   as they are (or would be) sent to the ERP; each line walks the ERP status
 *   lifecycle (shared/ledger/erp-status.ts), `status` summarizes the lines.
 *
 * One flat schema (RxDB wants one per collection); `PostingJournal` and
 * `ErpJournal` below are the two shapes the backend writes.
 */
export const journalSchema = {
  title: 'journals',
  description: 'An inventory journal: what one source document posted, or the aggregated lines sent to the ERP, with their status.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    kind: { type: 'string', enum: ['posting', 'erp'] },
    journalName: codeField,
    /** Posting journals: posted | aggregated. ERP journals: the summary of their line statuses. */
    status: { type: 'string', enum: ['posted', 'aggregated', 'created', 'do-not-sync', 'sent', 'create-error', 'created-in-erp', 'post-error'] },
    sourceCollection: { type: 'string', enum: ['inventoryTransactions', 'receipts'] },
    sourceId: idField,
    warehouseId: idField,
    toWarehouseId: idField,
    postedAt: timestampField,
    occurredAt: timestampField,
    /** ERP journals: when aggregation made it, and when a line status last moved. */
    createdAt: timestampField,
    updatedAt: timestampField,
    lines: {
      type: 'array',
      maxItems: JOURNAL_MAX_LINES,
      items: {
        type: 'object',
        properties: {
          lineNumber: { type: 'integer', minimum: 1 },
          warehouseId: idField,
          productId: idField,
          /** Posting: the change this line made to on hand (0 when a later count superseded it). ERP: the sum of its posting lines. */
          quantity: quantityField,
          /** Posting: what the source asked for, before count semantics. */
          requestedQuantity: quantityField,
          /** Posting: the ERP line that carries this line, once aggregated. */
          erpJournal: {
            type: 'object',
            properties: { id: idField, lineNumber: { type: 'integer', minimum: 1 } },
            required: ['id', 'lineNumber'],
            additionalProperties: false,
          },
          /** ERP: how many posting lines were summed into this line. */
          sourceLineCount: { type: 'integer', minimum: 1 },
          status: { type: 'string', enum: ERP_LINE_STATUSES },
          /** ERP: the ERP's own journal and line ids, once it created them. */
          erpJournalId: { type: 'string', maxLength: 200, minLength: 1 },
          erpLineId: { type: 'string', maxLength: 200, minLength: 1 },
          error: errorField,
        },
        required: ['lineNumber', 'warehouseId', 'productId', 'quantity'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'kind', 'journalName', 'status', 'warehouseId', 'lines'],
  indexes: ['warehouseId'],
  additionalProperties: false,
} as const;

export type Journal = FromSchema<typeof journalSchema>;
export type JournalLine = Journal['lines'][number];

export interface PostingJournalLine {
  lineNumber: number;
  warehouseId: string;
  productId: string;
  quantity: number;
  requestedQuantity: number;
  erpJournal?: { id: string; lineNumber: number };
}

export interface PostingJournal {
  id: string;
  kind: 'posting';
  journalName: string;
  status: PostingJournalStatus;
  sourceCollection: 'inventoryTransactions' | 'receipts';
  sourceId: string;
  warehouseId: string;
  toWarehouseId?: string;
  postedAt: string;
  occurredAt: string;
  lines: PostingJournalLine[];
}

export interface ErpJournalLine {
  lineNumber: number;
  warehouseId: string;
  productId: string;
  quantity: number;
  sourceLineCount: number;
  status: ErpLineStatus;
  erpJournalId?: string;
  erpLineId?: string;
  error?: { code: string; message: string };
}

/** The summary `status` is the line summary (summarizeErpLineStatuses); `posted` reads as "every line posted". */
export interface ErpJournal {
  id: string;
  kind: 'erp';
  journalName: string;
  status: ErpLineStatus;
  /** For a transfer journal: the warehouse it leaves, `toWarehouseId` the one it enters. */
  warehouseId: string;
  toWarehouseId?: string;
  createdAt: string;
  updatedAt: string;
  lines: ErpJournalLine[];
}

// Both shapes must be documents of the collection: a type error here means they drifted apart.
type Holds<T extends true> = T;
export type PostingJournalFitsSchema = Holds<PostingJournal extends Journal ? true : false>;
export type ErpJournalFitsSchema = Holds<ErpJournal extends Journal ? true : false>;
