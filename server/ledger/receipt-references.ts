import type { ReferenceData } from '../../shared/collections.js';
import type { Writer } from '../store/write.js';

/** Reference data a receipt needs: vendors (over-receipt tolerance) and units shared by all products. */
export interface ReceiptReferences {
  vendors: Map<string, ReferenceData>;
  units: ReferenceData[];
}

export const NO_RECEIPT_REFERENCES: ReceiptReferences = { vendors: new Map(), units: [] };

/**
 * Loads vendors and units once per posting batch that holds receipts. Reference
 * data is a small table (hundreds of rows), so reading it whole is cheaper than
 * a lookup per receipt.
 */
export async function loadReceiptReferences(writer: Writer): Promise<ReceiptReferences> {
  const rows = await writer.trx.selectFrom('docs').select('data').where('collection', '=', 'referenceData').where('deleted', '=', 0).execute();
  const refs: ReceiptReferences = { vendors: new Map(), units: [] };
  for (const row of rows) {
    const doc = JSON.parse(row.data) as ReferenceData;
    if (!doc.active) continue;
    if (doc.kind === 'vendor') refs.vendors.set(doc.code, doc);
    else if (doc.kind === 'unit') refs.units.push(doc);
  }
  return refs;
}
