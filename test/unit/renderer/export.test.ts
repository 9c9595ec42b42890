/**
 * The CSV exports of journals and receipts, built from a real RxDB database
 * (memory storage) seeded with what the server would have replicated.
 */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product, PurchaseOrder, Receipt, Warehouse } from '../../../shared/collections.js';
import type { ErpJournal, PostingJournal } from '../../../shared/schemas/journals.js';
import { openDatabase, type FieldstockDatabase } from '../../../renderer/db/database.js';
import { exportJournals, exportReceipt, exportReceipts } from '../../../renderer/export/export-data.js';
import { exportFileName, fileNamePart, receiptFileStem } from '../../../renderer/export/file-name.js';
import { inPeriod, parsePeriod, type Period } from '../../../renderer/export/period.js';

const WAREHOUSES: Warehouse[] = [
  { id: 'w-main', code: 'WH-MAIN', name: 'Main warehouse', kind: 'warehouse', externallyMaintained: false, allowNegativeStock: true, active: true },
  { id: 'w-truck1', code: 'TRUCK-1', name: 'Truck 1', kind: 'truck', externallyMaintained: false, allowNegativeStock: true, active: true },
];
const product = (id: string, number: string, name: string, unit = 'EA'): Product => ({ id, number, name, unit, barcodes: [], tracking: 'none', active: true });
const PRODUCTS = [product('p-1', 'P-1001', 'Copper pipe 15 mm', 'M'), product('p-2', '=P-2', 'Formula-looking number')];

const journal = (id: string, occurredAt: string, lines: PostingJournal['lines'], extra: Partial<PostingJournal> = {}): PostingJournal => ({
  id,
  kind: 'posting',
  journalName: 'adjustment',
  status: 'posted',
  sourceCollection: 'inventoryTransactions',
  sourceId: `tx-${id}`,
  warehouseId: 'w-truck1',
  postedAt: occurredAt.replace('08:00', '08:05'),
  occurredAt,
  lines,
  ...extra,
});

const ERP: ErpJournal = {
  id: 'erp-1',
  kind: 'erp',
  journalName: 'adjustment',
  status: 'created-in-erp',
  warehouseId: 'w-truck1',
  createdAt: '2025-03-10T00:00:00.000Z',
  updatedAt: '2025-03-10T00:00:00.000Z',
  lines: [{ lineNumber: 1, warehouseId: 'w-truck1', productId: 'p-1', quantity: -2.5, sourceLineCount: 1, status: 'created-in-erp' }],
};

const JOURNALS = [
  journal('j-1', '2025-03-01T08:00:00.000Z', [{ lineNumber: 1, warehouseId: 'w-truck1', productId: 'p-1', quantity: -2.5, requestedQuantity: -2.5, erpJournal: { id: 'erp-1', lineNumber: 1 } }], {
    status: 'aggregated',
  }),
  journal('j-2', '2025-03-05T08:00:00.000Z', [{ lineNumber: 1, warehouseId: 'w-truck1', productId: 'p-2', quantity: 0.0001, requestedQuantity: 0.0001 }]),
  // Into the truck from the main warehouse: the journal belongs to WH-MAIN.
  journal(
    'j-3',
    '2025-03-07T08:00:00.000Z',
    [
      { lineNumber: 1, warehouseId: 'w-main', productId: 'p-1', quantity: -4, requestedQuantity: -4 },
      { lineNumber: 2, warehouseId: 'w-truck1', productId: 'p-1', quantity: 4, requestedQuantity: 4 },
    ],
    { journalName: 'transfer', warehouseId: 'w-main', toWarehouseId: 'w-truck1' },
  ),
  // Another warehouse only.
  journal('j-4', '2025-03-06T08:00:00.000Z', [{ lineNumber: 1, warehouseId: 'w-main', productId: 'p-1', quantity: 1, requestedQuantity: 1 }], { warehouseId: 'w-main' }),
  // Outside March.
  journal('j-5', '2025-04-02T08:00:00.000Z', [{ lineNumber: 1, warehouseId: 'w-truck1', productId: 'p-1', quantity: 9, requestedQuantity: 9 }]),
];

