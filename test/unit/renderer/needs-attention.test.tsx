// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
/**
 * Needs attention against a real backend: a move the server rejects shows
 * with the server's reason and a count; "Fix" opens the form prefilled, and
 * saving makes a NEW document that names the rejected one, which leaves the
 * list once the correction exists, while the rejected document itself is
 * never changed.
 *
 * The rejection comes from a stale profile (as in test/e2e/scope-rejection):
 * an admin takes a truck away from the user after sign-in.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render, screen, waitFor as waitForDom, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AttentionCount } from '../../../renderer/attention/AttentionCount.js';
import { AttentionScreen } from '../../../renderer/attention/AttentionScreen.js';
import { createUiStore, UiStoreContext, useUi } from '../../../renderer/app/ui-store.js';
import { type ActiveSession } from '../../../renderer/session/controller.js';
import { MovesScreen } from '../../../renderer/transactions/MovesScreen.js';
import { api, DEMO_PASSWORD, demo } from '../../helpers/server.js';
import { useLiveBackend } from './live-backend.js';
import { waitFor } from './sync-helpers.js';

const FIND = { timeout: 30_000 };
const truck1 = demo.warehouse('TRUCK-1');
const truck2 = demo.warehouse('TRUCK-2');
const product = demo.product('P-1003');

const backend = useLiveBackend();
const signIn = (username: string) => backend.signIn(username);

/** The two screens and the navigation's count, switched by the UI store as the app shell does. */
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

describe('needs attention', () => {
  it('lists a rejected move with the reason, and Fix saves a new correcting document that the server posts', async () => {
    const adminToken = await backend.server().token('admin');
    const created = await api(backend.server(), adminToken, 'POST', '/api/v1/admin/users', { username: 'rover', password: DEMO_PASSWORD, role: 'technician', warehouseCodes: ['TRUCK-1', 'TRUCK-2'] });
    expect(created.status).toBe(201);
    const session = await signIn('rover');
    // The admin takes TRUCK-2 away; the device keeps the profile it got at sign-in.
    await backend.server().fieldstock.ctx.store.db.updateTable('users').set({ warehouse_ids: JSON.stringify([truck1]) }).where('username', '=', 'rover').execute();

    // What the form writes for "remove 2 of P-1003 from TRUCK-2" (the form itself is covered in moves-screen.test.tsx).
    const rejectedId = crypto.randomUUID();
    await session.db.inventoryTransactions.insert({ id: rejectedId, type: 'adjustment', warehouseId: truck2, productId: product, quantity: -2, reasonCode: 'DAMAGED', note: 'dropped', occurredAt: new Date().toISOString(), status: 'pending' });
    const rejected = await waitFor(session.db.inventoryTransactions.findOne(rejectedId).$, (doc) => doc?.status === 'rejected', 'the server to reject it');
    const before = rejected?.toJSON();

    const ui = createUiStore();
    ui.getState().navigate('attention');
    render(
      <FluentProvider theme={webLightTheme}>
        <UiStoreContext.Provider value={ui}>
          <Screens session={session} />
        </UiStoreContext.Provider>
      </FluentProvider>,
    );
    const user = userEvent.setup();

    const table = await screen.findByRole('table', { name: 'Rejected documents' }, FIND);
    const row = within(table).getByText('Warehouse TRUCK-2 is not in your warehouses.').closest('tr');
    expect(row?.textContent).toContain('Adjustment: P-1003');
    expect(row?.textContent).toContain('TRUCK-2');
    expect(row?.textContent).toContain('warehouse-not-in-scope');
    expect(screen.getByRole('navigation', { name: 'Main' }).textContent).toBe('Needs attention 1');

    await user.click(within(row as HTMLElement).getByRole('button', { name: /^Fix adjustment P-1003/ }));

    // The form starts from the rejected document.
    const form = await screen.findByRole('form', { name: 'Adjust stock' }, FIND);
    expect(within(form).getByText(/Fixing a rejected document \(Warehouse TRUCK-2 is not in your warehouses\.\)/)).toBeTruthy();
    await waitForDom(() => expect(within(form).getByRole('combobox', { name: /warehouse or truck/i }).textContent).toContain('TRUCK-2'), FIND);
    expect((within(form).getByRole('combobox', { name: /product/i }) as HTMLInputElement).value).toMatch(/^P-1003 /);
    expect((within(form).getByRole('textbox', { name: /quantity/i }) as HTMLInputElement).value).toBe('2');
    expect((within(form).getByRole('textbox', { name: /note/i }) as HTMLTextAreaElement).value).toBe('dropped');

    // The fix: the same removal, from the truck the user still has.
    await user.click(within(form).getByRole('combobox', { name: /warehouse or truck/i }));
    await user.click(await screen.findByRole('option', { name: /^TRUCK-1 — / }, FIND));
    await user.click(within(form).getByRole('button', { name: 'Save adjustment' }));
    expect((await within(form).findByRole('status', {}, FIND)).textContent).toContain('It corrects the rejected document');

    const fixes = await session.db.inventoryTransactions.find({ selector: { 'externalReference.category': 'corrects' } }).exec();
    expect(fixes.map((d) => d.toJSON())).toEqual([
      expect.objectContaining({ type: 'adjustment', warehouseId: truck1, productId: product, quantity: -2, note: 'dropped', externalReference: { category: 'corrects', id: rejectedId } }),
    ]);
    const fixId = fixes[0]?.primary ?? '';
    expect(fixId).not.toBe(rejectedId);
    const posted = await waitFor(session.db.inventoryTransactions.findOne(fixId).$, (doc) => doc?.status === 'posted', 'the correction to be posted');
    expect(posted?.journalId).toEqual(expect.any(String));
    // The rejected document is the server's record: untouched.
    expect((await session.db.inventoryTransactions.findOne(rejectedId).exec())?.toJSON()).toEqual(before);

    // Back in Needs attention: nothing open, the rejected one is listed as resolved by the correction.
    ui.getState().navigate('attention');
    expect(await screen.findByText(/Nothing needs attention/, {}, FIND)).toBeTruthy();
    const resolved = screen.getByRole('table', { name: 'Resolved' });
    await waitForDom(() => expect(within(resolved).getByText(`resolved by ${fixId}`).closest('tr')?.textContent).toContain('Posted'), FIND);
    expect(screen.getByRole('navigation', { name: 'Main' }).textContent).toBe('Needs attention ');
  });
});
