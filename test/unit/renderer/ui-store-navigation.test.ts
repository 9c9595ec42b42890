/** Navigation between the stock, warehouses and adjustment screens carries ids only, through the UI store. */
import { describe, expect, it } from 'vitest';
import { createUiStore } from '../../../renderer/app/ui-store.js';

describe('navigation in the UI store', () => {
  it('"Adjust" on a stock row opens the adjustment screen with the warehouse and product, and the menu clears it', () => {
    const ui = createUiStore();
    ui.getState().openAdjust({ warehouseId: 'w-truck1', productId: 'p-2' });
    expect(ui.getState()).toMatchObject({ screen: 'adjust', adjustPrefill: { warehouseId: 'w-truck1', productId: 'p-2' } });

    ui.getState().navigate('stock');
    ui.getState().navigate('adjust');
    expect(ui.getState().adjustPrefill).toBeNull();
  });

  it('"View stock" opens the stock screen on that warehouse with no search left from before', () => {
    const ui = createUiStore();
    ui.getState().setStockFilter({ warehouseId: 'w-main', text: 'valve' });
    ui.getState().showStock('w-tac');
    expect(ui.getState()).toMatchObject({ screen: 'stock', stockFilter: { warehouseId: 'w-tac', text: '' } });
  });

  it('signing out forgets a pending prefill', () => {
    const ui = createUiStore();
    ui.getState().setSession({ status: 'signed-in', serverUrl: 'http://h', username: 'tech1', role: 'technician' });
    ui.getState().openAdjust({ warehouseId: 'w', productId: 'p' });
    ui.getState().setSession({ status: 'signed-out', problem: null, serverUrl: null, username: null });
    expect(ui.getState()).toMatchObject({ screen: 'warehouses', adjustPrefill: null });
  });
});
