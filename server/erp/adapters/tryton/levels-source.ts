/**
 * Tryton's side of the levels run. Tryton keeps no level records: on hand is
 * product.product's `quantity` function field read with the warehouse as the
 * location (a single location includes its children: storage, input,
 * output), which counts done moves dated up to today. What it applied of our
 * journals follows from the internal shipments the journal sink made: each
 * carries our reference (ERP journal id, role, line numbers), and a line is
 * applied once all of its shipments are done.
 */
import { parseQuantity, type Units } from '../../../../shared/decimal.js';
import { SHIPMENT_MODEL } from './journals/ids.js';
import { journalPrefix, parseShipmentReference } from './journals/references.js';
import { RECEIPTS_MAP, shipmentReference as receiptShipmentReference } from './receipts/payload.js';
import type { TrytonRpc } from './rpc.js';
import { ErpError } from '../../errors.js';
import type { ErpValue } from '../../values.js';
import { lineKey, type AppliedState, type ErpLevelSource } from '../../levels/source.js';

const CHUNK = 200;

export class TrytonLevelSource implements ErpLevelSource {
  readonly receiptsMap = RECEIPTS_MAP;

  constructor(private readonly rpc: TrytonRpc) {}

  /** A receipt is an incoming shipment with our reference; once `received` its goods are in the warehouse's input zone, which its on hand includes. */
  async receiptsApplied(receiptIds: readonly string[]): Promise<Map<string, AppliedState>> {
    const result = new Map<string, AppliedState>();
    for (let i = 0; i < receiptIds.length; i += CHUNK) {
      const ids = receiptIds.slice(i, i + CHUNK);
      const byReference = new Map(ids.map((id) => [receiptShipmentReference(id), id]));
      const rows = rowsOf(await this.rpc.model('stock.shipment.in', 'search_read', [[['reference', 'in', [...byReference.keys()]]], 0, null, [['id', 'ASC']], ['reference', 'state']]));
      for (const row of rows) {
        const id = typeof row.reference === 'string' ? byReference.get(row.reference) : undefined;
        if (id === undefined) continue;
        const applied = row.state === 'received' || row.state === 'done';
        // Two shipments for one receipt (made by hand in Tryton): applied only if both agree.
        const before = result.get(id);
        result.set(id, before === undefined ? (applied ? 'applied' : 'not-applied') : before === (applied ? 'applied' : 'not-applied') ? before : 'partial');
      }
    }
    return result;
  }

  async onHand(warehouseErpId: string, productErpIds: readonly string[]): Promise<Map<string, Units>> {
    const warehouse = trytonId(warehouseErpId);
    const result = new Map<string, Units>();
    for (let i = 0; i < productErpIds.length; i += CHUNK) {
      const ids = productErpIds.slice(i, i + CHUNK).map(trytonId);
      // search_read (not read) leaves out products deleted in Tryton instead of failing the batch.
      const rows = rowsOf(await this.rpc.model('product.product', 'search_read', [[['id', 'in', ids]], 0, null, [['id', 'ASC']], ['quantity']], { locations: [warehouse], active_test: false }));
      for (const row of rows) {
        // Tryton 6.0 quantities are floats rounded to the unit's digits: back to 4 decimals before reading them exactly.
        const raw = typeof row.quantity === 'number' ? Math.round(row.quantity * 10_000) / 10_000 : row.quantity;
        const parsed = parseQuantity(raw);
        if (!parsed.ok) throw new ErpError('erp-protocol', `Tryton answered quantity ${JSON.stringify(row.quantity)} for product ${String(row.id)}: ${parsed.message}`);
        result.set(String(row.id), parsed.units);
      }
    }
    return result;
  }

  async applied(erpJournalIds: readonly string[]): Promise<Map<string, AppliedState>> {
    const states = new Map<string, Set<string>>();
    for (let i = 0; i < erpJournalIds.length; i += CHUNK) {
      const clauses: ErpValue[] = erpJournalIds.slice(i, i + CHUNK).map((id) => ['reference', 'like', `${journalPrefix(id)}%`]);
      const domain: ErpValue = clauses.length === 1 ? clauses : ['OR', ...clauses];
      const rows = rowsOf(await this.rpc.model(SHIPMENT_MODEL, 'search_read', [domain, 0, null, [['id', 'ASC']], ['reference', 'state']]));
      for (const row of rows) {
        const parsed = typeof row.reference === 'string' ? parseShipmentReference(row.reference) : undefined;
        if (!parsed) continue;
        for (const n of parsed.lineNumbers) {
          const key = lineKey(parsed.journalId, n);
          const set = states.get(key) ?? new Set<string>();
          set.add(String(row.state));
          states.set(key, set);
        }
      }
    }
    const result = new Map<string, AppliedState>();
    for (const [key, set] of states) {
      const done = set.has('done');
      result.set(key, done && set.size === 1 ? 'applied' : done ? 'partial' : 'not-applied');
    }
    return result;
  }
}

function trytonId(erpId: string): number {
  const id = /^\d{1,15}$/.test(erpId) ? Number(erpId) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new ErpError('erp-config', `"${erpId}" is not a Tryton record id`);
  return id;
}

function rowsOf(value: ErpValue): Record<string, ErpValue>[] {
  if (!Array.isArray(value) || !value.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    throw new ErpError('erp-protocol', 'Tryton answered search_read with something other than records');
  }
  return value as Record<string, ErpValue>[];
}
