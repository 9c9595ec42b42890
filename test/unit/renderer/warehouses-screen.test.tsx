// @vitest-environment happy-dom
/**
 * The warehouses screen: search and kind filter, "Nearby" ordering from the
 * device's position or typed coordinates, the details of one site and the
 * way to its stock.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../../shared/collections.js';
import type { GeoPosition } from '../../../shared/platform.js';
import type { SessionUser } from '../../../shared/wire.js';
import { ServicesContext, type AppServices } from '../../../renderer/app/services.js';
import { createUiStore, UiStoreContext, type UiStore } from '../../../renderer/app/ui-store.js';
import { openDatabase, type FieldstockDatabase } from '../../../renderer/db/database.js';
import { SessionController } from '../../../renderer/session/controller.js';
import { WarehousesScreen } from '../../../renderer/warehouses/WarehousesScreen.js';
import { memoryPlatform } from './memory-platform.js';

const FIND = { timeout: 10_000 };
const SEATTLE: GeoPosition = { latitude: 47.6062, longitude: -122.3321 };
const TECH: SessionUser = { id: 'u', username: 'tech1', role: 'technician', warehouseIds: ['w-truck1', 'w-tac'] };

function site(id: string, code: string, name: string, kind: Warehouse['kind'], extra: Partial<Warehouse> = {}): Warehouse {
  return { id, code, name, kind, externallyMaintained: false, allowNegativeStock: true, active: true, ...extra };
}

const WAREHOUSES: Warehouse[] = [
  site('w-tac', 'TAC', 'Tacoma depot', 'warehouse', { address: '1 Pacific Ave, Tacoma', latitude: 47.2529, longitude: -122.4443, allowNegativeStock: false }),
  site('w-eve', 'EVE', 'Everett depot', 'warehouse', { address: '2 Hewitt Ave, Everett', latitude: 47.979, longitude: -122.2021, externallyMaintained: true }),
  site('w-bel', 'BEL', 'Bellevue store', 'warehouse', { address: '3 Main St, Bellevue', latitude: 47.6101, longitude: -122.2015 }),
  site('w-truck1', 'TRUCK-1', 'Truck 1', 'truck'),
];

let db: FieldstockDatabase;
let ui: UiStore;

beforeAll(() => {
  // See sign-in.test.tsx: happy-dom's cancelled animations reject unhandled; Fluent skips motion without animate().
  Object.defineProperty(Element.prototype, 'animate', { value: undefined, configurable: true });
});

beforeEach(async () => {
  db = await openDatabase({ serverUrl: 'http://127.0.0.1:9', username: `tech1-${crypto.randomUUID()}`, storage: getRxStorageMemory(), multiInstance: false });
  await db.warehouses.bulkInsert(WAREHOUSES);
  ui = createUiStore();
});

afterEach(async () => {
  cleanup();
  await db.close();
});

function renderScreen(position: GeoPosition | null = SEATTLE) {
  const platform = { ...memoryPlatform(), currentPosition: async () => position };
  const services = { platform, controller: new SessionController({ platform, onView: () => {} }), defaultServerUrl: 'http://127.0.0.1:9' } satisfies AppServices;
  render(
    <FluentProvider theme={webLightTheme}>
      <ServicesContext.Provider value={services}>
        <UiStoreContext.Provider value={ui}>
          <WarehousesScreen session={{ db, user: TECH }} />
        </UiStoreContext.Provider>
      </ServicesContext.Provider>
    </FluentProvider>,
  );
}

const table = () => screen.getByRole('table', { name: 'Warehouses' });
const rows = () => within(table()).getAllByRole('row').slice(1);
const column = (index: number) => rows().map((row) => within(row).getAllByRole('cell')[index]?.textContent ?? '');
const codeButtons = () => rows().map((row) => within(row).getByRole('button'));

describe('the warehouses screen', () => {
  it('lists every warehouse and truck by code', async () => {
    renderScreen();
    await screen.findByRole('table', { name: 'Warehouses' }, FIND);
    expect(column(0)).toEqual(['BEL', 'EVE', 'TAC', 'TRUCK-1']);
    expect(table().getAttribute('aria-rowcount')).toBe('5');
  });

  it('orders nearby first by distance from typed coordinates, with the distance in km', async () => {
    const user = userEvent.setup();
    renderScreen();
    await screen.findByRole('table', { name: 'Warehouses' }, FIND);

    await user.type(screen.getByRole('textbox', { name: 'Latitude' }), '47.6062');
    await user.type(screen.getByRole('textbox', { name: 'Longitude' }), '-122.3321');

    await waitFor(() => expect(column(0)).toEqual(['BEL', 'TAC', 'EVE', 'TRUCK-1']), FIND);
    expect(column(4)).toEqual(['9.8 km', '40.2 km', '42.6 km', 'No coordinates']);
    expect(screen.getByRole('radio', { name: 'Nearby first' })).toHaveProperty('checked', true);

    await user.click(screen.getByRole('radio', { name: 'By code' }));
    expect(column(0)).toEqual(['BEL', 'EVE', 'TAC', 'TRUCK-1']);
  });

  it("orders by distance from the device's position on “Use my location”", async () => {
    const user = userEvent.setup();
    renderScreen(SEATTLE);
    await screen.findByRole('table', { name: 'Warehouses' }, FIND);

    await user.click(screen.getByRole('button', { name: 'Use my location' }));

    await waitFor(() => expect(column(0)).toEqual(['BEL', 'TAC', 'EVE', 'TRUCK-1']), FIND);
    expect(screen.getByRole('textbox', { name: 'Latitude' })).toHaveProperty('value', '47.6062');
    expect(screen.getByRole('textbox', { name: 'Longitude' })).toHaveProperty('value', '-122.3321');
  });

  it('asks for coordinates when the position is not available', async () => {
    const user = userEvent.setup();
    renderScreen(null);
    await user.click(await screen.findByRole('button', { name: 'Use my location' }, FIND));
    expect((await screen.findByRole('alert', {}, FIND)).textContent).toContain('Enter latitude and longitude instead');
  });

  it('narrows by code, name or address and by kind', async () => {
    const user = userEvent.setup();
    renderScreen();
    const search = await screen.findByRole('searchbox', { name: 'Search warehouses' }, FIND);

    await user.type(search, 'hewitt');
    await waitFor(() => expect(column(0)).toEqual(['EVE']), FIND);
    await user.clear(search);
    await user.click(screen.getByRole('radio', { name: 'Trucks' }));
    await waitFor(() => expect(column(0)).toEqual(['TRUCK-1']), FIND);
    await user.type(search, 'depot');
    expect((await screen.findByRole('status', {}, FIND)).textContent).toBe('No warehouse or truck matches the search.');
  });

  it('shows the details of the selected warehouse and opens its stock when it is in scope', async () => {
    const user = userEvent.setup();
    renderScreen();
    await screen.findByRole('table', { name: 'Warehouses' }, FIND);

    await user.click(within(table()).getByRole('button', { name: 'TAC' }));
    const details = screen.getByRole('region', { name: 'TAC — Tacoma depot' });
    const text = details.textContent ?? '';
    for (const expected of ['1 Pacific Ave, Tacoma', '47.2529, -122.4443', 'Not allowed: a change below zero is rejected', 'Externally maintained', 'No']) {
      expect(text).toContain(expected);
    }
    await user.click(within(details).getByRole('button', { name: 'View stock' }));
    expect(ui.getState()).toMatchObject({ screen: 'stock', stockFilter: { warehouseId: 'w-tac', text: '' } });
  });

  it('moves the selection with the arrow keys, and offers no stock view outside the scope', async () => {
    const user = userEvent.setup();
    renderScreen();
    await screen.findByRole('table', { name: 'Warehouses' }, FIND);

    // The list is one tab stop: the first code until a row is selected.
    expect(codeButtons().map((button) => button.tabIndex)).toEqual([0, -1, -1, -1]);
    await user.click(codeButtons()[0] ?? table());
    await user.keyboard('{ArrowDown}');
    expect(rows()[1]?.getAttribute('aria-current')).toBe('true');
    expect(document.activeElement).toBe(codeButtons()[1]);
    expect(codeButtons().map((button) => button.tabIndex)).toEqual([-1, 0, -1, -1]);
    const details = screen.getByRole('region', { name: 'EVE — Everett depot' });
    expect(details.textContent).toContain('Yes: the ERP is the master of on hand');
    expect(within(details).queryByRole('button', { name: 'View stock' })).toBeNull();
    expect(details.textContent).toContain('Not in your scope');
  });
});
