/**
 * What the exactly-once tests compare: expected on-hand levels computed in
 * integer units from what clients pushed, and what the store really holds
 * (postings, journal lines, journal documents, transaction states, on hand).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../server/store/tables.js';
import { addUnits, parseQuantity, type Units } from '../../shared/decimal.js';
import { httpRequest } from './fault-proxy.js';

export interface PushedAdjustment {
  id: string;
  warehouseId: string;
  productId: string;
  quantity: number;
}

export const levelKey = (warehouseId: string, productId: string): string => `${warehouseId}~${productId}`;

/** A wire quantity as integer units; throws on anything that is not an exact 4-decimal quantity. */
export function unitsOf(quantity: unknown): Units {
  const parsed = parseQuantity(quantity);
  if (!parsed.ok) throw new RangeError(`not a quantity: ${String(quantity)} (${parsed.message})`);
  return parsed.units;
}

/** A random non-zero quantity with up to 4 decimals, |q| <= maxUnits / 10^4, built from integer units. */
export function randomQuantity(random: () => number, maxUnits = 50_000): number {
  const magnitude = 1 + Math.floor(random() * maxUnits);
  const units = random() < 0.5 ? -magnitude : magnitude;
  return units / 10_000;
}

/** opening + Σ quantities per (warehouse, product), in units; keys without movements keep their opening. */
export function expectedLevels(opening: ReadonlyMap<string, Units>, posted: Iterable<PushedAdjustment>): Map<string, Units> {
  const levels = new Map(opening);
  for (const a of posted) {
    const key = levelKey(a.warehouseId, a.productId);
    levels.set(key, addUnits(levels.get(key) ?? (0 as Units), unitsOf(a.quantity)));
  }
  return levels;
}

export interface StoreAudit {
  /** postings rows per source id. */
  postings: Map<string, number>;
  /** journal lines per source id, with the sum of what they moved. */
  journalLines: Map<string, { count: number; total: Units }>;
  /** journal documents per sourceId (all journals in the store). */
  journalsBySource: Map<string, number>;
  /** inventoryTransactions master status per id (only the ids asked for). */
  transactionStatus: Map<string, string>;
  /** The on-hand projection table, per levelKey. */
  onHand: Map<string, Units>;
  /** The inventory documents' onHand, per levelKey. */
  inventoryDocs: Map<string, Units>;
}

/** Reads what the store holds, straight from its tables. */
export async function auditStore(db: Kysely<Database>, ids: readonly string[]): Promise<StoreAudit> {
  const audit: StoreAudit = {
    postings: new Map(),
    journalLines: new Map(),
    journalsBySource: new Map(),
    transactionStatus: new Map(),
    onHand: new Map(),
    inventoryDocs: new Map(),
  };
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const postings = await db.selectFrom('postings').select(['source_id']).where('source_collection', '=', 'inventoryTransactions').where('source_id', 'in', chunk).execute();
    for (const p of postings) audit.postings.set(p.source_id, (audit.postings.get(p.source_id) ?? 0) + 1);
    const lines = await db.selectFrom('journal_lines').select(['source_id', 'quantity']).where('source_id', 'in', chunk).execute();
    for (const l of lines) {
      const prev = audit.journalLines.get(l.source_id) ?? { count: 0, total: 0 as Units };
      audit.journalLines.set(l.source_id, { count: prev.count + 1, total: addUnits(prev.total, Number(l.quantity) as Units) });
    }
    const docs = await db.selectFrom('docs').select(['id', 'data']).where('collection', '=', 'inventoryTransactions').where('id', 'in', chunk).execute();
    for (const d of docs) audit.transactionStatus.set(d.id, String((JSON.parse(d.data) as { status?: unknown }).status));
  }
  const journals = await db.selectFrom('docs').select(['data']).where('collection', '=', 'journals').execute();
  for (const j of journals) {
    const journal = JSON.parse(j.data) as { kind?: unknown; sourceId?: unknown };
    // ERP journals (aggregation) have no source document.
    if (journal.kind === 'erp') continue;
    const sourceId = String(journal.sourceId);
    audit.journalsBySource.set(sourceId, (audit.journalsBySource.get(sourceId) ?? 0) + 1);
  }
  for (const r of await db.selectFrom('onhand').select(['warehouse_id', 'product_id', 'on_hand']).execute()) {
    audit.onHand.set(levelKey(r.warehouse_id, r.product_id), Number(r.on_hand) as Units);
  }
  const inventory = await db.selectFrom('docs').select(['data']).where('collection', '=', 'inventory').execute();
  for (const row of inventory) {
    const d = JSON.parse(row.data) as { warehouseId: string; productId: string; onHand: number };
    audit.inventoryDocs.set(levelKey(d.warehouseId, d.productId), unitsOf(d.onHand));
  }
  return audit;
}

/** Source ids that have more than one journal document: must always be empty. */
export function postedTwice(audit: StoreAudit): string[] {
  return [...audit.journalsBySource].filter(([, n]) => n > 1).map(([id]) => id);
}

/** Pulls every page of a collection over fresh connections (survives a backend restart on the same port). */
export async function pullAllFresh<D>(baseUrl: string, token: string, collection: string, limit = 1000): Promise<D[]> {
  const docs: D[] = [];
  let checkpoint: unknown = null;
  for (;;) {
    const qs = new URLSearchParams({ limit: String(limit) });
    if (checkpoint) qs.set('checkpoint', JSON.stringify(checkpoint));
    const r = await httpRequest<{ documents: D[]; checkpoint: unknown }>(baseUrl, { method: 'GET', path: `/api/v1/replication/${collection}/pull?${qs.toString()}`, token });
    if (r.status !== 200) throw new Error(`pull ${collection}: ${r.status} ${JSON.stringify(r.body)}`);
    docs.push(...r.body.documents);
    checkpoint = r.body.checkpoint;
    if (r.body.documents.length < limit) return docs;
  }
}

/** The inventory collection as levels per levelKey, as the admin sees it over HTTP. */
export async function inventoryLevels(baseUrl: string, adminToken: string): Promise<Map<string, Units>> {
  const docs = await pullAllFresh<{ warehouseId: string; productId: string; onHand: number }>(baseUrl, adminToken, 'inventory');
  return new Map(docs.map((d) => [levelKey(d.warehouseId, d.productId), unitsOf(d.onHand)]));
}

/** Levels that differ between two maps, for readable failure messages (only the keys in `expected`). */
export function levelDifferences(expected: ReadonlyMap<string, Units>, actual: ReadonlyMap<string, Units>, keys: Iterable<string>): string[] {
  const out: string[] = [];
  for (const k of keys) {
    if (expected.get(k) !== actual.get(k)) out.push(`${k}: expected ${String(expected.get(k))} units, got ${String(actual.get(k))}`);
  }
  return out;
}