const ORDER: PurchaseOrder = {
  id: 'po-1',
  number: 'PO-1001',
  vendorName: 'Nordic Pipes AB',
  status: 'partially-received',
  warehouseId: 'w-truck1',
  lines: [
    { lineNumber: 1, productId: 'p-1', quantityOrdered: 10, quantityReceived: 4, unit: 'BOX' },
    { lineNumber: 2, productId: 'p-2', quantityOrdered: 5, quantityReceived: 0, unit: 'EA' },
  ],
};

const RECEIPTS: Receipt[] = [
  { id: 'r-1', purchaseOrderId: 'po-1', warehouseId: 'w-truck1', receivedAt: '2025-03-03T10:00:00.000Z', lines: [{ lineNumber: 2, productId: 'p-2', quantity: 1.25 }, { lineNumber: 1, productId: 'p-1', quantity: 4 }], status: 'posted', journalId: 'j-9' },
  {
    id: 'r-2',
    purchaseOrderId: 'po-1',
    warehouseId: 'w-truck1',
    receivedAt: '2025-03-04T10:00:00.000Z',
    lines: [{ lineNumber: 1, productId: 'p-1', quantity: 40, unit: 'BOX' }],
    status: 'rejected',
    error: { code: 'over-receipt', message: 'Line 1 of PO-1001 would receive 44 BOX, more than the 10 ordered.' },
  },
  { id: 'r-3', purchaseOrderId: 'po-1', warehouseId: 'w-main', receivedAt: '2025-03-03T10:00:00.000Z', lines: [{ lineNumber: 1, productId: 'p-1', quantity: 1 }], status: 'pending' },
];

let db: FieldstockDatabase;
beforeAll(async () => {
  db = await openDatabase({ serverUrl: 'http://127.0.0.1:9', username: `clerk-${crypto.randomUUID()}`, storage: getRxStorageMemory(), multiInstance: false });
  await db.warehouses.bulkInsert(WAREHOUSES);
  await db.products.bulkInsert(PRODUCTS);
  await db.journals.bulkInsert([...JOURNALS, ERP]);
  await db.purchaseOrders.insert(ORDER);
  await db.receipts.bulkInsert(RECEIPTS);
});
afterAll(async () => {
  await db?.close();
});

function march(): Period {
  const parsed = parsePeriod('2025-03-01', '2025-03-31');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.period;
}

/** Data rows as arrays of raw cell texts; none of these cells needs quoting. */
const rows = (csv: string) =>
  csv
    .slice(1)
    .split('\r\n')
    .filter((l) => l !== '')
    .map((l) => l.split(','));

describe('the journal export', () => {
  it("flattens one warehouse's posted lines in the period, oldest first, with codes, exact quantities and ERP status", async () => {
    const file = await exportJournals(db, 'w-truck1', march());
    expect(file.rows).toBe(3);
    expect(rows(file.content)).toEqual([
      ['Journal id', 'Journal name', 'Line', 'Source', 'Source id', 'Warehouse', 'Product number', 'Quantity', 'Requested quantity', 'Occurred at', 'Posted at', 'Status'],
      ['j-1', 'adjustment', '1', 'transaction', 'tx-j-1', 'TRUCK-1', 'P-1001', '-2.5', '-2.5', '2025-03-01T08:00:00.000Z', '2025-03-01T08:05:00.000Z', 'created-in-erp'],
      // A product number that looks like a formula is text, guarded; its tiny quantity stays a plain decimal.
      ['j-2', 'adjustment', '1', 'transaction', 'tx-j-2', 'TRUCK-1', "'=P-2", '0.0001', '0.0001', '2025-03-05T08:00:00.000Z', '2025-03-05T08:05:00.000Z', 'posted'],
      ['j-3', 'transfer', '2', 'transaction', 'tx-j-3', 'TRUCK-1', 'P-1001', '4', '4', '2025-03-07T08:00:00.000Z', '2025-03-07T08:05:00.000Z', 'posted'],
    ]);
  });

  it('gives a header-only file for a period without movements', async () => {
    const parsed = parsePeriod('2024-01-01', '2024-01-31');
    if (!parsed.ok) throw new Error('bad period');
    const file = await exportJournals(db, 'w-truck1', parsed.period);
    expect(file.rows).toBe(0);
    expect(rows(file.content)).toHaveLength(1);
  });
});

