// @vitest-environment happy-dom
/**
 * The stock screen: a virtualized grid that keeps 50,000 rows out of the DOM,
 * an in-memory search, this device's pending changes beside the server's
 * numbers, and empty states that say what to do.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryLevel, Product, Warehouse } from '../../../shared/collections.js';
import { inventoryId } from '../../../shared/schemas/inventory.js';
import type { SessionUser } from '../../../shared/wire.js';
import { createUiStore, UiStoreContext, type UiStore } from '../../../renderer/app/ui-store.js';
import { openDatabase, type FieldstockDatabase } from '../../../renderer/db/database.js';
import { StockScreen } from '../../../renderer/stock/StockScreen.js';

const FIND = { timeout: 20_000 };
const VIEWPORT_HEIGHT = 480;
const TECH: SessionUser = { id: 'u', username: 'tech1', role: 'technician', warehouseIds: ['w-truck1', 'w-main'] };

const WAREHOUSES: Warehouse[] = [
  { id: 'w-main', code: 'WH-MAIN', name: 'Main warehouse', kind: 'warehouse', externallyMaintained: false, allowNegativeStock: true, active: true },
  { id: 'w-truck1', code: 'TRUCK-1', name: 'Truck 1', kind: 'truck', externallyMaintained: false, allowNegativeStock: true, active: true },
];

const product = (id: string, number: string, name: string, barcodes: string[] = []): Product => ({ id, number, name, unit: 'EA', barcodes, tracking: 'none', active: true });
const level = (warehouseId: string, productId: string, onHand: number, onOrder = 0, ordered = 0): InventoryLevel => ({
  id: inventoryId(warehouseId, productId),
  warehouseId,
  productId,
  onHand,
  onOrder,
  ordered,
});

const layout = new Map<string, PropertyDescriptor | undefined>();
beforeAll(() => {
  // See sign-in.test.tsx: happy-dom's cancelled animations reject unhandled; Fluent skips motion without animate().
  Object.defineProperty(Element.prototype, 'animate', { value: undefined, configurable: true });
  // happy-dom does no layout: every element measures 0 px, so the virtualizer would show no row at all.
  // Give scrollers the height of a small window, as a browser would.
  for (const [name, value] of [
    ['clientHeight', VIEWPORT_HEIGHT],
    ['clientWidth', 1024],
  ] as const) {
    layout.set(name, Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
  }
});

afterAll(() => {
  for (const [name, descriptor] of layout) if (descriptor) Object.defineProperty(HTMLElement.prototype, name, descriptor);
});

async function newDatabase(): Promise<FieldstockDatabase> {
  const db = await openDatabase({ serverUrl: 'http://127.0.0.1:9', username: `tech1-${crypto.randomUUID()}`, storage: getRxStorageMemory(), multiInstance: false });
  await db.warehouses.bulkInsert(WAREHOUSES);
  return db;
}

function renderStock(db: FieldstockDatabase, ui: UiStore, user: SessionUser | null = TECH) {
  render(
    <FluentProvider theme={webLightTheme}>
      <UiStoreContext.Provider value={ui}>
        <StockScreen session={{ db, user }} />
      </UiStoreContext.Provider>
    </FluentProvider>,
  );
}

const dataRows = (grid: HTMLElement) => within(grid).getAllByRole('row').filter((row) => row.getAttribute('aria-rowindex') !== '1');
const numbers = (grid: HTMLElement) => dataRows(grid).map((row) => within(row).getAllByRole('gridcell')[0]?.textContent);

describe('the stock list with 50,000 products on the truck', () => {
  const COUNT = 50_000;
  let db: FieldstockDatabase;

  beforeAll(async () => {
    db = await newDatabase();
    const products: Product[] = [];
    const levels: InventoryLevel[] = [];
    for (let i = 0; i < COUNT; i++) {
      const id = `p-${i}`;
      const number = `P-${String(i).padStart(5, '0')}`;
      // A few products findable only by their name or only by their barcode.
      const name = i === 31_337 ? 'Brass elbow 22 mm' : `Spare part ${i}`;
      products.push(product(id, number, name, i === 4_242 ? ['5901234123457'] : []));
      levels.push(level('w-truck1', id, i % 17, i % 5, i % 3));
    }
    await db.products.bulkInsert(products);
    await db.inventory.bulkInsert(levels);
  }, 120_000);

  afterEach(() => cleanup());
  afterAll(async () => {
    await db?.close();
  });

  it('renders only the visible window of rows, with the full count for assistive technology', async () => {
    renderStock(db, createUiStore());

    const grid = await screen.findByRole('grid', { name: 'Stock' }, FIND);
    // 50,000 data rows plus the header row, which ARIA counts too.
    expect(grid.getAttribute('aria-rowcount')).toBe(String(COUNT + 1));
    const rows = dataRows(grid);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(50);
    expect(rows[0]?.getAttribute('aria-rowindex')).toBe('2');
    expect(numbers(grid)[0]).toBe('P-00000');
    expect(screen.getByText('50,000 products')).toBeTruthy();
  });

  it('narrows the rows by product number, name or barcode', async () => {
    const user = userEvent.setup();
    renderStock(db, createUiStore());
    const search = await screen.findByRole('searchbox', { name: 'Search products' }, FIND);
    await screen.findByRole('grid', { name: 'Stock' }, FIND);

    await user.type(search, 'p-0424');
    await waitFor(() => expect(screen.getByRole('grid', { name: 'Stock' }).getAttribute('aria-rowcount')).toBe('11'), FIND);
    expect(numbers(screen.getByRole('grid', { name: 'Stock' }))).toEqual(Array.from({ length: 10 }, (_, i) => `P-0424${i}`));

    await user.clear(search);
    await user.type(search, 'BRASS ELBOW');
    await waitFor(() => expect(numbers(screen.getByRole('grid', { name: 'Stock' }))).toEqual(['P-31337']), FIND);

    await user.clear(search);
    await user.type(search, '5901234123457');
    await waitFor(() => expect(numbers(screen.getByRole('grid', { name: 'Stock' }))).toEqual(['P-04242']), FIND);
    expect(screen.getByText('1 of 50,000 products')).toBeTruthy();
  });

  it('moves the selection with the arrow keys and opens the adjustment for it with Enter', async () => {
    const ui = createUiStore();
    renderStock(db, ui);
    const grid = await screen.findByRole('grid', { name: 'Stock' }, FIND);

    act(() => grid.focus());
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    const selected = await waitFor(() => {
      const row = dataRows(grid).find((r) => r.getAttribute('aria-selected') === 'true');
      expect(row?.getAttribute('aria-rowindex')).toBe('4');
      return row;
    });
    expect(grid.getAttribute('aria-activedescendant')).toBe(selected?.id);

    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(ui.getState()).toMatchObject({ screen: 'moves', movePrefill: { type: 'adjustment', warehouseId: 'w-truck1', productId: 'p-2' } });
  });
});

describe('the stock screen', () => {
  let db: FieldstockDatabase;

  beforeEach(async () => {
    db = await newDatabase();
    await db.products.bulkInsert([
      product('p-1', 'P-0001', 'Copper pipe 15 mm'),
      product('p-2', 'P-0002', 'Ball valve 1/2"'),
      product('p-3', 'P-0003', 'Solder wire'),
    ]);
    await db.inventory.bulkInsert([level('w-truck1', 'p-1', 12.5, 10, 2), level('w-truck1', 'p-2', 4), level('w-main', 'p-3', 100)]);
  });

  afterEach(async () => {
    cleanup();
    await db.close();
  });

  const rowOf = async (number: string) => {
    const grid = await screen.findByRole('grid', { name: 'Stock' }, FIND);
    return within(grid).getByText(number).closest<HTMLElement>('[role="row"]');
  };
  const cells = (row: HTMLElement | null) => (row ? within(row).getAllByRole('gridcell').map((c) => c.textContent) : []);

  it("starts on the technician's truck and shows the server's numbers", async () => {
    renderStock(db, createUiStore());
    expect((await screen.findByRole('combobox', { name: 'Warehouse or truck' }, FIND)).textContent).toContain('TRUCK-1 — Truck 1');
    expect(cells(await rowOf('P-0001'))).toEqual(['P-0001', 'Copper pipe 15 mm', 'EA', '12.5', '10', '2', '', '12.5', 'AdjustHistory']);
  });

  it("shows this device's pending changes as a badge and in the on hand with pending", async () => {
    renderStock(db, createUiStore());
    await rowOf('P-0002');
    await db.inventoryTransactions.bulkInsert([
      { id: 't-1', type: 'adjustment', warehouseId: 'w-truck1', productId: 'p-2', quantity: 3, occurredAt: '2026-11-25T10:00:00.000Z', status: 'pending' },
      { id: 't-2', type: 'consumption', warehouseId: 'w-truck1', productId: 'p-1', quantity: 0.1, occurredAt: '2026-11-25T10:01:00.000Z', status: 'pending' },
      { id: 't-3', type: 'consumption', warehouseId: 'w-truck1', productId: 'p-1', quantity: 0.2, occurredAt: '2026-11-25T10:02:00.000Z', status: 'pending' },
      // Already posted: on hand from the server includes it, so it is not pending.
      { id: 't-4', type: 'adjustment', warehouseId: 'w-truck1', productId: 'p-2', quantity: 100, occurredAt: '2026-11-25T09:00:00.000Z', status: 'posted' },
      // Transferred in from the main warehouse: a product the truck did not have.
      { id: 't-5', type: 'transfer', warehouseId: 'w-main', toWarehouseId: 'w-truck1', productId: 'p-3', quantity: 2, occurredAt: '2026-11-25T10:03:00.000Z', status: 'pending' },
    ]);

    await waitFor(async () => expect(cells(await rowOf('P-0002'))).toEqual(['P-0002', 'Ball valve 1/2"', 'EA', '4', '0', '0', '+3 pending', '7', 'AdjustHistory']), FIND);
    expect(cells(await rowOf('P-0001')).slice(6, 8)).toEqual(['-0.3 pending', '12.2']);
    expect(cells(await rowOf('P-0003')).slice(3, 8)).toEqual(['0', '0', '0', '+2 pending', '2']);
  });

  it('opens the adjustment form for a row, prefilled with its warehouse and product', async () => {
    const user = userEvent.setup();
    const ui = createUiStore();
    renderStock(db, ui);
    await user.click(await screen.findByRole('button', { name: 'Adjust P-0002' }, FIND));
    expect(ui.getState()).toMatchObject({ screen: 'moves', movePrefill: { type: 'adjustment', warehouseId: 'w-truck1', productId: 'p-2' } });
  });

  it('says when no product matches the search, and clears it on request', async () => {
    const user = userEvent.setup();
    renderStock(db, createUiStore());
    await user.type(await screen.findByRole('searchbox', { name: 'Search products' }, FIND), 'flux');
    expect((await screen.findByRole('status', {}, FIND)).textContent).toContain('No product matches “flux” in TRUCK-1 — Truck 1.');
    expect(screen.queryByRole('grid')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Clear search' }));
    expect((await screen.findByRole('grid', { name: 'Stock' }, FIND)).getAttribute('aria-rowcount')).toBe('3');
  });

  it('says when the chosen warehouse has no stock yet', async () => {
    const ui = createUiStore();
    ui.getState().setStockFilter({ warehouseId: 'w-main' });
    await db.inventory.findOne('w-main~p-3').remove();
    renderStock(db, ui);
    expect(await screen.findByText('No stock recorded for WH-MAIN — Main warehouse.', {}, FIND)).toBeTruthy();
  });

  it('says when no warehouse is in the user’s scope', async () => {
    renderStock(db, createUiStore(), { ...TECH, warehouseIds: ['w-elsewhere'] });
    expect(await screen.findByText('No warehouse or truck in your scope on this device.', {}, FIND)).toBeTruthy();
    expect(screen.queryByRole('searchbox')).toBeNull();
  });
});
