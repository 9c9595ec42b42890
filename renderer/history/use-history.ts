import { useMemo } from 'react';
import type { DeepReadonly } from 'rxdb';
import { map, of } from 'rxjs';
import type { InventoryLevel } from '../../shared/collections.js';
import { units, ZERO_UNITS, type Units } from '../../shared/decimal.js';
import { inventoryId } from '../../shared/schemas/inventory.js';
import type { FieldstockDatabase } from '../db/database.js';
import { plain$, useLiveQuery } from '../db/use-live-query.js';
import { flattenJournalLines, linkedErpJournalIds, type FlatJournalLine, type JournalDoc } from './journal-lines.js';
import { walkBack, type Step } from './on-hand-over-time.js';

export type HistoryStep = Step<FlatJournalLine>;

export interface ProductHistory {
  /** The server's on hand now (0 when the device has no level for the product). */
  current: Units;
  /** Newest first, each with the level before and after it. */
  steps: HistoryStep[];
}

/**
 * The journals that touch one warehouse: those it leaves (warehouseId) and the
 * transfers it receives (toWarehouseId). Tagged with the warehouse they answer
 * for, so a slow answer for the previous warehouse is never shown as this one.
 */
export function useWarehouseJournals(db: FieldstockDatabase, warehouseId: string | null): readonly JournalDoc[] | undefined {
  const answer = useLiveQuery<{ warehouseId: string | null; journals: JournalDoc[] }>(
    () =>
      warehouseId === null
        ? of({ warehouseId, journals: [] })
        : plain$(db.journals.find({ selector: { $or: [{ warehouseId }, { toWarehouseId: warehouseId }] } })).pipe(map((journals) => ({ warehouseId, journals }))),
    [db, warehouseId],
  );
  return answer && answer.warehouseId === warehouseId ? answer.journals : undefined;
}

/** The ERP journals with the given ids that are on the device, by id; undefined until the answer for these ids is in. */
export function useErpJournals(db: FieldstockDatabase, ids: readonly string[]): ReadonlyMap<string, JournalDoc> | undefined {
  const key = ids.join('\n');
  const answer = useLiveQuery<{ key: string; journals: ReadonlyMap<string, JournalDoc> }>(
    () =>
      key === ''
        ? of({ key, journals: new Map() })
        : db.journals.findByIds(key.split('\n')).$.pipe(map((found) => ({ key, journals: new Map([...found].map(([id, doc]) => [id, doc.toJSON()] as const)) }))),
    [db, key],
  );
  return answer && answer.key === key ? answer.journals : undefined;
}

/** The server's level of one product in one warehouse, null when there is none; undefined while loading. */
export function useInventoryLevel(db: FieldstockDatabase, warehouseId: string | null, productId: string | null): DeepReadonly<InventoryLevel> | null | undefined {
  const id = warehouseId && productId ? inventoryId(warehouseId, productId) : null;
  const answer = useLiveQuery<{ id: string | null; level: DeepReadonly<InventoryLevel> | null }>(
    () => (id === null ? of({ id, level: null }) : db.inventory.findOne(id).$.pipe(map((doc) => ({ id, level: doc ? doc.toJSON() : null })))),
    [db, id],
  );
  return answer && answer.id === id ? answer.level : undefined;
}

/** One product's posted movements in one warehouse with on hand before and after each, live. */
export function useProductHistory(db: FieldstockDatabase, warehouseId: string | null, productId: string | null): ProductHistory | undefined {
  const journals = useWarehouseJournals(db, warehouseId);
  const level = useInventoryLevel(db, warehouseId, productId);
  const touching = useMemo(
    () => (journals && productId ? journals.filter((j) => j.lines.some((l) => l.productId === productId && l.warehouseId === warehouseId)) : []),
    [journals, productId, warehouseId],
  );
  const erpIds = useMemo(() => linkedErpJournalIds(touching), [touching]);
  const erpJournals = useErpJournals(db, erpIds);
  return useMemo(() => {
    if (!journals || level === undefined || !erpJournals || warehouseId === null || productId === null) return undefined;
    const current = level ? units(level.onHand) : ZERO_UNITS;
    const lines = flattenJournalLines(touching, { warehouseId, productId }, erpJournals);
    return { current, steps: walkBack(current, lines) };
  }, [journals, level, erpJournals, touching, warehouseId, productId]);
}
