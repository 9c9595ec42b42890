/**
 * One levels run: for each externally maintained warehouse, the ERP's on
 * hand per product becomes Fieldstock's, plus what Fieldstock posted that the
 * ERP has not applied yet (so that is not undone, nor counted twice):
 *
 *   delta = (ERP level + in flight) - Fieldstock on hand
 *
 * and every non-zero delta is posted as one erp-sync journal (post-sync.ts).
 *
 * The ERP is read before our transaction (an ERP call never holds the write
 * lock every push waits for), so the two reads are minutes apart in the
 * worst case. What can change in between is what the journal delivery does
 * in the ERP, and that is closed like this (in-flight.ts has the rules):
 *   1. the ERP journals that may be moving at this warehouse are listed first;
 *   2. the ERP is asked how far it applied them, then for its on hand, then
 *      again how far it applied them: if the two answers differ, a delivery
 *      completed during the on-hand read and we cannot tell on which side of
 *      it the read fell, so the warehouse is read again (a few times, then
 *      left to the next run);
 *   3. in our transaction (under the write lock, with on hand read there too)
 *      in flight is computed from the ERP's answer for those journals, and
 *      from our statuses only where they prove the ERP cannot have applied a
 *      line; a line that moved further meanwhile makes the warehouse wait.
 * Receipts that travel through the ERP outbox are bracketed the same way
 * (their ERP state read with the journals'). So a line applied in the ERP is
 * never also counted in flight, and one the ERP has not applied is never
 * left out.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import { addUnits, subtractUnits, toQuantity, type Units } from '../../../shared/decimal.js';
import type { LedgerConfig } from '../../ledger/post.js';
import type { ChangeNotifier } from '../../store/notifier.js';
import type { Store } from '../../store/open.js';
import type { Database } from '../../store/tables.js';
import { writeTransaction } from '../../store/write.js';
import type { ErpConnector } from '../connector.js';
import { isErpError } from '../errors.js';
import type { MapSet } from '../maps/types.js';
import type { SyncLog } from '../sync/deps.js';
import { inFlight, journalsToCheck, receiptsToCheck } from './in-flight.js';
import { postCorrections, correctionId, type LevelCorrection } from './post-sync.js';
import { levelsScope, type LinkedRecord } from './scope.js';
import type { AppliedState, ErpLevelSource } from './source.js';
import type { LevelPosting, LevelsRun, WarehouseLevels } from '../../../shared/erp/levels-wire.js';

export interface LevelsDeps {
  store: Store;
  notifier: ChangeNotifier | undefined;
  connector: ErpConnector;
  maps: MapSet;
  source: ErpLevelSource;
  ledger: LedgerConfig;
  log: SyncLog;
}

export interface LevelsOptions {
  /** How far back a status change still counts as "may have happened during the read" (clocks of several backend instances differ). */
  skewMs: number;
  /** Reads of one warehouse before it is left to the next run. */
  attempts: number;
}

export const LEVELS_DEFAULTS: LevelsOptions = { skewMs: 60_000, attempts: 3 };

export async function runLevels(deps: LevelsDeps, options: LevelsOptions = LEVELS_DEFAULTS): Promise<LevelsRun> {
  const runId = randomUUID();
  const startedAt = new Date().toISOString();
  const done = (warehouses: WarehouseLevels[], note?: string): LevelsRun => ({
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    journals: warehouses.reduce((n, w) => n + w.postings.filter((p) => p.journalId).length, 0),
    warehouses,
    ...(note ? { note } : {}),
  });
  const scope = await levelsScope(deps.store.db, deps.connector, deps.maps);
  if (!scope.ok) return done([], scope.note);
  if (scope.scope.warehouses.length === 0) return done([], 'No externally maintained warehouse is linked to an ERP warehouse.');
  const results: WarehouseLevels[] = [];
  for (const warehouse of scope.scope.warehouses) {
    const result: WarehouseLevels = { warehouseId: warehouse.localId, warehouseCode: warehouse.key, products: 0, postings: [] };
    try {
      await levelWarehouse(deps, options, runId, warehouse, scope.scope.products, result);
    } catch (error) {
      result.skipped = { code: isErpError(error) ? error.code : 'internal-error', message: error instanceof Error ? error.message : String(error) };
      deps.log.error({ warehouse: warehouse.key, err: error }, `ERP levels: ${warehouse.key} failed`);
    }
    results.push(result);
  }
  return done(results);
}

