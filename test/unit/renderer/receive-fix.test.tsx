// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
/**
 * Fixing a rejected receipt against a real backend: an over-receipt the
 * server refuses shows in Needs attention; "Fix" opens the order on Receive
 * with the rejected quantities and the reason; the user lowers the quantity
 * and saves; the new receipt posts and names the rejected one, which moves to
 * Resolved and is never changed. An order that can no longer be received
 * offers nothing to save, and the rejected receipt stays to fix.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render, screen, waitFor as waitForDom, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Product, PurchaseOrder, Receipt } from '../../../shared/collections.js';
import { AttentionScreen } from '../../../renderer/attention/AttentionScreen.js';
import { createUiStore, UiStoreContext, useUi, type UiStore } from '../../../renderer/app/ui-store.js';
import { ReceiveScreen } from '../../../renderer/receive/ReceiveScreen.js';
import { type ActiveSession } from '../../../renderer/session/controller.js';
import { demo, pullAll, pushNew } from '../../helpers/server.js';
import { useLiveBackend } from './live-backend.js';
import { waitFor } from './sync-helpers.js';

const FIND = { timeout: 30_000 };

const GASKET: Product = {
  id: crypto.randomUUID(),
  number: 'FIX-GASKET',
  name: 'Flange gasket DN50',
  unit: 'EA',
  barcodes: [],
  tracking: 'none',
  active: true,
  unitConversions: [{ unit: 'BOX', factor: 10 }],
};
function order(number: string, quantityOrdered: number): PurchaseOrder {
  return {
    id: crypto.randomUUID(),
    number,
    vendorName: 'Pacific Supply Co.',
    status: 'open',
    warehouseId: demo.warehouse('TRUCK-1'),
    orderDate: '2026-11-02T08:00:00.000Z',
    lines: [{ lineNumber: 1, productId: GASKET.id, quantityOrdered, quantityReceived: 0, unit: 'BOX' }],
  };
}
// No tolerance on the product or the vendor: anything beyond the ordered quantity is refused.
const TO_FIX = order('PO-FIX-1', 5);
const RECEIVED_SINCE = order('PO-FIX-2', 2);

let adminToken: string;
const backend = useLiveBackend(async (server) => {
  adminToken = await server.token('admin');
  for (const [collection, docs] of [
    ['products', [GASKET]],
    ['purchaseOrders', [TO_FIX, RECEIVED_SINCE]],
  ] as const) {
    const pushed = await pushNew(server, adminToken, collection, docs.map((doc) => ({ ...doc, _deleted: false })));
    expect(pushed, `seeding ${collection}`).toMatchObject({ status: 200, body: [] });
  }
});
const signIn = (username: string) => backend.signIn(username);

/** What the Receive form writes for `quantity` boxes on line 1; waits for the server's answer. */
async function receiveOnDevice(session: ActiveSession, po: PurchaseOrder, quantity: number, expected: 'posted' | 'rejected') {
  const id = crypto.randomUUID();
  await session.db.receipts.insert({
    id,
    purchaseOrderId: po.id,
    warehouseId: po.warehouseId,
    receivedAt: new Date().toISOString(),
    note: 'delivery note 4711',
    lines: [{ lineNumber: 1, productId: GASKET.id, quantity, unit: 'BOX' }],
    status: 'pending',
  });
  const answered = await waitFor(session.db.receipts.findOne(id).$, (doc) => doc !== null && doc.status !== 'pending', `the server to answer receipt ${quantity} BOX`);
  expect(answered?.status, answered?.error?.message).toBe(expected);
  return answered?.toJSON() as Receipt;
}

/** Needs attention and Receive, switched by the UI store as the app shell does. */
function Screens({ session }: { session: ActiveSession }) {
  const current = useUi((s) => s.screen);
  return <main>{current === 'receive' ? <ReceiveScreen session={session} /> : <AttentionScreen session={session} />}</main>;
}

function renderScreens(session: ActiveSession): UiStore {
  const ui = createUiStore();
  ui.getState().navigate('attention');
  render(
    <FluentProvider theme={webLightTheme}>
      <UiStoreContext.Provider value={ui}>
        <Screens session={session} />
      </UiStoreContext.Provider>
    </FluentProvider>,
  );
  return ui;
}

async function rejectedRow(poNumber: string): Promise<HTMLElement> {
  const table = await screen.findByRole('table', { name: 'Rejected documents' }, FIND);
  const row = (await within(table).findByText(`Receipt: ${poNumber} (1 line)`, {}, FIND)).closest('tr');
  if (!row) throw new Error(`no row for ${poNumber}`);
  return row;
}

