// @vitest-environment happy-dom
/**
 * The History screen over a real RxDB database seeded as the server would
 * have replicated it: the journal lines of one product in one warehouse,
 * newest first with on hand after each, a chart with a spoken summary, the
 * CSV export through the web platform, and a printable receipt.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InventoryLevel, Product, PurchaseOrder, Receipt, Warehouse } from '../../../shared/collections.js';
import { inventoryId } from '../../../shared/schemas/inventory.js';
import type { ErpJournal, PostingJournal } from '../../../shared/schemas/journals.js';
import type { SessionUser } from '../../../shared/wire.js';
import { ServicesContext, type AppServices } from '../../../renderer/app/services.js';
import { createUiStore, UiStoreContext, type UiStore } from '../../../renderer/app/ui-store.js';
import { openDatabase, type FieldstockDatabase } from '../../../renderer/db/database.js';
import { HistoryScreen } from '../../../renderer/history/HistoryScreen.js';
import { createWebPlatform } from '../../../renderer/platform/web.js';
import { SessionController } from '../../../renderer/session/controller.js';
import { StockScreen } from '../../../renderer/stock/StockScreen.js';

const FIND = { timeout: 15_000 };
const TECH: SessionUser = { id: 'u', username: 'tech1', role: 'technician', warehouseIds: ['w-truck1', 'w-main'] };

const WAREHOUSES: Warehouse[] = [
  { id: 'w-main', code: 'WH-MAIN', name: 'Main warehouse', kind: 'warehouse', externallyMaintained: false, allowNegativeStock: true, active: true },
  { id: 'w-truck1', code: 'TRUCK-1', name: 'Truck 1', kind: 'truck', externallyMaintained: false, allowNegativeStock: true, active: true },
  { id: 'w-truck2', code: 'TRUCK-2', name: 'Truck 2', kind: 'truck', externallyMaintained: false, allowNegativeStock: true, active: true },
];
const product = (id: string, number: string, name: string, barcodes: string[] = []): Product => ({ id, number, name, unit: 'EA', barcodes, tracking: 'none', active: true });
const PRODUCTS = [product('p-1', 'P-1001', 'Copper pipe 15 mm'), product('p-2', 'P-1002', 'Brass elbow', ['5901234123457']), product('p-3', 'P-1003', 'Never moved')];
const level = (warehouseId: string, productId: string, onHand: number): InventoryLevel => ({ id: inventoryId(warehouseId, productId), warehouseId, productId, onHand, onOrder: 0, ordered: 0 });

function posting(id: string, name: string, day: number, quantity: number, extra: Partial<PostingJournal> = {}, line: Partial<PostingJournal['lines'][number]> = {}): PostingJournal {
  const at = `2025-03-0${day}T08:00:00.000Z`;
  return {
    id,
    kind: 'posting',
    journalName: name,
    status: 'posted',
    sourceCollection: name === 'receipt' ? 'receipts' : 'inventoryTransactions',
    sourceId: `src-${id}`,
    warehouseId: 'w-truck1',
    postedAt: at,
    occurredAt: at,
    lines: [{ lineNumber: 1, warehouseId: 'w-truck1', productId: 'p-1', quantity, requestedQuantity: quantity, ...line }],
    ...extra,
  };
}

// On hand of P-1001 on TRUCK-1 is 13 now. Oldest first: received 10 (day 1); an adjustment of −4 dated day 2 that
// arrived after the count (0 applied); a count of 8 on day 3 (applied −2); +5 on day 4, aggregated and sent to the ERP.
const JOURNALS = [
  posting('j-receipt', 'receipt', 1, 10, { sourceId: 'r-1' }),
  posting('j-late', 'adjustment', 2, 0, { postedAt: '2025-03-05T08:00:00.000Z' }, { requestedQuantity: -4 }),
  posting('j-count', 'count', 3, -2, {}, { requestedQuantity: 8 }),
  posting('j-add', 'adjustment', 4, 5, { status: 'aggregated' }, { erpJournal: { id: 'erp-1', lineNumber: 1 } }),
];
const ERP: ErpJournal = {
  id: 'erp-1',
  kind: 'erp',
  journalName: 'adjustment',
  status: 'sent',
  warehouseId: 'w-truck1',
  createdAt: '2025-03-04T09:00:00.000Z',
  updatedAt: '2025-03-04T09:00:00.000Z',
  lines: [{ lineNumber: 1, warehouseId: 'w-truck1', productId: 'p-1', quantity: 5, sourceLineCount: 1, status: 'sent' }],
};
const ORDER: PurchaseOrder = {
  id: 'po-1',
  number: 'PO-1001',
  vendorName: 'Nordic Pipes AB',
  status: 'partially-received',
  warehouseId: 'w-truck1',
  lines: [{ lineNumber: 1, productId: 'p-1', quantityOrdered: 20, quantityReceived: 10, unit: 'EA' }],
};
const RECEIPT: Receipt = { id: 'r-1', purchaseOrderId: 'po-1', warehouseId: 'w-truck1', receivedAt: '2025-03-01T08:00:00.000Z', lines: [{ lineNumber: 1, productId: 'p-1', quantity: 10 }], status: 'posted', journalId: 'j-receipt' };

let db: FieldstockDatabase;
let ui: UiStore;

beforeAll(() => {
  // See sign-in.test.tsx: happy-dom's cancelled animations reject unhandled; Fluent skips motion without animate().
  Object.defineProperty(Element.prototype, 'animate', { value: undefined, configurable: true });
});

beforeEach(async () => {
  db = await openDatabase({ serverUrl: 'http://127.0.0.1:9', username: `tech1-${crypto.randomUUID()}`, storage: getRxStorageMemory(), multiInstance: false });
  await db.warehouses.bulkInsert(WAREHOUSES);
  await db.products.bulkInsert(PRODUCTS);
  await db.inventory.bulkInsert([level('w-truck1', 'p-1', 13), level('w-truck1', 'p-3', 0)]);
  await db.journals.bulkInsert([...JOURNALS, ERP]);
  await db.purchaseOrders.insert(ORDER);
  await db.receipts.insert(RECEIPT);
  ui = createUiStore();
});

afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await db.close();
});

function renderWith(children: ReactNode) {
  const platform = createWebPlatform({ storage: window.localStorage });
  const services = { platform, controller: new SessionController({ platform, onView: () => {} }), defaultServerUrl: 'http://127.0.0.1:9' } satisfies AppServices;
  render(
    <FluentProvider theme={webLightTheme}>
      <ServicesContext.Provider value={services}>
        <UiStoreContext.Provider value={ui}>{children}</UiStoreContext.Provider>
      </ServicesContext.Provider>
    </FluentProvider>,
  );
}

const renderHistory = () => renderWith(<HistoryScreen session={{ db, user: TECH }} />);

/** The web platform's downloads: the Blob behind each link clicked, by file name. */
function captureDownloads() {
  const downloads: { name: string; blob: Blob }[] = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:fieldstock/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    const blob = blobs.get(this.href);
    if (blob) downloads.push({ name: this.download, blob });
  });
  return downloads;
}

