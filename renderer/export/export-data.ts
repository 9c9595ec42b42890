/**
 * Builds the export files from what is on the device: one read each, not a
 * live query (an export is a snapshot of the moment it is asked for).
 */
import type { DeepReadonly } from 'rxdb';
import type { Receipt } from '../../shared/collections.js';
import type { FieldstockDatabase } from '../db/database.js';
import { flattenJournalLines, linkedErpJournalIds, type JournalDoc } from '../history/journal-lines.js';
import { journalCsv, type CodeLookups } from './journal-csv.js';
import { inPeriod, type Period } from './period.js';
import { receiptCsv, type ReceiptLookups } from './receipt-csv.js';

export interface ExportFile {
  content: string;
  /** Data rows in the file (the header not counted), for "12 lines exported". */
  rows: number;
}

async function codeLookups(db: FieldstockDatabase, productIds: readonly string[]): Promise<CodeLookups & { productUnits: Map<string, string> }> {
  const [warehouses, products] = await Promise.all([db.warehouses.find().exec(), db.products.findByIds([...new Set(productIds)]).exec()]);
  return {
    warehouseCodes: new Map(warehouses.map((w) => [w.id, w.code])),
    productNumbers: new Map([...products.values()].map((p) => [p.id, p.number])),
    productUnits: new Map([...products.values()].map((p) => [p.id, p.unit])),
  };
}

/** Every posted journal line in one warehouse whose occurredAt falls in the period. */
export async function exportJournals(db: FieldstockDatabase, warehouseId: string, period: Period): Promise<ExportFile> {
  const docs = await db.journals.find({ selector: { $or: [{ warehouseId }, { toWarehouseId: warehouseId }] } }).exec();
  const journals: JournalDoc[] = docs.map((d) => d.toJSON());
  const erpDocs = await db.journals.findByIds(linkedErpJournalIds(journals)).exec();
  const erpJournals = new Map([...erpDocs].map(([id, doc]) => [id, doc.toJSON()] as const));
  const lines = flattenJournalLines(journals, { warehouseId }, erpJournals).filter((l) => inPeriod(l.occurredAt, period));
  const lookups = await codeLookups(db, lines.map((l) => l.line.productId));
  return { content: journalCsv(lines, lookups), rows: lines.length };
}

async function receiptLookups(db: FieldstockDatabase, receipts: readonly DeepReadonly<Receipt>[]): Promise<ReceiptLookups> {
  const [codes, purchaseOrders] = await Promise.all([
    codeLookups(db, receipts.flatMap((r) => r.lines.map((l) => l.productId))),
    db.purchaseOrders.findByIds([...new Set(receipts.map((r) => r.purchaseOrderId))]).exec(),
  ]);
  return { ...codes, purchaseOrders: new Map([...purchaseOrders].map(([id, doc]) => [id, doc.toJSON()] as const)) };
}

/** Every receipt of one warehouse (posted, waiting or rejected) received in the period. */
export async function exportReceipts(db: FieldstockDatabase, warehouseId: string, period: Period): Promise<ExportFile> {
  const docs = await db.receipts.find({ selector: { warehouseId } }).exec();
  const receipts = docs.map((d) => d.toJSON()).filter((r) => inPeriod(r.receivedAt, period));
  return { content: receiptCsv(receipts, await receiptLookups(db, receipts)), rows: receipts.reduce((n, r) => n + r.lines.length, 0) };
}

/** One receipt, from its printable view. */
export async function exportReceipt(db: FieldstockDatabase, receipt: DeepReadonly<Receipt>): Promise<ExportFile> {
  return { content: receiptCsv([receipt], await receiptLookups(db, [receipt])), rows: receipt.lines.length };
}