async function levelWarehouse(deps: LevelsDeps, options: LevelsOptions, runId: string, warehouse: LinkedRecord, products: readonly LinkedRecord[], result: WarehouseLevels): Promise<void> {
  const byErpId = new Map(products.map((p) => [p.erpId, p]));
  let reason = '';
  for (let attempt = 1; attempt <= options.attempts; attempt += 1) {
    const since = Date.now() - options.skewMs;
    const { receiptsMap } = deps.source;
    const journals = await journalsToCheck(deps.store.db, warehouse.localId, since, receiptsMap);
    const receipts = await receiptsToCheck(deps.store.db, warehouse.localId, since, receiptsMap);
    const before = [await deps.source.applied(journals), await deps.source.receiptsApplied(receipts)] as const;
    const erpLevels = await deps.source.onHand(warehouse.erpId, products.map((p) => p.erpId));
    const after = [await deps.source.applied(journals), await deps.source.receiptsApplied(receipts)] as const;
    if (!sameStates(before[0], after[0]) || !sameStates(before[1], after[1])) {
      reason = 'the ERP completed a delivery of ours while its on hand was read';
      continue;
    }
    result.products = erpLevels.size;
    const outcome = await writeTransaction(deps.store, deps.notifier, async (writer) => {
      const checked = { journals: new Set(journals), journalStates: after[0], receipts: new Set(receipts), receiptStates: after[1] };
      const flight = await inFlight(writer.trx, warehouse.localId, since, receiptsMap, checked);
      if (!flight.ok) return flight.ambiguous;
      const levels = [...erpLevels].flatMap(([erpId, erpLevel]) => {
        const p = byErpId.get(erpId);
        return p ? [{ product: p, erpLevel, inFlight: flight.byProduct.get(p.localId) ?? (0 as Units) }] : [];
      });
      const onHand = await readOnHand(writer.trx, warehouse.localId, levels.map((l) => l.product.localId));
      const planned = levels
        .map((l) => {
          const before = onHand.get(l.product.localId) ?? (0 as Units);
          return { ...l, before, delta: subtractUnits(addUnits(l.erpLevel, l.inFlight), before) };
        })
        .filter((l) => l.delta !== 0);
      const corrections: LevelCorrection[] = planned.map((l) => ({ warehouseId: warehouse.localId, warehouseCode: warehouse.key, productId: l.product.localId, productNumber: l.product.key, delta: l.delta }));
      const posted = await postCorrections(writer, runId, corrections, deps.ledger);
      return planned.map((l): LevelPosting => {
        const transactionId = correctionId(runId, warehouse.localId, l.product.localId);
        const o = posted.get(transactionId);
        return {
          productId: l.product.localId,
          productNumber: l.product.key,
          erpLevel: toQuantity(l.erpLevel),
          inFlight: toQuantity(l.inFlight),
          onHandBefore: toQuantity(l.before),
          delta: toQuantity(l.delta),
          transactionId,
          ...(o?.status === 'posted' && typeof o.document.journalId === 'string' ? { journalId: o.document.journalId } : {}),
          ...(o?.error ? { error: o.error } : {}),
        };
      });
    });
    if (typeof outcome === 'string') {
      reason = outcome;
      continue;
    }
    result.postings = outcome;
    const refused = outcome.filter((p) => p.error);
    if (refused.length > 0) deps.log.warn({ warehouse: warehouse.key, runId, refused: refused.map((p) => ({ product: p.productNumber, delta: p.delta, ...p.error })) }, `ERP levels: the ledger refused ${refused.length} corrections at ${warehouse.key}`);
    if (outcome.length > 0) deps.log.info({ warehouse: warehouse.key, runId, postings: outcome.length }, `ERP levels: ${warehouse.key} set to the ERP's on hand (${outcome.length} products)`);
    return;
  }
  result.skipped = { code: 'erp-levels-busy', message: `Left for the next run after ${options.attempts} reads: ${reason}.` };
}

async function readOnHand(trx: Transaction<Database>, warehouseId: string, productIds: readonly string[]): Promise<Map<string, Units>> {
  const result = new Map<string, Units>();
  for (let i = 0; i < productIds.length; i += 500) {
    const rows = await trx.selectFrom('onhand').select(['product_id', 'on_hand']).where('warehouse_id', '=', warehouseId).where('product_id', 'in', productIds.slice(i, i + 500)).execute();
    for (const r of rows) result.set(r.product_id, Number(r.on_hand) as Units);
  }
  return result;
}

function sameStates(a: ReadonlyMap<string, AppliedState>, b: ReadonlyMap<string, AppliedState>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
