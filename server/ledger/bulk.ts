import type { BulkAdjustmentEntry, BulkAdjustmentResult, SessionUser } from '../../shared/wire.js';
import type { WriteHooks } from '../store/write.js';
import { loadDocs, writeTransaction } from '../store/write.js';
import type { ChangeNotifier } from '../store/notifier.js';
import type { Store } from '../store/open.js';
import type { CollectionPolicy } from '../replication/registry.js';
import { describeErrors } from '../replication/registry.js';
import { inScope } from '../replication/scope.js';
import { idsByNaturalKey } from './lookup.js';
import { postNewDocuments, type LedgerConfig } from './post.js';

export interface BulkDeps {
  store: Store;
  notifier: ChangeNotifier;
  ledger: LedgerConfig;
  transactions: CollectionPolicy;
  hooks?: WriteHooks;
}

/**
 * The external channel for adjustments: each entry becomes an
 * inventoryTransactions document with the entry's id, posted once. A
 * resubmitted id answers "duplicate" and posts nothing.
 */
export async function postBulkAdjustments(deps: BulkDeps, user: SessionUser, entries: BulkAdjustmentEntry[]): Promise<BulkAdjustmentResult[]> {
  const warehouseIds = await idsByNaturalKey(deps.store.db, 'warehouses', entries.map((e) => e.warehouseCode));
  const productIds = await idsByNaturalKey(deps.store.db, 'products', entries.map((e) => e.productNumber));
  const results: BulkAdjustmentResult[] = entries.map((e) => ({ id: e.id, status: 'rejected' }));
  const candidates: { index: number; doc: Record<string, unknown> }[] = [];
  const nowIso = new Date().toISOString();
  entries.forEach((e, index) => {
    const warehouseId = warehouseIds.get(e.warehouseCode);
    const productId = productIds.get(e.productNumber);
    const result = results[index] as BulkAdjustmentResult;
    if (!warehouseId) return Object.assign(result, { code: 'unknown-warehouse', message: `No warehouse has code ${e.warehouseCode}.` });
    if (!productId) return Object.assign(result, { code: 'unknown-product', message: `No product has number ${e.productNumber}.` });
    if (!inScope(user, warehouseId)) return Object.assign(result, { code: 'warehouse-not-in-scope', message: `${e.warehouseCode} is not in your warehouses.` });
    const doc: Record<string, unknown> = {
      id: e.id,
      type: 'adjustment',
      warehouseId,
      productId,
      quantity: e.quantity,
      ...(e.reasonCode !== undefined ? { reasonCode: e.reasonCode } : {}),
      ...(e.externalReference !== undefined ? { externalReference: e.externalReference } : {}),
      occurredAt: e.occurredAt ?? nowIso,
      status: 'pending',
      _deleted: false,
    };
    if (!deps.transactions.validate(doc)) {
      return Object.assign(result, { code: 'invalid-document', message: describeErrors(deps.transactions.validate) });
    }
    candidates.push({ index, doc });
  });

  await writeTransaction(
    deps.store,
    deps.notifier,
    async (writer) => {
      const existing = await loadDocs(writer.trx, 'inventoryTransactions', candidates.map((c) => c.doc.id as string));
      const seen = new Set<string>();
      const fresh: typeof candidates = [];
      for (const c of candidates) {
        const id = c.doc.id as string;
        if (existing.has(id) || seen.has(id)) {
          results[c.index] = { id, status: 'duplicate' };
          continue;
        }
        seen.add(id);
        fresh.push(c);
      }
      if (fresh.length === 0) return;
      const outcomes = await postNewDocuments(writer, 'inventoryTransactions', fresh.map((c) => c.doc), user, deps.ledger);
      outcomes.forEach((o, i) => {
        const c = fresh[i];
        if (!c) return;
        const doc = o.document;
        writer.put({
          collection: 'inventoryTransactions',
          id: o.id,
          data: doc,
          scopeA: typeof doc.warehouseId === 'string' ? doc.warehouseId : null,
          scopeB: null,
          ownerId: user.id,
        });
        results[c.index] = o.error ? { id: o.id, status: 'rejected', code: o.error.code, message: o.error.message } : { id: o.id, status: 'posted' };
      });
    },
    deps.hooks,
  );
  return results;
}
