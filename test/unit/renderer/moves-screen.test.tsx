// @vitest-environment happy-dom
/**
 * The stock moves form works with no server at all: adjustments, counts,
 * transfers and parts used are written as pending inventory transactions in
 * the local database, with the shared ledger rules as warnings before saving.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, render, screen, waitFor as waitForDom, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUiStore, UiStoreContext, type UiStore } from '../../../renderer/app/ui-store.js';
import { openDatabase, type FieldstockDatabase } from '../../../renderer/db/database.js';
import type { ActiveSession } from '../../../renderer/session/controller.js';
import { startSyncEngine, type SyncEngine } from '../../../renderer/sync/engine.js';
import { MovesScreen } from '../../../renderer/transactions/MovesScreen.js';
import { memoryPlatform } from './memory-platform.js';
import { FAST_SYNC, waitFor } from './sync-helpers.js';

const OFFLINE_SERVER = 'http://127.0.0.1:9';
const FIND = { timeout: 10_000 };

let db: FieldstockDatabase;
let sync: SyncEngine;
let session: ActiveSession;

beforeAll(() => {
  // See sign-in.test.tsx: happy-dom's cancelled animations reject unhandled; Fluent skips motion without animate().
  Object.defineProperty(Element.prototype, 'animate', { value: undefined, configurable: true });
});

beforeEach(async () => {
  db = await openDatabase({ serverUrl: OFFLINE_SERVER, username: `tech1-${crypto.randomUUID()}`, storage: getRxStorageMemory(), multiInstance: false });
  await db.warehouses.bulkInsert([
    // The truck forbids negative stock, so the form has something to warn about.
    { id: 'w-truck1', code: 'TRUCK-1', name: 'Truck 1', kind: 'truck', externallyMaintained: false, allowNegativeStock: false, active: true },
    { id: 'w-main', code: 'WH-MAIN', name: 'Main warehouse', kind: 'warehouse', externallyMaintained: false, allowNegativeStock: true, active: true },
    { id: 'w-north', code: 'WH-NORTH', name: 'North depot', kind: 'warehouse', externallyMaintained: false, allowNegativeStock: true, active: true },
  ]);
  await db.products.bulkInsert([
    { id: 'p-1', number: 'P-0001', name: 'Copper pipe 15 mm', unit: 'M', barcodes: [], tracking: 'none', active: true },
    { id: 'p-2', number: 'P-0002', name: 'Ball valve 1/2"', unit: 'EA', barcodes: [], tracking: 'none', active: true },
  ]);
  await db.inventory.bulkInsert([
    { id: 'w-truck1~p-1', warehouseId: 'w-truck1', productId: 'p-1', onHand: 10, onOrder: 0, ordered: 0 },
    { id: 'w-truck1~p-2', warehouseId: 'w-truck1', productId: 'p-2', onHand: 4, onOrder: 0, ordered: 0 },
  ]);
  await db.referenceData.bulkInsert([
    { id: 'r-1', kind: 'reason-code', code: 'DAMAGED', name: 'Damaged', active: true },
    { id: 'r-2', kind: 'reason-code', code: 'FOUND', name: 'Found during work', active: true },
    { id: 'u-1', kind: 'unit', code: 'EA', name: 'Each', active: true },
  ]);
  // No network: every request fails, as on the road.
  sync = startSyncEngine({
    ...FAST_SYNC,
    db,
    serverUrl: OFFLINE_SERVER,
    tokens: { token: async () => 'token', afterRejected: async () => {} },
    platform: memoryPlatform(),
    fetch: () => Promise.reject(new TypeError('fetch failed')),
  });
  session = { serverUrl: OFFLINE_SERVER, username: 'tech1', user: { id: 'u', username: 'tech1', role: 'technician', warehouseIds: ['w-truck1'] }, db, sync };
});

afterEach(async () => {
  cleanup();
  await sync.stop();
  await db.close();
});

function renderScreen(ui: UiStore = createUiStore()) {
  render(
    <FluentProvider theme={webLightTheme}>
      <UiStoreContext.Provider value={ui}>
        <MovesScreen session={session} />
      </UiStoreContext.Provider>
    </FluentProvider>,
  );
}

async function saved() {
  return (await db.inventoryTransactions.find().exec()).map((doc) => doc.toJSON());
}

async function chooseProduct(user: ReturnType<typeof userEvent.setup>, text: string, number: string) {
  await user.type(screen.getByRole('combobox', { name: /product/i }), text);
  await user.click(await screen.findByRole('option', { name: new RegExp(number) }, FIND));
}

async function choose(user: ReturnType<typeof userEvent.setup>, field: string, option: RegExp) {
  await user.click(screen.getByRole('combobox', { name: field }));
  await user.click(await screen.findByRole('option', { name: option }, FIND));
}

describe('adjusting stock', () => {
  it('opened from a stock row, starts as an adjustment with that warehouse and product chosen', async () => {
    const ui = createUiStore();
    ui.getState().openAdjust({ warehouseId: 'w-truck1', productId: 'p-2' });
    renderScreen(ui);
    const product = await screen.findByRole('combobox', { name: /product/i }, FIND);
    await waitForDom(() => expect((product as HTMLInputElement).value).toBe('P-0002 Ball valve 1/2"'), FIND);
    expect(screen.getByRole('tab', { name: 'Adjust', selected: true })).toBeTruthy();
    expect(screen.getByRole('form', { name: 'Adjust stock' })).toBeTruthy();
  });

  it('saves a pending adjustment with a reference on the device while offline, lists it as waiting, and the status counts it', async () => {
    const user = userEvent.setup();
    renderScreen();

    // Only the technician's own truck is offered, and it is chosen already.
    const warehouse = await screen.findByRole('combobox', { name: /warehouse or truck/i }, FIND);
    await waitForDom(() => expect(warehouse.textContent).toContain('TRUCK-1 — Truck 1'), FIND);
    await user.click(warehouse);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['TRUCK-1 — Truck 1']);
    await user.keyboard('{Escape}');

    await chooseProduct(user, 'valve', 'P-0002');
    await user.click(screen.getByRole('radio', { name: 'Add to stock' }));
    await user.type(screen.getByRole('textbox', { name: /quantity/i }), '1,5');
    await choose(user, 'Reason', /^Found during work$/);
    await user.type(screen.getByRole('textbox', { name: 'Reference kind' }), 'ticket');
    await user.type(screen.getByRole('textbox', { name: 'Reference number' }), 'T-77');
    await user.type(screen.getByRole('textbox', { name: /note/i }), 'Under the seat');
    await user.click(screen.getByRole('button', { name: 'Save adjustment' }));

    expect((await screen.findByRole('status', {}, FIND)).textContent).toContain('Adjustment of P-0002 saved on this device');
    const docs = await saved();
    expect(docs).toEqual([
      expect.objectContaining({
        type: 'adjustment',
        warehouseId: 'w-truck1',
        productId: 'p-2',
        quantity: 1.5,
        reasonCode: 'FOUND',
        externalReference: { category: 'ticket', id: 'T-77' },
        note: 'Under the seat',
        status: 'pending',
      }),
    ]);
    expect(docs[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    const recent = screen.getByRole('table', { name: 'Recent transactions' });
    const row = (await within(recent).findByText('Waiting to upload', {}, FIND)).closest('tr');
    expect(row?.textContent).toContain('P-0002');
    expect(row?.textContent).toContain('+1.5');
    const status = await waitFor(sync.status$, (s) => s.pendingUploads === 1 && s.connection === 'offline', 'one upload waiting, offline');
    expect(status.lastError?.code).toBe('network-error');
  });

  it('says what is missing instead of saving an incomplete adjustment', async () => {
    const user = userEvent.setup();
    renderScreen();
    await screen.findByRole('combobox', { name: /warehouse or truck/i }, FIND);

    await user.click(screen.getByRole('button', { name: 'Save adjustment' }));

    expect(await screen.findByText('Choose a product.', {}, FIND)).toBeTruthy();
    expect(screen.getByText('Enter a quantity.')).toBeTruthy();
    expect(screen.getByText('Choose a reason.')).toBeTruthy();
    expect(await db.inventoryTransactions.count().exec()).toBe(0);
  });

  it('warns before taking the truck below zero, saves only when the user confirms, and keeps what was typed when saving fails', async () => {
    const user = userEvent.setup();
    renderScreen();
    await screen.findByRole('combobox', { name: /warehouse or truck/i }, FIND);
    await chooseProduct(user, 'valve', 'P-0002');
    await user.type(screen.getByRole('textbox', { name: /quantity/i }), '6');
    await choose(user, 'Reason', /^Damaged$/);
    await user.click(screen.getByRole('button', { name: 'Save adjustment' }));

    const warning = await screen.findByRole('alert', {}, FIND);
    expect(warning.textContent).toContain('TRUCK-1 has 4 on hand; taking 6 would go below zero');
    expect(warning.textContent).toContain('the server decides');
    expect(await db.inventoryTransactions.count().exec()).toBe(0);

    // The device's storage refuses the write (a full disk, say): nothing typed is lost.
    db.inventoryTransactions.preInsert(() => {
      throw new Error('the disk is full');
    }, false);
    await user.click(within(warning).getByRole('button', { name: 'Save anyway' }));
    expect((await screen.findByRole('alert', {}, FIND)).textContent).toContain('the disk is full');
    expect((screen.getByRole('textbox', { name: /quantity/i }) as HTMLInputElement).value).toBe('6');
    expect((screen.getByRole('combobox', { name: /product/i }) as HTMLInputElement).value).toBe('P-0002 Ball valve 1/2"');
    expect(await db.inventoryTransactions.count().exec()).toBe(0);
  });

  it('saves the move the user confirms despite the warning, for the server to decide', async () => {
    const user = userEvent.setup();
    renderScreen();
    await screen.findByRole('combobox', { name: /warehouse or truck/i }, FIND);
    await chooseProduct(user, 'valve', 'P-0002');
    await user.type(screen.getByRole('textbox', { name: /quantity/i }), '6');
    await choose(user, 'Reason', /^Damaged$/);
    await user.click(screen.getByRole('button', { name: 'Save adjustment' }));
    await user.click(within(await screen.findByRole('alert', {}, FIND)).getByRole('button', { name: 'Save anyway' }));

    expect((await screen.findByRole('status', {}, FIND)).textContent).toContain('saved on this device');
    expect(await saved()).toEqual([expect.objectContaining({ type: 'adjustment', productId: 'p-2', quantity: -6, status: 'pending' })]);
  });
});

describe('counting stock', () => {
  it('shows the expected level (server on hand and pending changes) and the variance, and saves a count within tolerance at once', async () => {
    // Already on the device, not uploaded: 2 m of pipe used.
    await db.inventoryTransactions.insert({ id: 't-0', type: 'consumption', warehouseId: 'w-truck1', productId: 'p-1', quantity: 2, externalReference: { category: 'work-order', id: 'WO-1' }, occurredAt: '2026-01-01T10:00:00.000Z', status: 'pending' });
    const user = userEvent.setup();
    const ui = createUiStore();
    ui.getState().openMove({ type: 'count', warehouseId: 'w-truck1', productId: 'p-1' });
    renderScreen(ui);

    expect(await screen.findByText(/Expected level: 8 M/, {}, FIND)).toBeTruthy();
    await user.type(screen.getByRole('textbox', { name: /quantity/i }), '7,5');
    expect(screen.getByText(/Variance: -0.5 M\./)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save count' }));

    expect((await screen.findByRole('status', {}, FIND)).textContent).toContain('Count of P-0001 saved on this device. Counted 7.5 M, expected 8 M: variance -0.5 M.');
    expect((await saved()).find((t) => t.type === 'count')).toMatchObject({ warehouseId: 'w-truck1', productId: 'p-1', quantity: 7.5, status: 'pending' });
  });

  it('a blind count hides the expected level, stops a count beyond tolerance with its variance, and lets the user recount', async () => {
    const user = userEvent.setup();
    const ui = createUiStore();
    ui.getState().openMove({ type: 'count', warehouseId: 'w-truck1', productId: 'p-1' });
    renderScreen(ui);
    expect(await screen.findByText(/Expected level: 10 M/, {}, FIND)).toBeTruthy();

    await user.click(screen.getByRole('switch', { name: /blind count/i }));
    expect(screen.queryByText(/Expected level/)).toBeNull();
    await user.type(screen.getByRole('textbox', { name: /quantity/i }), '5');
    expect(screen.queryByText(/Variance/)).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save count' }));

    const warning = await screen.findByRole('alert', {}, FIND);
    expect(warning.textContent).toContain('Counted 5 M, expected 10 M: variance -5 M, beyond the 10% tolerance');
    expect(await db.inventoryTransactions.count().exec()).toBe(0);
    await user.click(within(warning).getByRole('button', { name: 'Recount' }));
    expect((screen.getByRole('textbox', { name: /quantity/i }) as HTMLInputElement).value).toBe('');

    await user.type(screen.getByRole('textbox', { name: /quantity/i }), '9.5');
    await user.click(screen.getByRole('button', { name: 'Save count' }));
    // Revealed once saved.
    expect((await screen.findByRole('status', {}, FIND)).textContent).toContain('Counted 9.5 M, expected 10 M: variance -0.5 M.');
    expect(await saved()).toEqual([expect.objectContaining({ type: 'count', quantity: 9.5 })]);
    expect(screen.queryByText(/Expected level/)).toBeNull();
  });
});

describe('transferring stock', () => {
  it("offers any warehouse on the other side of the user's own, only the user's own when the other side is not, and saves the transfer", async () => {
    const user = userEvent.setup();
    renderScreen();
    await user.click(await screen.findByRole('tab', { name: 'Transfer' }, FIND));
    expect(screen.getByRole('form', { name: 'Transfer stock' })).toBeTruthy();

    const from = screen.getByRole('combobox', { name: 'From' });
    await waitForDom(() => expect(from.textContent).toContain('TRUCK-1'), FIND);
    await user.click(screen.getByRole('combobox', { name: 'To' }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['WH-MAIN — Main warehouse', 'WH-NORTH — North depot']);
    await user.keyboard('{Escape}');

    // From a warehouse outside the scope: only the user's truck can receive.
    await choose(user, 'From', /^WH-MAIN/);
    await user.click(screen.getByRole('combobox', { name: 'To' }));
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['TRUCK-1 — Truck 1']);
    await user.keyboard('{Escape}');

    await choose(user, 'From', /^TRUCK-1/);
    await choose(user, 'To', /^WH-MAIN/);
    await chooseProduct(user, 'pipe', 'P-0001');
    await user.type(screen.getByRole('textbox', { name: /quantity/i }), '2');
    await user.click(screen.getByRole('button', { name: 'Save transfer' }));

    expect((await screen.findByRole('status', {}, FIND)).textContent).toContain('Transfer of P-0001 saved on this device');
    expect(await saved()).toEqual([expect.objectContaining({ type: 'transfer', warehouseId: 'w-truck1', toWarehouseId: 'w-main', productId: 'p-1', quantity: 2, status: 'pending' })]);
    const row = (await within(screen.getByRole('table', { name: 'Recent transactions' })).findByText('TRUCK-1 → WH-MAIN', {}, FIND)).closest('tr');
    expect(row?.textContent).toContain('Waiting to upload');
  });
});

describe('recording parts used', () => {
  it('needs a work order, records it as the external reference, and keeps it for the next part', async () => {
    const user = userEvent.setup();
    renderScreen();
    await user.click(await screen.findByRole('tab', { name: 'Consume' }, FIND));
    await chooseProduct(user, 'valve', 'P-0002');
    await user.type(screen.getByRole('textbox', { name: /quantity/i }), '1');
    await user.click(screen.getByRole('button', { name: 'Save parts used' }));
    expect(await screen.findByText('Enter the work order the parts were used on.', {}, FIND)).toBeTruthy();

    await user.type(screen.getByRole('textbox', { name: /work order/i }), 'WO-4711');
    await user.click(screen.getByRole('button', { name: 'Save parts used' }));
    expect((await screen.findByRole('status', {}, FIND)).textContent).toContain('Use of P-0002 on work order WO-4711 saved on this device');
    expect(await saved()).toEqual([expect.objectContaining({ type: 'consumption', quantity: 1, externalReference: { category: 'work-order', id: 'WO-4711' } })]);
    expect((screen.getByRole('textbox', { name: /work order/i }) as HTMLInputElement).value).toBe('WO-4711');
  });
});
