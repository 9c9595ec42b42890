/**
 * A scanned (or typed) code on the receiving form: the product's line gets one
 * more of its purchase unit. A code that matches nothing changes nothing and
 * says why.
 */
import type { DeepReadonly } from 'rxdb';
import type { Product } from '../../shared/collections.js';
import { addUnits, formatUnits, QUANTITY_SCALE, subtractUnits, ZERO_UNITS, type Units } from '../../shared/decimal.js';
import { parseEntry, type TypedQuantities } from './receipt-draft.js';
import { receivedBefore, type ReceiveLine } from './receive-lines.js';

const ONE = QUANTITY_SCALE as Units;

export type ScanOutcome = { ok: true; lineNumber: number; quantity: string; message: string } | { ok: false; message: string };

/** Products a code stands for: its barcodes, or its product number for labels that carry only that. */
export function productMatches(product: DeepReadonly<Pick<Product, 'number' | 'barcodes'>>, code: string): boolean {
  return product.barcodes.includes(code) || product.number.toLowerCase() === code.toLowerCase();
}

/**
 * Adds one to the line of the product `code` names. When the product is on
 * several lines, the first that still has something to receive (after what is
 * typed) gets it; when all are complete, the first line does, and saving
 * warns about the over-receipt.
 */
export function applyScan(
  code: string,
  lines: readonly ReceiveLine[],
  products: ReadonlyMap<string, DeepReadonly<Product>>,
  typed: TypedQuantities,
  poNumber: string,
): ScanOutcome {
  const trimmed = code.trim();
  if (!trimmed) return { ok: false, message: 'Scan a barcode or type one, then press Enter.' };
  const candidates = lines.filter((line) => {
    const product = products.get(line.productId);
    return product !== undefined && productMatches(product, trimmed);
  });
  if (candidates.length === 0) return { ok: false, message: `No product on ${poNumber} has the barcode “${trimmed}”. Nothing was added.` };

  const typedUnits = (line: ReceiveLine): Units | null => {
    const entry = parseEntry(typed[line.lineNumber]);
    return entry.kind === 'quantity' ? entry.units : entry.kind === 'empty' ? ZERO_UNITS : null;
  };
  const target =
    // A line whose quantity is not a number counts as empty here, so the scan stops at it with a message instead of skipping it.
    candidates.find((line) => subtractUnits(line.ordered, addUnits(receivedBefore(line), typedUnits(line) ?? ZERO_UNITS)) > 0) ?? candidates[0];
  if (!target) return { ok: false, message: `No product on ${poNumber} has the barcode “${trimmed}”. Nothing was added.` };
  const current = typedUnits(target);
  if (current === null) {
    return { ok: false, message: `Line ${target.lineNumber} (${target.productNumber}) has a quantity that is not a number. Correct it, then scan again.` };
  }
  const quantity = formatUnits(addUnits(current, ONE));
  return { ok: true, lineNumber: target.lineNumber, quantity, message: `${target.productLabel}: ${quantity} ${target.unit} on line ${target.lineNumber}.` };
}
