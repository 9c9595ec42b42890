// @vitest-environment happy-dom
/**
 * The adjustment form works with no server at all: it writes a pending
 * inventory transaction in the local database, which the sync status counts
 * as waiting for upload.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, render, screen, waitFor as waitForDom, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdjustScreen } from '../../../renderer/adjust/AdjustScreen.js';
import { createUiStore, UiStoreContext, type UiStore } from '../../../renderer/app/ui-store.js';
import { openDatabase, type FieldstockDatabase } from '../../../renderer/db/database.js';
import type { ActiveSession } from '../../../renderer/session/controller.js';
import { startSyncEngine, type SyncEngine } from '../../../renderer/sync/engine.js';
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
    { id: 'w-truck1', code: 'TRUCK-1', name: 'Truck 1', kind: 'truck', externallyMaintained: false, allowNegativeStock: true, active: true },
    { id: 'w-main', code: 'WH-MAIN', name: 'Main warehouse', kind: 'warehouse', externallyMaintained: false, allowNegativeStock: true, active: true },
  ]);
  await db.products.bulkInsert([
    { id: 'p-1', number: 'P-0001', name: 'Copper pipe 15 mm', unit: 'M', barcodes: [], tracking: 'none', active: true },
    { id: 'p-2', number: 'P-0002', name: 'Ball valve 1/2"', unit: 'EA', barcodes: [], tracking: 'none', active: true },
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
        <AdjustScreen session={session} />
      </UiStoreContext.Provider>
    </FluentProvider>,
  );
}

describe('the adjustment form', () => {
  it('opened from a stock row, starts with that warehouse and product chosen', async () => {
    const ui = createUiStore();
    ui.getState().openAdjust({ warehouseId: 'w-truck1', productId: 'p-2' });
    renderScreen(ui);
    const product = await screen.findByRole('combobox', { name: /product/i }, { timeout: 10_000 });
    await waitForDom(() => expect((product as HTMLInputElement).value).toBe('P-0002 Ball valve 1/2"'), { timeout: 10_000 });
  });

  it('saves a pending adjustment on the device while offline, lists it as waiting, and the status counts it', async () => {
    const user = userEvent.setup();
    renderScreen();

    // Only the technician's own truck is offered, and it is chosen already.
    const warehouse = await screen.findByRole('combobox', { name: /warehouse or truck/i }, FIND);
    await waitForDom(() => expect(warehouse.textContent).toContain('TRUCK-1 — Truck 1'), FIND);
    await user.click(warehouse);
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['TRUCK-1 — Truck 1']);
    await user.keyboard('{Escape}');

    await user.type(screen.getByRole('combobox', { name: /product/i }), 'valve');
    await user.click(await screen.findByRole('option', { name: /P-0002/ }, FIND));
    await user.click(screen.getByRole('radio', { name: 'Add to stock' }));
    await user.type(screen.getByRole('textbox', { name: /quantity/i }), '1,5');
    await user.click(screen.getByRole('combobox', { name: /reason/i }));
    await user.click(await screen.findByRole('option', { name: 'Found during work' }, FIND));
    await user.type(screen.getByRole('textbox', { name: /note/i }), 'Under the seat');
    await user.click(screen.getByRole('button', { name: 'Save adjustment' }));

    expect((await screen.findByRole('status', {}, FIND)).textContent).toContain('saved on this device');
    const saved = (await db.inventoryTransactions.find().exec()).map((doc) => doc.toJSON());
    expect(saved).toEqual([
      expect.objectContaining({ type: 'adjustment', warehouseId: 'w-truck1', productId: 'p-2', quantity: 1.5, reasonCode: 'FOUND', note: 'Under the seat', status: 'pending' }),
    ]);
    expect(saved[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    const recent = screen.getByRole('table', { name: 'Recent transactions' });
    expect(await within(recent).findByText('Waiting to upload', {}, FIND)).toBeTruthy();
    expect(within(recent).getByText(/P-0002/)).toBeTruthy();
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
});

