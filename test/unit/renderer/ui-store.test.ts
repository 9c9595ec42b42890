/**
 * The UI store holds UI state only: after a full sync it is still small,
 * plain data with no document in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUiStore, isScreen } from '../../../renderer/app/ui-store.js';
import { SessionController } from '../../../renderer/session/controller.js';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../../helpers/server.js';
import { memoryPlatform } from './memory-platform.js';
import { deviceStorage, FAST_SYNC, waitFor } from './sync-helpers.js';

/** Every value reachable from `value` that is neither a primitive nor a function (the store's actions). */
function objectsIn(value: unknown, path = 'state', found: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return found;
  found.push(path);
  for (const [key, child] of Object.entries(value)) objectsIn(child, `${path}.${key}`, found);
  return found;
}

describe('the UI store', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demo: true });
  });
  afterAll(async () => {
    server?.fieldstock.app.server.closeAllConnections();
    await server?.close();
  });

  it('holds no domain documents, even after a full sync and some navigation', async () => {
    const ui = createUiStore();
    const controller = new SessionController({
      platform: memoryPlatform(),
      onView: (view) => ui.getState().setSession(view),
      storage: deviceStorage(),
      multiInstance: false,
      sync: FAST_SYNC,
    });
    await controller.signIn(server.url, 'tech1', DEMO_PASSWORD);
    const session = controller.active;
    if (!session) throw new Error('not signed in');
    await waitFor(session.sync.status$, (s) => s.firstSync.done, 'the first sync');
    const product = (await session.db.products.findOne().exec(true)).toJSON();
    ui.getState().navigate('stock');
    ui.getState().setStockFilter({ text: product.number });
    ui.getState().openDialog('sign-out');

    const state = ui.getState();
    expect(objectsIn(state).sort()).toEqual(['state', 'state.historyFocus', 'state.session', 'state.stockFilter'].sort());
    const json = JSON.stringify(state);
    expect(json.length).toBeLessThan(400);
    expect(json).not.toContain(product.id);
    expect(json).not.toContain(product.name);
    // The password typed at sign-in is not kept anywhere in the store either.
    expect(json).not.toContain(DEMO_PASSWORD);
    expect(state.session).toEqual({ status: 'signed-in', serverUrl: server.url, username: 'tech1', role: 'technician' });

    await controller.signOut();
    // The next user starts on the first screen with no filter or dialog left over.
    expect(ui.getState()).toMatchObject({ screen: 'warehouses', stockFilter: { warehouseId: null, text: '' }, dialog: null, session: { status: 'signed-out' } });
  });

  it('accepts only the known screens', () => {
    expect(['warehouses', 'stock', 'moves', 'attention'].every(isScreen)).toBe(true);
    expect(isScreen('adjust')).toBe(false);
    expect(isScreen('settings')).toBe(false);
    expect(isScreen(undefined)).toBe(false);
  });
});