const movementsTable = () => screen.findByRole('table', { name: 'Movements of P-1001 in TRUCK-1' }, FIND);
const cells = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent ?? ''));

describe('the History screen', () => {
  it('lists the journal lines that touched a product, newest first, with on hand after each and the ERP status', async () => {
    ui.getState().showHistory({ warehouseId: 'w-truck1', productId: 'p-1' });
    renderHistory();

    const table = await movementsTable();
    const rows = cells(table);
    // Date | Type | Change | Requested | On hand after | Source document | ERP status (the date is local time: not compared).
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['Adjustment', '+5', '', '13', 'src-j-add', 'Sent to ERP'],
      ['Count', '-2', 'Counted 8', '8', 'src-j-count', 'Posted'],
      ['Adjustment', '0', '-4 (already in a later count)', '10', 'src-j-late', 'Posted'],
      ['Receipt', '+10', '', '10', 'r-1', 'Posted'],
    ]);
    expect(rows[0]?.[0]).toBe(new Date('2025-03-04T08:00:00.000Z').toLocaleString());
    expect(screen.getByText('13 EA')).toBeTruthy();

    const chart = screen.getByRole('img', { name: /^On hand of P-1001 in TRUCK-1 over time/ });
    const summary = chart.getAttribute('aria-label') ?? '';
    expect(summary).toContain('4 movements');
    expect(summary).toContain('0 before the first movement, 13 now, lowest 0, highest 13');
    // One step per movement, drawn as an SVG path; the marks are the movements.
    expect(chart.querySelector('path')?.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+( H[\d.]+ V[\d.]+){5}$/);
    expect(chart.querySelectorAll('circle')).toHaveLength(4);
  });

  it('follows new postings live: a synced journal and level appear without reopening the screen', async () => {
    ui.getState().showHistory({ warehouseId: 'w-truck1', productId: 'p-1' });
    renderHistory();
    await movementsTable();

    await act(async () => {
      await db.journals.insert(posting('j-new', 'consumption', 6, -3));
      await db.inventory.upsert(level('w-truck1', 'p-1', 10));
    });

    await waitFor(async () => expect(cells(await movementsTable())[0]?.slice(1, 5)).toEqual(['Consumption', '-3', '', '10']), FIND);
    expect(cells(await movementsTable())[1]?.[4]).toBe('13');
  });

  it('says there are no movements yet for a product that never moved, with no chart', async () => {
    ui.getState().showHistory({ warehouseId: 'w-truck1', productId: 'p-3' });
    renderHistory();
    expect(await screen.findByText('No movements yet.', undefined, FIND)).toBeTruthy();
    expect(screen.getByText(/P-1003 in TRUCK-1 has no posted movements on this device/)).toBeTruthy();
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('asks for a product first, finds one by barcode, and offers only the warehouses in scope', async () => {
    const user = userEvent.setup();
    renderHistory();
    expect(await screen.findByText('Choose a product to see its movements in TRUCK-1.', undefined, FIND)).toBeTruthy();

    await user.click(screen.getByRole('combobox', { name: 'Warehouse or truck' }));
    const options = screen.getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['TRUCK-1 — Truck 1 (truck)', 'WH-MAIN — Main warehouse']);
    await user.keyboard('{Escape}');

    const search = screen.getByRole('combobox', { name: 'Product' });
    await user.click(search);
    await user.type(search, '59012341');
    await user.click(await screen.findByRole('option', { name: 'P-1002 — Brass elbow (EA)' }, FIND));
    expect(ui.getState().historyFocus).toEqual({ warehouseId: null, productId: 'p-2' });
    expect(await screen.findByText('No movements yet.', undefined, FIND)).toBeTruthy();
  });

  it('exports the warehouse journals for the period as a CSV download the spreadsheet reads as it was posted', async () => {
    const downloads = captureDownloads();
    const user = userEvent.setup();
    ui.getState().showHistory({ warehouseId: 'w-truck1', productId: 'p-1' });
    renderHistory();
    await movementsTable();

    const from = screen.getByLabelText('From');
    await user.clear(from);
    await user.type(from, '2025-03-01');
    const to = screen.getByLabelText('To');
    await user.clear(to);
    await user.type(to, '2025-03-31');
    await user.click(screen.getByRole('button', { name: 'Export journals (CSV)' }));

    expect(await screen.findByText(/4 journal lines of TRUCK-1 exported as journals-TRUCK-1-2025-03-01-to-2025-03-31\.csv/, undefined, FIND)).toBeTruthy();
    expect(downloads.map((d) => [d.name, d.blob.type])).toEqual([['journals-TRUCK-1-2025-03-01-to-2025-03-31.csv', 'text/csv']]);
    const text = await (downloads[0] as { blob: Blob }).blob.text();
    const lines = text.split('\r\n');
    expect(lines[0]?.startsWith('\uFEFFJournal id,Journal name,Line,')).toBe(true);
    expect(lines).toContain('j-add,adjustment,1,transaction,src-j-add,TRUCK-1,P-1001,5,5,2025-03-04T08:00:00.000Z,2025-03-04T08:00:00.000Z,sent');
    expect(lines).toContain('j-late,adjustment,1,transaction,src-j-late,TRUCK-1,P-1001,0,-4,2025-03-02T08:00:00.000Z,2025-03-05T08:00:00.000Z,posted');
  });

  it('refuses a period that ends before it starts, with the reason, and exports nothing', async () => {
    const downloads = captureDownloads();
    const user = userEvent.setup();
    renderHistory();
    const from = await screen.findByLabelText('From', undefined, FIND);
    await user.clear(from);
    await user.type(from, '2025-04-01');
    const to = screen.getByLabelText('To');
    await user.clear(to);
    await user.type(to, '2025-03-01');
    expect(screen.getByText('The period ends before it starts.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Export receipts (CSV)' }) as HTMLButtonElement).disabled).toBe(true);
    expect(downloads).toEqual([]);
  });

  it('opens a receipt from its movement as a printable view, prints it with its name as the title, and goes back', async () => {
    const user = userEvent.setup();
    const printed: string[] = [];
    // happy-dom has no print(); Chromium's fires afterprint before it returns.
    Object.defineProperty(window, 'print', {
      value: () => {
        printed.push(document.title);
        window.dispatchEvent(new Event('afterprint'));
      },
      configurable: true,
    });
    document.title = 'Fieldstock';
    ui.getState().showHistory({ warehouseId: 'w-truck1', productId: 'p-1' });
    renderHistory();
    await movementsTable();

    await user.click(screen.getByRole('button', { name: 'Open receipt r-1' }));
    const receipt = await screen.findByRole('article', { name: 'Receipt for purchase order PO-1001' }, FIND);
    expect(within(receipt).getByText('Nordic Pipes AB')).toBeTruthy();
    expect(within(receipt).getByText('TRUCK-1 — Truck 1')).toBeTruthy();
    const lines = cells(within(receipt).getByRole('table', { name: 'Lines of the receipt for PO-1001' }));
    expect(lines).toEqual([['1', 'P-1001 — Copper pipe 15 mm', '10', 'EA', 'Posted']]);
    // The print stylesheet hides the app around the receipt, only while a receipt is open.
    const style = document.querySelector('style[media="print"]');
    expect(style?.textContent).toContain('nav');
    expect(screen.getByRole('button', { name: 'Print' }).closest('[data-print="hide"]')).not.toBeNull();

    await user.click(screen.getByRole('button', { name: 'Print' }));
    await waitFor(() => expect(printed).toEqual(['receipt-PO-1001-r-1']));
    expect(document.title).toBe('Fieldstock');

    await user.click(screen.getByRole('button', { name: 'Back to history' }));
    expect(await movementsTable()).toBeTruthy();
    expect(document.querySelector('style[media="print"]')).toBeNull();
  });

  it('shows a failed print as a message instead of failing silently', async () => {
    const user = userEvent.setup();
    Object.defineProperty(window, 'print', {
      value: () => {
        throw new Error('printing is blocked by policy');
      },
      configurable: true,
    });
    ui.getState().showHistory({ warehouseId: 'w-truck1', productId: 'p-1' });
    renderHistory();
    await movementsTable();
    await user.click(screen.getByRole('button', { name: 'Open receipt r-1' }));
    await user.click(await screen.findByRole('button', { name: 'Print' }, FIND));
    expect((await screen.findByRole('alert', undefined, FIND)).textContent).toContain('printing is blocked by policy');
  });
});

