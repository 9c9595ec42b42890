/**
 * An ERP journal's lines as Tryton records: our warehouse codes and product
 * numbers (handed over by the delivery round) resolved to Tryton's
 * warehouses and products. A warehouse Tryton does not know stops the whole
 * journal (every line needs it); a product it does not know stops only its
 * line, with a message naming the code.
 */
import { units } from '../../../../../shared/decimal.js';
import type { ErpJournal } from '../../../../../shared/schemas/journals.js';
import type { SinkDelivery, SinkError } from '../../../../ledger/aggregation/sink.js';
import type { JournalKind } from './kinds.js';
import type { TrytonLookup, TrytonWarehouse } from './lookup.js';
import type { TargetLine } from './plan.js';

export type Targets = { ok: true; lines: TargetLine[]; lineErrors: Map<number, SinkError> } | { ok: false; error: SinkError };

export async function resolveTargets(journal: ErpJournal, kind: JournalKind, delivery: SinkDelivery, lookup: TrytonLookup): Promise<Targets> {
  const ends = new Map<string, 'from' | 'to'>([[journal.warehouseId, 'from']]);
  if (kind === 'transfer' && journal.toWarehouseId) ends.set(journal.toWarehouseId, 'to');

  const codes = new Map<string, string>();
  for (const warehouseId of ends.keys()) {
    const code = delivery.warehouseCodes.get(warehouseId);
    if (!code) return { ok: false, error: { code: 'unknown-warehouse', message: `Fieldstock has no warehouse ${warehouseId} (or it has no code), so Tryton cannot be told where this stock is.` } };
    codes.set(warehouseId, code);
  }
  const warehouses = new Map<string, TrytonWarehouse>();
  const found = await lookup.warehouses(codes.values());
  for (const [warehouseId, code] of codes) {
    const resolved = found.get(code);
    if (!resolved?.ok) return { ok: false, error: { code: resolved?.code ?? 'erp-unknown-warehouse', message: resolved?.message ?? `Tryton has no warehouse "${code}".` } };
    warehouses.set(warehouseId, resolved.record);
  }

  const lineErrors = new Map<number, SinkError>();
  const numbers = new Map<number, string>();
  for (const line of journal.lines) {
    const number = delivery.productNumbers.get(line.productId);
    if (number) numbers.set(line.lineNumber, number);
    else lineErrors.set(line.lineNumber, { code: 'unknown-product', message: `Fieldstock has no product ${line.productId} (or it has no number), so Tryton cannot be told which product moved.` });
  }
  const products = await lookup.products(numbers.values());

  const lines: TargetLine[] = [];
  for (const line of journal.lines) {
    const number = numbers.get(line.lineNumber);
    if (number === undefined) continue;
    const product = products.get(number);
    const warehouse = warehouses.get(line.warehouseId);
    const end = ends.get(line.warehouseId);
    if (!product?.ok) {
      lineErrors.set(line.lineNumber, { code: product?.code ?? 'erp-unknown-product', message: product?.message ?? `Tryton has no product "${number}".` });
    } else if (!warehouse || !end) {
      lineErrors.set(line.lineNumber, { code: 'invalid-request', message: `Line ${line.lineNumber} moves stock at warehouse ${line.warehouseId}, which is not a warehouse of its journal.` });
    } else {
      lines.push({ lineNumber: line.lineNumber, product: product.record, warehouse, end, quantity: units(line.quantity) });
    }
  }
  return { ok: true, lines, lineErrors };
}
