// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
/**
 * A posted document the ERP refused, on a device synced with a real
 * backend: when the backend marks it (erpError, written as the outbox hooks
 * write it) the device pulls the mark, Needs attention lists it under
 * "Refused by the ERP" with the ERP's message and in plain words what to do,
 * apart from local rejections and without "Fix", the navigation counts it,
 * and the Stock moves list shows it next to "Posted". When the backend clears
 * the mark, all of it goes. Also the Receive screen's receipt list, and the
 * gathering rules on their own.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render, screen, waitFor as waitForDom, within } from '@testing-library/react';
import type { DeepReadonly } from 'rxdb';
import { describe, expect, it } from 'vitest';
import type { InventoryTransaction, Receipt } from '../../../shared/collections.js';
import { putErpError, refusalOf } from '../../../server/erp/refusals/mark.js';
import { loadDocs, writeTransaction } from '../../../server/store/write.js';
import { AttentionCount } from '../../../renderer/attention/AttentionCount.js';
import { gatherAttention } from '../../../renderer/attention/attention-items.js';
import { AttentionScreen } from '../../../renderer/attention/AttentionScreen.js';
import { createUiStore, UiStoreContext, useUi } from '../../../renderer/app/ui-store.js';
import { ReceiptHistory } from '../../../renderer/receive/ReceiptHistory.js';
import type { ActiveSession } from '../../../renderer/session/controller.js';
import { MovesScreen } from '../../../renderer/transactions/MovesScreen.js';
import { demo } from '../../helpers/server.js';
import { useLiveBackend } from './live-backend.js';
import { waitFor } from './sync-helpers.js';

const FIND = { timeout: 30_000 };
const truck1 = demo.warehouse('TRUCK-1');
const product = demo.product('P-1004');
const REFUSAL = { code: 'erp-unknown-product', message: 'Tryton has no product "P-1004".' };

const backend = useLiveBackend();

function Screens({ session }: { session: ActiveSession }) {
  const current = useUi((s) => s.screen);
  return (
    <>
      <nav aria-label="Main">
        Needs attention <AttentionCount db={session.db} />
      </nav>
      <main>{current === 'moves' ? <MovesScreen session={session} /> : <AttentionScreen session={session} />}</main>
    </>
  );
}

/** Sets (refusal) or clears (undefined) the mark in the backend's store, as the outbox hooks do. */
async function markOnServer(id: string, refusal: typeof REFUSAL | undefined): Promise<void> {
  const { ctx } = backend.server().fieldstock;
  await writeTransaction(ctx.store, ctx.notifier, async (writer) => {
    const doc = (await loadDocs(writer.trx, 'inventoryTransactions', [id])).get(id);
    if (!doc) throw new Error(`${id} is not stored`);
    expect(putErpError(writer, 'inventoryTransactions', doc, refusal ? refusalOf(refusal, writer.now) : undefined)).toBe(true);
  });
}