describe('History from a stock row', () => {
  // happy-dom does no layout: give the stock grid's scroller a window's height, or it shows no row (see stock-screen.test.tsx).
  const saved = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight');
  beforeAll(() => Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 480 }));
  afterAll(() => {
    if (saved) Object.defineProperty(HTMLElement.prototype, 'clientHeight', saved);
  });

  it('opens the history of that product in that warehouse', async () => {
    const user = userEvent.setup();
    ui.getState().showStock('w-truck1');
    renderWith(<StockScreen session={{ db, user: TECH }} />);
    await user.click(await screen.findByRole('button', { name: 'History of P-1001' }, FIND));
    expect(ui.getState().screen).toBe('history');
    expect(ui.getState().historyFocus).toEqual({ warehouseId: 'w-truck1', productId: 'p-1' });
  });

  it('opens it from the keyboard too: H on the selected row', async () => {
    ui.getState().showStock('w-truck1');
    renderWith(<StockScreen session={{ db, user: TECH }} />);
    const grid = await screen.findByRole('grid', { name: 'Stock' }, FIND);
    expect(grid.getAttribute('aria-keyshortcuts')).toBe('Enter H');
    await waitFor(() => expect(grid.getAttribute('aria-activedescendant')).toBeTruthy(), FIND);
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'h' });
    // Rows by product number: P-1001, P-1003 (the truck's levels); the second is selected.
    expect(ui.getState()).toMatchObject({ screen: 'history', historyFocus: { warehouseId: 'w-truck1', productId: 'p-3' } });
  });
});
