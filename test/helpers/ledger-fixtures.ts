/**
 * Master data and source documents for ledger tests, made the way an admin
 * and a client would make them: documents pushed over the replication API on
 * fresh connections (so the helpers keep working across backend restarts).
 */
import { randomUUID } from 'node:crypto';
import type { InventoryTransaction, Product, PurchaseOrder, Receipt, ReferenceData, Warehouse } from '../../shared/collections.js';
import type { LoginResponse } from '../../shared/wire.js';
import { httpRequest } from './fault-proxy.js';

type Doc = Record<string, unknown>;
export type TransactionDoc = InventoryTransaction & { _deleted: false };
export type ReceiptDoc = Receipt & { _deleted: false };

/** Pushes new master documents as an admin; throws unless every row was applied. */
export async function seedDocs(baseUrl: string, adminToken: string, collection: string, docs: Doc[]): Promise<void> {
  const r = await httpRequest<Doc[]>(baseUrl, {
    method: 'POST',
    path: `/api/v1/replication/${collection}/push`,
    token: adminToken,
    body: docs.map((d) => ({ newDocumentState: d })),
  });
  if (r.status !== 200 || !Array.isArray(r.body) || r.body.length !== 0) {
    throw new Error(`seeding ${collection} failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** Replaces one master document (admin edit with its assumed master state). */
export async function updateDoc(baseUrl: string, adminToken: string, collection: string, before: Doc, after: Doc): Promise<void> {
  const r = await httpRequest<Doc[]>(baseUrl, {
    method: 'POST',
    path: `/api/v1/replication/${collection}/push`,
    token: adminToken,
    body: [{ assumedMasterState: before, newDocumentState: after }],
  });
  if (r.status !== 200 || !Array.isArray(r.body) || r.body.length !== 0) {
    throw new Error(`updating ${collection} failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/** A unique code: tests share one store across runs, and codes are integration keys. */
export const uniqueCode = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8).toUpperCase()}`;

export function warehouseDoc(fields: { code?: string; allowNegativeStock?: boolean } = {}): Warehouse & { _deleted: false } {
  const code = fields.code ?? uniqueCode('WH');
  return {
    id: randomUUID(),
    code,
    name: `Test warehouse ${code}`,
    kind: 'warehouse',
    externallyMaintained: false,
    allowNegativeStock: fields.allowNegativeStock ?? true,
    active: true,
    _deleted: false,
  };
}

export function productDoc(
  fields: { number?: string; unit?: string; unitConversions?: { unit: string; factor: number }[]; overReceiptTolerancePercent?: number } = {},
): Product & { _deleted: false } {
  const number = fields.number ?? uniqueCode('P');
  return {
    id: randomUUID(),
    number,
    name: `Test product ${number}`,
    unit: fields.unit ?? 'EA',
    barcodes: [],
    tracking: 'none',
    active: true,
    ...(fields.unitConversions ? { unitConversions: fields.unitConversions } : {}),
    ...(fields.overReceiptTolerancePercent !== undefined ? { overReceiptTolerancePercent: fields.overReceiptTolerancePercent } : {}),
    _deleted: false,
  };
}

export function vendorDoc(fields: { code?: string; overReceiptTolerancePercent?: number; active?: boolean } = {}): ReferenceData & { _deleted: false } {
  const code = fields.code ?? uniqueCode('V');
  return {
    id: randomUUID(),
    kind: 'vendor',
    code,
    name: `Vendor ${code}`,
    active: fields.active ?? true,
    ...(fields.overReceiptTolerancePercent !== undefined ? { overReceiptTolerancePercent: fields.overReceiptTolerancePercent } : {}),
    _deleted: false,
  };
}

export interface PoLineSpec {
  productId: string;
  quantityOrdered: number;
  unit: string;
}

export function purchaseOrderDoc(fields: { warehouseId: string; vendorCode?: string; lines: PoLineSpec[]; number?: string }): PurchaseOrder & { _deleted: false } {
  return {
    id: randomUUID(),
    number: fields.number ?? uniqueCode('PO'),
    vendorName: `Vendor ${fields.vendorCode ?? 'without code'}`,
    ...(fields.vendorCode !== undefined ? { vendorCode: fields.vendorCode } : {}),
    status: 'open',
    warehouseId: fields.warehouseId,
    lines: fields.lines.map((l, i) => ({ lineNumber: i + 1, productId: l.productId, quantityOrdered: l.quantityOrdered, quantityReceived: 0, unit: l.unit })),
    _deleted: false,
  };
}

/** A new pending inventory transaction as a device creates it. */
export function transactionDoc(fields: {
  type: InventoryTransaction['type'];
  warehouseId: string;
  toWarehouseId?: string;
  productId: string;
  quantity: number;
  occurredAt: string;
}): TransactionDoc {
  return {
    id: randomUUID(),
    type: fields.type,
    warehouseId: fields.warehouseId,
    ...(fields.toWarehouseId !== undefined ? { toWarehouseId: fields.toWarehouseId } : {}),
    productId: fields.productId,
    quantity: fields.quantity,
    occurredAt: fields.occurredAt,
    status: 'pending',
    _deleted: false,
  };
}

/** A new pending receipt; `unit` on a line is optional in the schema and sent only when given. */
export function receiptDoc(fields: {
  purchaseOrderId: string;
  warehouseId: string;
  receivedAt: string;
  lines: { lineNumber: number; productId: string; quantity: number; unit?: string }[];
}): ReceiptDoc {
  return {
    id: randomUUID(),
    purchaseOrderId: fields.purchaseOrderId,
    warehouseId: fields.warehouseId,
    receivedAt: fields.receivedAt,
    lines: fields.lines.map((l) => ({ lineNumber: l.lineNumber, productId: l.productId, quantity: l.quantity, ...(l.unit !== undefined ? { unit: l.unit } : {}) })),
    status: 'pending',
    _deleted: false,
  };
}

export async function loginOver(baseUrl: string, username: string, password: string): Promise<string> {
  const r = await httpRequest<LoginResponse>(baseUrl, { method: 'POST', path: '/api/v1/auth/login', body: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
}

/** Creates a user scoped to `warehouseCodes` (admin API) and returns its password. */
export async function createUser(baseUrl: string, adminToken: string, fields: { username: string; role: string; warehouseCodes: string[] }): Promise<string> {
  const password = `pw-${randomUUID()}`;
  const r = await httpRequest(baseUrl, { method: 'POST', path: '/api/v1/admin/users', token: adminToken, body: { ...fields, password } });
  if (r.status !== 201) throw new Error(`creating user ${fields.username}: ${r.status} ${JSON.stringify(r.body)}`);
  return password;
}