describe('fixing a rejected receipt', () => {
  it('Fix opens Receive with the rejected quantities; a lower quantity saves a new receipt that posts, and the rejected one is resolved', async () => {
    const session = await signIn('tech1');
    const rejected = await receiveOnDevice(session, TO_FIX, 7, 'rejected');
    expect(rejected.error?.code).toBe('over-receipt');
    const reason = rejected.error?.message ?? '';

    const ui = renderScreens(session);
    const user = userEvent.setup();
    const row = await rejectedRow('PO-FIX-1');
    expect(row.textContent).toContain(reason);
    expect(row.textContent).toContain('over-receipt');
    expect(row.textContent).toContain('7 BOX');
    await user.click(within(row).getByRole('button', { name: /^Fix receipt PO-FIX-1/ }));

    // The order opens directly (no list), with the reason in a banner that has the focus, so a screen reader reads it first.
    expect(ui.getState()).toMatchObject({ screen: 'receive', receivePrefill: { purchaseOrderId: TO_FIX.id, correctsId: rejected.id } });
    const banner = await screen.findByRole('region', { name: /^Correcting rejected receipt of .+ — / }, FIND);
    expect(banner.textContent).toContain(reason);
    expect(banner.textContent).toContain('Saving makes a new receipt that corrects it');
    expect(document.activeElement).toBe(banner);
    expect(screen.getByRole('heading', { name: 'Receive PO-FIX-1' })).toBeTruthy();
    const quantity = (await screen.findByRole('textbox', { name: /^Receive now, line 1 FIX-GASKET in BOX/ }, FIND)) as HTMLInputElement;
    expect(quantity.value).toBe('7');
    // The note is carried over as the user wrote it; the correction marker is added on save, not typed by anyone.
    expect((screen.getByRole('textbox', { name: /^Note/ }) as HTMLTextAreaElement).value).toBe('delivery note 4711');

    // Only 5 were ordered: the user lowers the quantity and saves. Within the order, so no over-receipt warning.
    await user.clear(quantity);
    await user.type(quantity, '5');
    expect(screen.getByText('5 BOX = 50 EA')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save receipt' }));
    expect((await screen.findByRole('status', {}, FIND)).textContent).toContain('Receipt of 1 line saved on this device');
    expect((await screen.findByRole('region', { name: 'Rejected receipt corrected' }, FIND)).textContent).toContain('left Needs attention');

    const fixes = (await session.db.receipts.find({ selector: { purchaseOrderId: TO_FIX.id } }).exec()).map((d) => d.toJSON()).filter((r) => r.id !== rejected.id);
    expect(fixes).toEqual([
      expect.objectContaining({ note: `delivery note 4711 [corrects ${rejected.id}]`, lines: [{ lineNumber: 1, productId: GASKET.id, quantity: 5, unit: 'BOX' }] }),
    ]);
    const fixId = fixes[0]?.id ?? '';
    const posted = await waitFor(session.db.receipts.findOne(fixId).$, (doc) => doc?.status === 'posted', 'the correcting receipt to post');
    expect(posted?.journalId).toEqual(expect.any(String));
    // The server received 5 boxes once; the rejected receipt is the server's record, unchanged there and here.
    const serverOrder = (await pullAll<PurchaseOrder>(backend.server(), adminToken, 'purchaseOrders')).find((p) => p.id === TO_FIX.id);
    expect(serverOrder).toMatchObject({ status: 'received', lines: [expect.objectContaining({ quantityReceived: 5 })] });
    expect((await session.db.receipts.findOne(rejected.id).exec())?.toJSON()).toEqual(rejected);
    expect((await pullAll<Receipt>(backend.server(), adminToken, 'receipts')).find((r) => r.id === rejected.id)).toMatchObject({ status: 'rejected', error: rejected.error });

    // Back in Needs attention: nothing open, and the rejected receipt is resolved by the new one.
    ui.getState().navigate('attention');
    expect(await screen.findByText(/Nothing needs attention/, {}, FIND)).toBeTruthy();
    const resolved = screen.getByRole('table', { name: 'Resolved' });
    await waitForDom(() => expect(within(resolved).getByText(`resolved by ${fixId}`).closest('tr')?.textContent).toContain('Posted'), FIND);
    expect(within(resolved).getByText(`resolved by ${fixId}`).closest('tr')?.textContent).toContain('Receipt: PO-FIX-1');
  });

  it('an order received in full since offers nothing to save, and the rejected receipt stays to fix', async () => {
    const session = await signIn('tech1');
    const rejected = await receiveOnDevice(session, RECEIVED_SINCE, 3, 'rejected');
    await receiveOnDevice(session, RECEIVED_SINCE, 2, 'posted');
    await waitFor(session.db.purchaseOrders.findOne(RECEIVED_SINCE.id).$, (doc) => doc?.status === 'received', 'the order to come back received');

    const ui = renderScreens(session);
    const user = userEvent.setup();
    await user.click(within(await rejectedRow('PO-FIX-2')).getByRole('button', { name: /^Fix receipt PO-FIX-2/ }));

    const banner = await screen.findByRole('region', { name: /^Correcting rejected receipt of .+ — / }, FIND);
    expect(banner.textContent).toContain(rejected.error?.message ?? '?');
    expect(banner.textContent).toContain('PO-FIX-2 is received, so the server accepts no more receipts for it');
    expect(banner.textContent).toContain('stays in Needs attention');
    expect((screen.getByRole('button', { name: 'Save receipt' }) as HTMLButtonElement).disabled).toBe(true);
    // What was rejected is shown for reference, in a field that cannot be changed.
    const quantity = (await screen.findByRole('textbox', { name: /^Receive now, line 1 FIX-GASKET in BOX/ }, FIND)) as HTMLInputElement;
    expect([quantity.value, quantity.disabled]).toEqual(['3', true]);

    // Back to the list: the prefill is gone, and the received order is not offered any more.
    await user.click(screen.getByRole('button', { name: 'Back to open orders' }));
    expect(ui.getState().receivePrefill).toBeNull();
    const list = await screen.findByRole('table', { name: 'Open purchase orders' }, FIND);
    expect(within(list).queryByText('PO-FIX-2')).toBeNull();

    ui.getState().navigate('attention');
    const row = await rejectedRow('PO-FIX-2');
    expect(row.textContent).toContain(rejected.error?.message ?? '?');
    // (The first test's receipts reach this device too; its resolved one is another order.)
    expect(screen.queryByRole('table', { name: 'Resolved' })?.textContent ?? '').not.toContain('PO-FIX-2');
  });
});
