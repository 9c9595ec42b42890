import { describe, expect, it } from 'vitest';
import { createUiStore } from '../../../renderer/app/ui-store.js';

describe("the History screen's focus in the UI store", () => {
  it('opens History on a warehouse and product, keeps a changed product, and forgets both when the user signs out', () => {
    const ui = createUiStore();
    ui.getState().setSession({ status: 'signed-in', serverUrl: 'http://h', username: 'tech1', role: 'technician' });
    expect(ui.getState().historyFocus).toEqual({ warehouseId: null, productId: null });

    ui.getState().showHistory({ warehouseId: 'w-truck1', productId: 'p-1' });
    expect(ui.getState()).toMatchObject({ screen: 'history', historyFocus: { warehouseId: 'w-truck1', productId: 'p-1' } });

    ui.getState().setHistoryFocus({ productId: 'p-2' });
    ui.getState().navigate('stock');
    ui.getState().navigate('history');
    // Coming back through the menu finds the same product, as the stock filter does.
    expect(ui.getState().historyFocus).toEqual({ warehouseId: 'w-truck1', productId: 'p-2' });

    ui.getState().setSession({ status: 'signed-out', problem: null, serverUrl: null, username: null });
    expect(ui.getState().historyFocus).toEqual({ warehouseId: null, productId: null });
  });
});
