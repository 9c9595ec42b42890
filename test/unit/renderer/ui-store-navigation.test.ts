/** Navigation between the stock, warehouses, stock moves and needs-attention screens carries ids only, through the UI store. */
import { describe, expect, it } from 'vitest';
import { createUiStore } from '../../../renderer/app/ui-store.js';

describe('navigation in the UI store', () => {
  it('"Adjust" on a stock row opens the stock moves screen as an adjustment of that warehouse and product, and the menu clears it', () => {
    const ui = createUiStore();
    ui.getState().openAdjust({ warehouseId: 'w-truck1', productId: 'p-2' });
    expect(ui.getState()).toMatchObject({ screen: 'moves', movePrefill: { type: 'adjustment', warehouseId: 'w-truck1', productId: 'p-2' } });

    ui.getState().navigate('stock');
    ui.getState().navigate('moves');
    expect(ui.getState().movePrefill).toBeNull();
  });

  it('"Fix" in Needs attention opens the matching form with the id of the rejected document only', () => {
    const ui = createUiStore();
    ui.getState().navigate('attention');
    ui.getState().openMove({ type: 'transfer', correctsId: 'rejected-1' });
    expect(ui.getState()).toMatchObject({ screen: 'moves', movePrefill: { type: 'transfer', correctsId: 'rejected-1' } });
  });

  it('"Fix" on a rejected receipt opens Receive on its order with the two ids only, and the menu clears it', () => {
    const ui = createUiStore();
    ui.getState().navigate('attention');
    ui.getState().openReceive({ purchaseOrderId: 'po-1', correctsId: 'receipt-1' });
    expect(ui.getState()).toMatchObject({ screen: 'receive', receivePrefill: { purchaseOrderId: 'po-1', correctsId: 'receipt-1' }, movePrefill: null });
    expect(Object.keys(ui.getState().receivePrefill ?? {}).sort()).toEqual(['correctsId', 'purchaseOrderId']);

    ui.getState().navigate('receive');
    expect(ui.getState()).toMatchObject({ screen: 'receive', receivePrefill: null });
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
    ui.getState().openReceive({ purchaseOrderId: 'po', correctsId: 'r' });
    ui.getState().setSession({ status: 'signed-out', problem: null, serverUrl: null, username: null });
    expect(ui.getState()).toMatchObject({ screen: 'warehouses', movePrefill: null, receivePrefill: null });
  });
});
