/**
 * What the administrator asks the trace for: a Fieldstock document (its
 * collection and id) or an ERP record (a map's name and the ERP's id), and
 * the checks made before asking the server, so an empty field is a message
 * beside it rather than a round trip.
 */
import type { CollectionName } from '../../shared/collections.js';

/** The collections a document worth tracing lives in, as the form offers them (inventory levels and journals are derived, not traced). */
export const TRACE_COLLECTIONS = [
  'inventoryTransactions',
  'receipts',
  'purchaseOrders',
  'warehouses',
  'products',
  'referenceData',
  'customerAssets',
] as const satisfies readonly CollectionName[];
export type TraceCollection = (typeof TRACE_COLLECTIONS)[number];

export const TRACE_COLLECTION_LABELS: Readonly<Record<TraceCollection, string>> = {
  inventoryTransactions: 'Inventory transactions',
  receipts: 'Receipts',
  purchaseOrders: 'Purchase orders',
  warehouses: 'Warehouses',
  products: 'Products',
  referenceData: 'Reference data',
  customerAssets: 'Customer assets',
};

export function isTraceCollection(value: string): value is TraceCollection {
  return (TRACE_COLLECTIONS as readonly string[]).includes(value);
}

/** The collections whose documents are posted to the ledger: the rest are masters, which have no posting. */
export const POSTED_COLLECTIONS: ReadonlySet<string> = new Set(['inventoryTransactions', 'receipts']);

export type TraceTarget = { kind: 'document'; collection: TraceCollection; id: string } | { kind: 'erp'; map: string; erpId: string };

/** The form as typed, before checking. */
export interface TraceForm {
  mode: 'document' | 'erp';
  collection: TraceCollection;
  id: string;
  map: string;
  erpId: string;
}

export type TraceFormErrors = Partial<Record<'id' | 'map' | 'erpId', string>>;

/** Ids are the server's route parameters: 1 to 100 characters (server/admin/erp-trace-routes.ts). */
const MAX_ID_LENGTH = 100;

export function checkTraceForm(form: TraceForm): { ok: true; target: TraceTarget } | { ok: false; errors: TraceFormErrors } {
  const errors: TraceFormErrors = {};
  if (form.mode === 'document') {
    const id = form.id.trim();
    if (!id) errors.id = 'Enter the document id.';
    else if (id.length > MAX_ID_LENGTH) errors.id = `A document id has at most ${MAX_ID_LENGTH} characters.`;
    return errors.id ? { ok: false, errors } : { ok: true, target: { kind: 'document', collection: form.collection, id } };
  }
  const map = form.map.trim();
  const erpId = form.erpId.trim();
  if (!map) errors.map = 'Enter the ERP map name, e.g. warehouses.';
  if (!erpId) errors.erpId = 'Enter the ERP id of the record.';
  else if (erpId.length > MAX_ID_LENGTH) errors.erpId = `An ERP id has at most ${MAX_ID_LENGTH} characters.`;
  return errors.map || errors.erpId ? { ok: false, errors } : { ok: true, target: { kind: 'erp', map, erpId } };
}

export function describeTarget(target: TraceTarget): string {
  return target.kind === 'document' ? `${TRACE_COLLECTION_LABELS[target.collection]} ${target.id}` : `ERP record ${target.erpId} of map ${target.map}`;
}