describe('refused by the ERP', () => {
  it('lists a posted move the ERP refused apart from rejections, shows it in Stock moves, and drops it once the backend clears it', async () => {
    const session = await backend.signIn('tech1');
    const id = crypto.randomUUID();
    await session.db.inventoryTransactions.insert({ id, type: 'adjustment', warehouseId: truck1, productId: product, quantity: 3, occurredAt: new Date().toISOString(), status: 'pending' });
    await waitFor(session.db.inventoryTransactions.findOne(id).$, (doc) => doc?.status === 'posted', 'the adjustment to be posted');

    const ui = createUiStore();
    ui.getState().navigate('attention');
    render(
      <FluentProvider theme={webLightTheme}>
        <UiStoreContext.Provider value={ui}>
          <Screens session={session} />
        </UiStoreContext.Provider>
      </FluentProvider>,
    );
    expect(await screen.findByText(/Nothing needs attention/, {}, FIND)).toBeTruthy();

    await markOnServer(id, REFUSAL);
    const pulled = await waitFor(session.db.inventoryTransactions.findOne(id).$, (doc) => doc?.erpError !== undefined, 'the mark to reach the device');
    expect(pulled?.toJSON()).toMatchObject({ status: 'posted', erpError: { ...REFUSAL, at: expect.any(String) } });

    const table = await screen.findByRole('table', { name: 'Refused by the ERP' }, FIND);
    const row = within(table).getByText(REFUSAL.message).closest('tr');
    expect(row?.textContent).toContain('Adjustment: P-1004');
    expect(row?.textContent).toContain('TRUCK-1');
    expect(row?.textContent).toContain(REFUSAL.code);
    // Nothing to fix on the device: no Fix button, and the words say where the fix is.
    expect(within(row as HTMLElement).queryByRole('button')).toBeNull();
    const section = screen.getByRole('heading', { name: 'Refused by the ERP' }).closest('section') as HTMLElement;
    expect(section.textContent).toContain('the stock did move in Fieldstock');
    expect(section.textContent).toContain('an admin retries');
    expect(screen.queryByRole('table', { name: 'Rejected documents' })).toBeNull();
    expect(screen.queryByText(/Nothing needs attention/)).toBeNull();
    expect(screen.getByRole('navigation', { name: 'Main' }).textContent).toBe('Needs attention 1');

    // Stock moves: the document's state says posted and refused by the ERP, with the message.
    ui.getState().navigate('moves');
    const recent = await screen.findByRole('table', { name: 'Recent transactions' }, FIND);
    await waitForDom(() => expect(within(recent).getByText(REFUSAL.message).closest('tr')?.textContent).toMatch(/Posted.*Refused by the ERP/), FIND);

    // Accepted after a retry: the backend clears the mark and everything goes.
    await markOnServer(id, undefined);
    await waitFor(session.db.inventoryTransactions.findOne(id).$, (doc) => doc !== null && doc.erpError === undefined, 'the cleared mark to reach the device');
    await waitForDom(() => expect(within(recent).queryByText('Refused by the ERP')).toBeNull(), FIND);
    ui.getState().navigate('attention');
    expect(await screen.findByText(/Nothing needs attention/, {}, FIND)).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Refused by the ERP' })).toBeNull();
    expect(screen.getByRole('navigation', { name: 'Main' }).textContent).toBe('Needs attention ');
  });

  it("shows a receipt's refusal next to Posted in the order's receipt list", () => {
    const base: Receipt = { id: 'r-1', purchaseOrderId: 'po-1', warehouseId: 'w-1', receivedAt: '2026-11-25T10:00:00.000Z', lines: [{ lineNumber: 1, productId: 'p-1', quantity: 2 }], status: 'posted' };
    const refused: Receipt = { ...base, id: 'r-2', erpError: { code: 'erp-user-error', message: 'Tryton purchase 7 line 9 has 0 open to receive.', at: '2026-11-25T10:05:00.000Z' } };
    render(
      <FluentProvider theme={webLightTheme}>
        <ReceiptHistory receipts={[base, refused]} lines={[]} />
      </FluentProvider>,
    );
    const rows = within(screen.getByRole('table', { name: 'Receipts for this PO' })).getAllByRole('row');
    expect(rows[1]?.textContent).toContain('Posted');
    expect(rows[1]?.textContent).not.toContain('Refused by the ERP');
    expect(rows[2]?.textContent).toMatch(/Posted.*Refused by the ERP.*Tryton purchase 7 line 9 has 0 open to receive\./);
  });
});

describe('gathering what the ERP refused', () => {
  const tx = (id: string, at: string, extra: Partial<InventoryTransaction>): DeepReadonly<InventoryTransaction> => ({
    id,
    type: 'adjustment',
    warehouseId: 'w',
    productId: 'p',
    quantity: 1,
    occurredAt: at,
    status: 'posted',
    ...extra,
  });
  const mark = { code: 'erp-unknown-product', message: 'no such product', at: '2026-11-25T12:00:00.000Z' };

  it('takes posted documents with a mark, newest first, apart from rejections', () => {
    const attention = gatherAttention([tx('rej', '2026-11-25T09:00:00.000Z', { status: 'rejected', error: { code: 'insufficient-stock', message: 'not enough' } })], [], [], {
      transactions: [tx('old', '2026-11-25T08:00:00.000Z', { erpError: mark }), tx('new', '2026-11-25T10:00:00.000Z', { erpError: mark }), tx('fine', '2026-11-25T11:00:00.000Z', {})],
      receipts: [],
    });
    expect(attention.refusedByErp.map((i) => [i.id, i.error.message])).toEqual([
      ['new', 'no such product'],
      ['old', 'no such product'],
    ]);
    expect(attention.open.map((i) => i.id)).toEqual(['rej']);
  });

  it('ignores a mark on a document that is not posted', () => {
    const attention = gatherAttention([], [], [], { transactions: [tx('pending', '2026-11-25T08:00:00.000Z', { status: 'pending', erpError: mark })], receipts: [] });
    expect(attention.refusedByErp).toEqual([]);
  });
});
