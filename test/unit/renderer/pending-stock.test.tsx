// @vitest-environment happy-dom
/**
 * The stock list marks everything this device has not had posted yet: a count
 * as the level it sets, both sides of a transfer, parts used, and receipts in
 * the base unit — or, when the device cannot convert a receipt's unit, as
 * entered and marked unconverted, never guessed.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUiStore, UiStoreContext } from '../../../renderer/app/ui-store.js';
import { openDatabase, type FieldstockDatabase } from '../../../renderer/db/database.js';
import { StockScreen } from '../../../renderer/stock/StockScreen.js';
import type { SessionUser } from '../../../shared/wire.js';

const FIND = { timeout: 20_000 };
const TECH: SessionUser = { id: 'u', username: 'tech1', role: 'technician', warehouseIds: ['w-truck1'] };

const layout = new Map<string, PropertyDescriptor | undefined>();
beforeAll(() => {
  Object.defineProperty(Element.prototype, 'animate', { value: undefined, configurable: true });
  // happy-dom does no layout; the virtualized grid needs a viewport to show rows (see stock-screen.test.tsx).
  for (const [name, value] of [
    ['clientHeight', 480],
    ['clientWidth', 1024],
  ] as const) {
    layout.set(name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  }
});
afterAll(() => {
  for (const [name, descriptor] of layout) if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
});

let db: FieldstockDatabase;
beforeEach(async () => {
  db = await openDatabase({ serverUrl: 'http://127.0.0.1:9', username: `tech1-${crypto.randomUUID()}`, storage: getRxStorageMemory(), multiInstance: false });
  await db.warehouses.bulkInsert([
    { id: 'w-truck1', code: 'TRUCK-1', name: 'Truck 1', kind: 'truck', externallyMaintained: false, allowNegativeStock: true, active: true },
    { id: 'w-main', code: 'WH-MAIN', name: 'Main warehouse', kind: 'warehouse', externallyMaintained: false, allowNegativeStock: true, active: true },
  ]);
  const product = (id: string, number: string, extra: object = {}) => ({ id, number, name: `Part ${number}`, unit: 'EA', barcodes: [], tracking: 'none' as const, active: true, ...extra });
  await db.products.bulkInsert([product('p-1', 'P-0001', { unitConversions: [{ unit: 'BOX', factor: 12 }] }), product('p-2', 'P-0002'), product('p-3', 'P-0003'), product('p-4', 'P-0004')]);
  await db.inventory.bulkInsert(['p-1', 'p-2', 'p-3', 'p-4'].map((p) => ({ id: `w-truck1~${p}`, warehouseId: 'w-truck1', productId: p, onHand: 10, onOrder: 0, ordered: 0 })));
  await db.purchaseOrders.insert({
    id: 'po-1',
    number: 'PO-1',
    vendorName: 'Acme',
    status: 'open',
    warehouseId: 'w-truck1',
    lines: [
      { lineNumber: 1, productId: 'p-1', quantityOrdered: 5, quantityReceived: 0, unit: 'BOX' },
      { lineNumber: 2, productId: 'p-2', quantityOrdered: 5, quantityReceived: 0, unit: 'PALLET' },
    ],
  });
  const at = (minute: number) => `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  await db.receipts.insert({
    id: 'rc-1',
    purchaseOrderId: 'po-1',
    warehouseId: 'w-truck1',
    receivedAt: at(5),
    status: 'pending',
    lines: [
      { lineNumber: 1, productId: 'p-1', quantity: 2 },
      { lineNumber: 2, productId: 'p-2', quantity: 1 },
    ],
  });
  await db.inventoryTransactions.bulkInsert([
    { id: 't-1', type: 'count', warehouseId: 'w-truck1', productId: 'p-3', quantity: 7, occurredAt: at(1), status: 'pending' },
    { id: 't-2', type: 'transfer', warehouseId: 'w-truck1', toWarehouseId: 'w-main', productId: 'p-4', quantity: 3, occurredAt: at(2), status: 'pending' },
    { id: 't-3', type: 'consumption', warehouseId: 'w-truck1', productId: 'p-4', quantity: 1, externalReference: { category: 'work-order', id: 'WO-1' }, occurredAt: at(3), status: 'pending' },
  ]);
});
afterEach(async () => {
  cleanup();
  await db.close();
});

describe("the stock list's pending changes", () => {
  it('shows counts as a target level, transfers and parts used as changes, and receipts converted or marked unconverted', async () => {
    render(
      <FluentProvider theme={webLightTheme}>
        <UiStoreContext.Provider value={createUiStore()}>
          <StockScreen session={{ db, user: TECH }} />
        </UiStoreContext.Provider>
      </FluentProvider>,
    );
    const grid = await screen.findByRole('grid', { name: 'Stock' }, FIND);
    const cells = (number: string) => {
      const row = within(grid)
        .getAllByRole('row')
        .find((r) => within(r).queryAllByRole('gridcell')[0]?.textContent === number);
      return row ? within(row).getAllByRole('gridcell').map((c) => c.textContent) : [];
    };
    // Columns 7 and 8: "Pending on this device" and "On hand with pending".
    await waitFor(() => expect(cells('P-0001').slice(6, 8)).toEqual(['+24 pendingreceipt pending', '34']), FIND);
    expect(cells('P-0002').slice(6, 8)).toEqual(['1 PALLET unconverted', '10']);
    expect(cells('P-0003').slice(6, 8)).toEqual(['count pending', '7']);
    expect(cells('P-0004').slice(6, 8)).toEqual(['-4 pending', '6']);
  });
});
