import type { InventoryTransaction, PurchaseOrder, Receipt } from '../../shared/collections.js';
import type { PostingJournal } from '../../shared/schemas/journals.js';
import { toQuantity, type Units } from '../../shared/decimal.js';
import type { SessionUser } from '../../shared/wire.js';
import { timeOrderedId } from '../store/ordered-id.js';
import type { Writer } from '../store/write.js';
import { loadReceiptReferences, NO_RECEIPT_REFERENCES, type ReceiptReferences } from './receipt-references.js';
import { applyReceipt, evaluateReceipt, type ReceiptPolicy } from './receipts.js';
import { checkClientOwnedFields, type Rejection } from './rejection.js';
import { LedgerState, type LineEffect } from './state.js';
import { applyEffects, evaluateTransaction } from './transactions.js';

export type PostingCollection = 'inventoryTransactions' | 'receipts';

export interface PostedOutcome {
  id: string;
  status: 'posted' | 'rejected';
  /** The master state stored for the source document. */
  document: Record<string, unknown>;
  error?: Rejection;
}

/**
 * Told, inside the posting transaction, of each receipt that posted (not of
 * rejected ones): the ERP wiring queues the receipt for the ERP here, so the
 * posting and its outbox item commit together. `po` is the order as this
 * receipt left it; `received` is what the receipt added per PO line, in the
 * line's purchase unit. The ledger knows nothing of any ERP.
 */
export type ReceiptPostedHook = (writer: Writer, receipt: Receipt, po: PurchaseOrder, received: ReadonlyMap<number, Units>) => Promise<void>;

export type LedgerConfig = ReceiptPolicy & { onReceiptPosted?: ReceiptPostedHook | undefined };

/**
 * Posts new source documents (first time the server sees them) in one batch.
 *
 * Exactly once: the caller holds the write lock and has checked that these ids
 * have no master state; the `postings` primary key makes a second posting of
 * the same id fail the whole transaction instead of counting it twice.
 */
export async function postNewDocuments(
  writer: Writer,
  collection: PostingCollection,
  docs: Record<string, unknown>[],
  user: SessionUser,
  config: LedgerConfig,
): Promise<PostedOutcome[]> {
  const state = new LedgerState(writer);
  const productIds: string[] = [];
  const warehouseIds: string[] = [];
  const purchaseOrderIds: string[] = [];
  for (const d of docs) {
    if (typeof d.warehouseId === 'string') warehouseIds.push(d.warehouseId);
    if (typeof d.toWarehouseId === 'string') warehouseIds.push(d.toWarehouseId);
    if (typeof d.productId === 'string') productIds.push(d.productId);
    if (typeof d.purchaseOrderId === 'string') purchaseOrderIds.push(d.purchaseOrderId);
    if (Array.isArray(d.lines)) for (const l of d.lines as { productId?: unknown }[]) if (typeof l.productId === 'string') productIds.push(l.productId);
  }
  await state.load({ productIds, warehouseIds, purchaseOrderIds, sources: docs });
  const refs = collection === 'receipts' ? await loadReceiptReferences(writer) : NO_RECEIPT_REFERENCES;

  const outcomes: PostedOutcome[] = [];
  for (const doc of docs) {
    const id = String(doc.id);
    const rejected = checkClientOwnedFields(doc) ?? (await evaluateAndApply(state, writer, collection, doc, user, config, refs));
    if (rejected && 'code' in rejected) {
      // What only the server sets is never stored from a device, not even on a rejected document.
      const { journalId: _j, erpError: _e, ...rest } = doc;
      outcomes.push({ id, status: 'rejected', error: rejected, document: { ...rest, status: 'rejected', error: rejected, _deleted: doc._deleted === true } });
    } else {
      const journalId = rejected?.journalId ?? '';
      outcomes.push({ id, status: 'posted', document: { ...doc, status: 'posted', journalId, _deleted: false } });
    }
  }
  await writer.insert(
    'postings',
    outcomes.map((o) => ({
      source_collection: collection,
      source_id: o.id,
      journal_id: o.status === 'posted' ? String(o.document.journalId) : null,
      outcome: o.status,
      posted_at: writer.now,
    })),
  );
  await state.flush();
  return outcomes;
}

async function evaluateAndApply(
  state: LedgerState,
  writer: Writer,
  collection: PostingCollection,
  doc: Record<string, unknown>,
  user: SessionUser,
  config: LedgerConfig,
  refs: ReceiptReferences,
): Promise<Rejection | { journalId: string }> {
  if (collection === 'inventoryTransactions') {
    const tx = doc as unknown as InventoryTransaction;
    const evaluated = await evaluateTransaction(tx, user, state, writer.now);
    if ('code' in evaluated) return evaluated;
    applyEffects(state, evaluated);
    return { journalId: writeJournal(state, writer, tx.type, collection, tx.id, tx.warehouseId, tx.toWarehouseId, evaluated.occurredAt, evaluated.effects) };
  }
  const receipt = doc as unknown as Receipt;
  const evaluated = evaluateReceipt(receipt, user, state, refs, config, writer.now);
  if ('code' in evaluated) return evaluated;
  const po = state.purchaseOrders.get(receipt.purchaseOrderId);
  if (po) applyReceipt(state, po, evaluated);
  const after = state.purchaseOrders.get(receipt.purchaseOrderId);
  if (config.onReceiptPosted && after) await config.onReceiptPosted(writer, receipt, after, evaluated.received);
  return {
    journalId: writeJournal(state, writer, 'receipt', collection, receipt.id, receipt.warehouseId, undefined, evaluated.occurredAt, evaluated.effects),
  };
}

function writeJournal(
  state: LedgerState,
  writer: Writer,
  journalName: string,
  sourceCollection: PostingCollection,
  sourceId: string,
  warehouseId: string,
  toWarehouseId: string | undefined,
  occurredAt: string,
  effects: LineEffect[],
): string {
  const id = timeOrderedId();
  state.addJournalLines(id, sourceId, occurredAt, effects, { name: journalName, warehouseId, toWarehouseId: toWarehouseId ?? null });
  // Aggregation (server/ledger/aggregation/) later sets status 'aggregated' and links each line to its ERP line.
  const journal: PostingJournal = {
    id,
    kind: 'posting',
    journalName,
    status: 'posted',
    sourceCollection,
    sourceId,
    warehouseId,
    ...(toWarehouseId ? { toWarehouseId } : {}),
    postedAt: new Date(writer.now).toISOString(),
    occurredAt,
    lines: effects.map((e, i) => ({
      lineNumber: i + 1,
      warehouseId: e.warehouseId,
      productId: e.productId,
      quantity: toQuantity(e.applied),
      requestedQuantity: toQuantity(e.requested),
    })),
  };
  writer.put({
    collection: 'journals',
    id,
    data: { ...journal, _deleted: false },
    scopeA: warehouseId,
    scopeB: toWarehouseId ?? null,
  });
  return id;
}