describe('the receipt export', () => {
  it("writes every line of the warehouse's receipts in the period, with PO number, unit and the rejection reason", async () => {
    const file = await exportReceipts(db, 'w-truck1', march());
    expect(file.rows).toBe(3);
    const csv = file.content;
    expect(csv.split('\r\n')[0]).toBe('\uFEFFPO number,Receipt id,Warehouse,Line,Product number,Quantity,Unit,Received at,Status,Error');
    expect(csv.split('\r\n').slice(1, 4)).toEqual([
      // Receipt quantities are in the purchase unit: the PO line's unit when the line names none.
      'PO-1001,r-1,TRUCK-1,1,P-1001,4,BOX,2025-03-03T10:00:00.000Z,posted,',
      "PO-1001,r-1,TRUCK-1,2,'=P-2,1.25,EA,2025-03-03T10:00:00.000Z,posted,",
      'PO-1001,r-2,TRUCK-1,1,P-1001,40,BOX,2025-03-04T10:00:00.000Z,rejected,"over-receipt: Line 1 of PO-1001 would receive 44 BOX, more than the 10 ordered."',
    ]);
  });

  it('exports a single receipt from its printable view', async () => {
    const receipt = RECEIPTS[2] as Receipt;
    const file = await exportReceipt(db, receipt);
    expect(file.content.split('\r\n')[1]).toBe('PO-1001,r-3,WH-MAIN,1,P-1001,1,BOX,2025-03-03T10:00:00.000Z,pending,');
  });
});

describe('periods and file names', () => {
  it('includes the whole end day and refuses impossible or reversed dates with a message', () => {
    const period = march();
    expect(inPeriod(new Date(2025, 2, 31, 23, 59).toISOString(), period)).toBe(true);
    expect(inPeriod(new Date(2025, 3, 1, 0, 0).toISOString(), period)).toBe(false);
    expect(inPeriod(new Date(2025, 2, 1, 0, 0).toISOString(), period)).toBe(true);
    expect(parsePeriod('2025-02-30', '')).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(parsePeriod('2025-03-02', '2025-03-01')).toMatchObject({ ok: false, error: { message: 'The period ends before it starts.' } });
    expect(parsePeriod('yesterday', '')).toMatchObject({ ok: false });
    const open = parsePeriod('', '');
    expect(open.ok && inPeriod('not a date', open.period)).toBe(true);
  });

  it('makes bare, portable file names whatever the warehouse code or PO number holds', () => {
    expect(exportFileName('journals', 'TRUCK-1', { from: '2025-03-01', to: '2025-03-31' })).toBe('journals-TRUCK-1-2025-03-01-to-2025-03-31.csv');
    expect(exportFileName('receipts', '../..\\C:/x', { from: '', to: '' })).toBe('receipts-C-x.csv');
    expect(exportFileName('receipts', '///', { from: '', to: '2025-03-31' })).toBe('receipts-warehouse-start-to-2025-03-31.csv');
    expect(fileNamePart('Lager Göteborg*?')).toBe('Lager-G-teborg');
    expect(receiptFileStem('PO/1001', '3f2a9c1e-0000-4000-8000-000000000000')).toBe('receipt-PO-1001-3f2a9c1e');
  });
});
