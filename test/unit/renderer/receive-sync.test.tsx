// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
/**
 * The Receive screen against a real backend: a technician sees the orders of
 * their truck only, a receipt in boxes uploads and comes back posted once,
 * the order's received quantity follows live, and a receipt the server
 * refuses shows its reason. (happy-dom's fetch is told the backend is not a
 * foreign origin: in the product the page and the API share one.)
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render, screen, waitFor as waitForDom, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Journal, Product, PurchaseOrder, Receipt } from '../../../shared/collections.js';
import { createUiStore, UiStoreContext } from '../../../renderer/app/ui-store.js';
import { ReceiveScreen } from '../../../renderer/receive/ReceiveScreen.js';
import { demo, pullAll, pushNew } from '../../helpers/server.js';
import { useLiveBackend } from './live-backend.js';

const FIND = { timeout: 30_000 };

// Bought in boxes of 12, stocked in each: seeded by the admin, as the ERP would send them.
const BOLT: Product = {
  id: crypto.randomUUID(),
  number: 'RCV-BOLT',
  name: 'Hex bolt M8',
  unit: 'EA',
  barcodes: ['2000000000015'],
  tracking: 'none',
  active: true,
  unitConversions: [{ unit: 'BOX', factor: 12 }],
};
const ORDER: PurchaseOrder = {
  id: crypto.randomUUID(),
  number: 'PO-RCV-1',
  vendorName: 'Pacific Supply Co.',
  status: 'open',
  warehouseId: demo.warehouse('TRUCK-1'),
  orderDate: '2026-11-02T08:00:00.000Z',
  expectedDate: '2026-11-03T08:00:00.000Z',
  lines: [{ lineNumber: 1, productId: BOLT.id, quantityOrdered: 5, quantityReceived: 0, unit: 'BOX' }],
};

let adminToken: string;
const backend = useLiveBackend(async (server) => {
  adminToken = await server.token('admin');
  for (const [collection, doc] of [
    ['products', BOLT],
    ['purchaseOrders', ORDER],
  ] as const) {
    const pushed = await pushNew(server, adminToken, collection, [{ ...doc, _deleted: false }]);
    expect(pushed, `seeding ${collection}`).toMatchObject({ status: 200, body: [] });
  }
});
const signIn = (username: string) => backend.signIn(username);

describe('receiving against the real backend', () => {
  it('tech1 receives 2 boxes of 5: posted once, the order shows 2 received live, and an over-receipt saved anyway is rejected with the reason', async () => {
    const session = await signIn('tech1');
    const user = userEvent.setup();
    render(
      <FluentProvider theme={webLightTheme}>
        <UiStoreContext.Provider value={createUiStore()}>
          <ReceiveScreen session={session} />
        </UiStoreContext.Provider>
      </FluentProvider>,
    );

    // Only TRUCK-1's orders: the seeded one and the demo's PO-2003, not WH-MAIN's PO-2001.
    const list = await screen.findByRole('table', { name: 'Open purchase orders' }, FIND);
    await within(list).findByText('PO-RCV-1', {}, FIND);
    const numbers = within(list).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0]?.textContent);
    expect(numbers).toContain('PO-2003');
    expect(numbers).not.toContain('PO-2001');
    expect(within(list).getAllByText('TRUCK-1 — Truck 1 (Ana)').length).toBe(numbers.length);

    await user.click(within(list).getByRole('button', { name: 'Receive PO-RCV-1' }));
    const quantity = await screen.findByRole('textbox', { name: /^Receive now, line 1 RCV-BOLT in BOX/ }, FIND);
    await user.type(quantity, '2');
    expect(screen.getByText('2 BOX = 24 EA')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save receipt' }));
    await screen.findByText(/saved on this device/, {}, FIND);

    const history = screen.getByRole('table', { name: 'Receipts for this PO' });
    expect(await within(history).findByText('Posted', {}, FIND)).toBeTruthy();
    const row = () => within(screen.getByRole('table', { name: 'Purchase order lines' })).getAllByRole('row')[1] as HTMLElement;
    // The server's quantity, and nothing counted twice once the receipt is no longer pending.
    await waitForDom(() => expect(within(row()).getAllByRole('cell').map((c) => c.textContent).slice(2, 5)).toEqual(['5', '2', '3']), FIND);

    const [receipt] = (await session.db.receipts.find().exec()).map((d) => d.toJSON());
    const journals = (await pullAll<Journal>(backend.server(), adminToken, 'journals')).filter((j) => j.sourceCollection === 'receipts' && j.sourceId === receipt?.id);
    expect(journals).toHaveLength(1);
    const serverOrder = (await pullAll<PurchaseOrder>(backend.server(), adminToken, 'purchaseOrders')).find((p) => p.id === ORDER.id);
    expect(serverOrder).toMatchObject({ status: 'partially-received', lines: [expect.objectContaining({ quantityReceived: 2 })] });

    // 2 + 4 of 5 with no tolerance anywhere: the device warns, the user saves anyway, the server refuses.
    await user.type(quantity, '4');
    await user.click(screen.getByRole('button', { name: 'Save receipt' }));
    const dialog = await screen.findByRole('alertdialog', { hidden: true }, FIND); // hidden: see receive-screen.test.tsx
    await user.click(within(dialog).getByRole('button', { name: 'Save anyway', hidden: true }));
    expect(await within(history).findByText('Rejected', {}, FIND)).toBeTruthy();
    expect(within(history).getByText(/Line 1 of PO-RCV-1/).textContent).toMatch(/receiving 4/);
    const rejected = (await pullAll<Receipt>(backend.server(), adminToken, 'receipts')).filter((r) => r.purchaseOrderId === ORDER.id);
    expect(rejected.map((r) => [r.status, r.error?.code ?? null]).sort()).toEqual([
      ['posted', null],
      ['rejected', 'over-receipt'],
    ]);
    await waitForDom(() => expect(within(row()).getAllByRole('cell').map((c) => c.textContent).slice(2, 5)).toEqual(['5', '2', '3']), FIND);
  });
});
