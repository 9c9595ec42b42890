// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
/**
 * From Needs attention to the trace, in the whole app against a real
 * backend: an administrator's posted adjustment the ERP refused (the mark
 * written on the server as the outbox hooks write it) offers "Trace", which
 * opens the ERP screen already tracing that document, refusal included.
 * Choosing the ERP tab afterwards starts the trace form afresh. (A
 * technician's list has no Trace: erp-refusal-attention.test.tsx checks the
 * row has no button.)
 */
import { act, render, screen, waitFor as waitForDom, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/app/App.js';
import { createUiStore } from '../../../renderer/app/ui-store.js';
import { SessionController } from '../../../renderer/session/controller.js';
import { putErpError, refusalOf } from '../../../server/erp/refusals/mark.js';
import { loadDocs, writeTransaction } from '../../../server/store/write.js';
import { ADMIN_PASSWORD, demo } from '../../helpers/server.js';
import { useLiveBackend } from './live-backend.js';
import { memoryPlatform } from './memory-platform.js';
import { FAST_SYNC, waitFor } from './sync-helpers.js';

const FIND = { timeout: 30_000 };
const REFUSAL = { code: 'erp-unknown-product', message: 'Tryton has no product "P-1004".' };

const backend = useLiveBackend();
const controllers: SessionController[] = [];

afterEach(async () => {
  for (const controller of controllers.splice(0)) await controller.signOut();
});

async function openAppAsAdmin() {
  const platform = memoryPlatform();
  const ui = createUiStore();
  const controller = new SessionController({ platform, onView: (view) => ui.getState().setSession(view), storage: () => getRxStorageMemory(), multiInstance: false, sync: FAST_SYNC });
  controllers.push(controller);
  render(<App services={{ platform, controller, defaultServerUrl: backend.server().url }} ui={ui} />);
  await act(() => controller.restore());
  expect(await act(() => controller.signIn(backend.server().url, 'admin', ADMIN_PASSWORD))).toBeNull();
  const session = controller.active;
  if (!session) throw new Error('admin is not signed in');
  await waitFor(session.sync.status$, (s) => s.firstSync.done && s.connection === 'online', "admin's first sync");
  return { session, ui, nav: await screen.findByRole('navigation', { name: 'Main' }, FIND) };
}

describe('Trace from Needs attention', () => {
  it("opens the ERP screen on the refused document's trace", async () => {
    const user = userEvent.setup();
    const { session, ui, nav } = await openAppAsAdmin();
    const id = crypto.randomUUID();
    await session.db.inventoryTransactions.insert({
      id,
      type: 'adjustment',
      warehouseId: demo.warehouse('TRUCK-1'),
      productId: demo.product('P-1004'),
      quantity: 3,
      occurredAt: new Date().toISOString(),
      status: 'pending',
    });
    await waitFor(session.db.inventoryTransactions.findOne(id).$, (doc) => doc?.status === 'posted', 'the adjustment to be posted');

    const { ctx } = backend.server().fieldstock;
    await writeTransaction(ctx.store, ctx.notifier, async (writer) => {
      const doc = (await loadDocs(writer.trx, 'inventoryTransactions', [id])).get(id);
      if (!doc) throw new Error(`${id} is not stored`);
      expect(putErpError(writer, 'inventoryTransactions', doc, refusalOf(REFUSAL, writer.now))).toBe(true);
    });
    await waitFor(session.db.inventoryTransactions.findOne(id).$, (doc) => doc?.erpError !== undefined, 'the mark to reach the device');

    await user.click(within(nav).getByRole('tab', { name: /^Needs attention/ }));
    const refused = await screen.findByRole('table', { name: 'Refused by the ERP' }, FIND);
    await user.click(within(refused).getByRole('button', { name: /^Trace adjustment P-1004.* to the ERP$/ }));

    expect(ui.getState()).toMatchObject({ screen: 'erp', tracePrefill: { collection: 'inventoryTransactions', id } });
    const result = await screen.findByRole('group', { name: `Trace of Inventory transactions ${id}` }, FIND);
    expect(within(result).getByText(new RegExp(`^${REFUSAL.code}: ${REFUSAL.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`))).toBeTruthy();
    expect(within(result).getByText(/^Posted .* in journal /)).toBeTruthy();
    // The trace sits at the foot of the screen: the keyboard is taken there.
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Trace a document' }));
    const form = screen.getByRole('form', { name: 'Trace a document' });
    expect((within(form).getByRole('textbox', { name: /Document id/ }) as HTMLInputElement).value).toBe(id);
    expect((within(form).getByRole('combobox', { name: 'Collection' }) as HTMLSelectElement).value).toBe('inventoryTransactions');

    // The menu starts the screen afresh: no trace left over from the "Trace" that asked for it.
    await user.click(within(nav).getByRole('tab', { name: /^Stock$/ }));
    await user.click(within(nav).getByRole('tab', { name: /^ERP/ }));
    expect(ui.getState().tracePrefill).toBeNull();
    await waitForDom(() => expect(screen.getByText(/Nothing traced yet/)).toBeTruthy(), FIND);
    expect(screen.queryByRole('group', { name: /^Trace of / })).toBeNull();
  });
});
