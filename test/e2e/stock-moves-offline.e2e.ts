/**
 * A technician counts and transfers stock offline, reconnects and sees both
 * posted; a move the server rejected waits in Needs attention and is fixed
 * there with a new, correcting document.
 *
 * The rejection comes from a stale profile, as in scope-rejection.e2e.ts: the
 * admin takes TRUCK-2 away from the user after sign-in (through the admin API).
 */
import type { Locator, Page } from '@playwright/test';
import type { InventoryTransaction } from '../../shared/collections.js';
import { DEMO_PASSWORD } from './support/backend.js';
import { chromiumAvailable, NO_CHROMIUM_REASON } from './support/browser.js';
import { expect, test } from './support/fixtures.js';
import { connection, expectFirstSyncDone, openMoves, signIn, SYNC_TIMEOUT, uploadState } from './support/app.js';

test.skip(!chromiumAvailable(), NO_CHROMIUM_REASON);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function chooseProduct(page: Page, form: Locator, number: string): Promise<void> {
  const product = form.getByRole('combobox', { name: 'Product' });
  await product.click();
  await product.pressSequentially(number);
  await page.getByRole('option', { name: new RegExp(`^${escape(number)} — `) }).click();
}

async function choose(page: Page, form: Locator, field: string, code: string): Promise<void> {
  await form.getByRole('combobox', { name: field }).click();
  await page.getByRole('option', { name: new RegExp(`^${escape(code)} — `) }).click();
  await expect(form.getByRole('combobox', { name: field })).toHaveText(new RegExp(`^${escape(code)} — `));
}

/** A row of Recent transactions by type, product number and where. */
function recentRow(page: Page, type: string, productNumber: string, where: string): Locator {
  return page
    .getByRole('table', { name: 'Recent transactions' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: new RegExp(`^${escape(type)}`) }) })
    .filter({ has: page.getByRole('cell', { name: new RegExp(`^${escape(productNumber)} — `) }) })
    .filter({ has: page.getByRole('cell', { name: where, exact: true }) });
}

test('a count and a transfer made offline post after reconnecting, and a rejected move is fixed from Needs attention', async ({ stack, page }) => {
  const started = new Date().toISOString();
  await stack.admin.createUser({ username: 'rover', password: DEMO_PASSWORD, role: 'technician', warehouseCodes: ['TRUCK-1', 'TRUCK-2'] });
  const warehouses = await stack.admin.pullAll<{ id: string; code: string }>('warehouses');
  const truck1 = warehouses.find((w) => w.code === 'TRUCK-1')?.id ?? '';
  const before = await stack.admin.onHand('TRUCK-1');
  const mainBefore = await stack.admin.onHand('WH-MAIN');
  const onTruck = before.get('P-1002') ?? 0;
  // Far from the expected level, so the form asks for a second look.
  const counted = onTruck + 50;

  await signIn(page, stack.webUrl, 'rover', DEMO_PASSWORD);
  await expectFirstSyncDone(page);
  await stack.admin.setUserWarehouses('rover', ['TRUCK-1']);

  // Offline: a count, a transfer, and an adjustment on the truck that is no longer the user's.
  await page.context().setOffline(true);
  await expect(connection(page)).toHaveText('Offline');

  await openMoves(page, 'Count');
  let form = page.getByRole('form', { name: 'Count stock' });
  await expect(form.getByRole('combobox', { name: 'Warehouse or truck' })).toHaveText(/^TRUCK-1 — /);
  await chooseProduct(page, form, 'P-1002');
  await expect(form.getByText(`Expected level: ${onTruck} `)).toBeVisible();
  await form.getByRole('textbox', { name: 'Quantity' }).fill(String(counted));
  await form.getByRole('button', { name: 'Save count' }).click();
  const review = form.getByRole('alert');
  await expect(review).toContainText(`Counted ${counted} EA, expected ${onTruck} EA: variance +50 EA, beyond the 10% tolerance`);
  await review.getByRole('button', { name: 'Save count anyway' }).click();
  await expect(form.getByRole('status')).toContainText('Count of P-1002 saved on this device');

  await openMoves(page, 'Transfer');
  form = page.getByRole('form', { name: 'Transfer stock' });
  await choose(page, form, 'From', 'TRUCK-1');
  await choose(page, form, 'To', 'WH-MAIN');
  await chooseProduct(page, form, 'P-1006');
  await form.getByRole('textbox', { name: 'Quantity' }).fill('2');
  await form.getByRole('button', { name: 'Save transfer' }).click();
  await expect(form.getByRole('status')).toContainText('Transfer of P-1006 saved on this device');

  await openMoves(page, 'Adjust');
  form = page.getByRole('form', { name: 'Adjust stock' });
  await choose(page, form, 'Warehouse or truck', 'TRUCK-2');
  await chooseProduct(page, form, 'P-1003');
  await form.getByRole('textbox', { name: 'Quantity' }).fill('1');
  await form.getByRole('combobox', { name: 'Reason' }).click();
  await page.getByRole('option', { name: 'Damaged', exact: true }).click();
  await form.getByRole('textbox', { name: 'Note' }).fill('e2e-fix-me');
  await form.getByRole('button', { name: 'Save adjustment' }).click();
  await expect(form.getByRole('status')).toContainText('saved on this device');

  const count = recentRow(page, 'Count', 'P-1002', 'TRUCK-1');
  const transfer = recentRow(page, 'Transfer', 'P-1006', 'TRUCK-1 → WH-MAIN');
  const stale = recentRow(page, 'Adjustment', 'P-1003', 'TRUCK-2');
  for (const row of [count, transfer, stale]) await expect(row).toContainText('Waiting to upload');
  await expect(uploadState(page)).toHaveText('3 changes waiting to upload');

  // Back online: the count and the transfer post, the adjustment is rejected with the server's reason.
  await page.context().setOffline(false);
  await expect(count).toContainText('Posted', { timeout: SYNC_TIMEOUT });
  await expect(count).toContainText(/journal [0-9a-f-]{36}/);
  await expect(transfer).toContainText('Posted', { timeout: SYNC_TIMEOUT });
  await expect(stale).toContainText('Rejected', { timeout: SYNC_TIMEOUT });
  await expect(stale).toContainText('Warehouse TRUCK-2 is not in your warehouses.');

  // Needs attention counts it, says why, and Fix opens the form with the same values.
  const nav = page.getByRole('navigation', { name: 'Main' });
  // (Fluent's tab renders its content twice, one copy hidden to reserve the bold width: hence no exact text.)
  await expect(nav.getByRole('tab', { name: /Needs attention/ })).toContainText(/Needs attention\s*1/);
  await nav.getByRole('tab', { name: /Needs attention/ }).click();
  const rejected = page.getByRole('table', { name: 'Rejected documents' }).getByRole('row').filter({ hasText: 'P-1003' });
  await expect(rejected).toContainText('Warehouse TRUCK-2 is not in your warehouses.');
  await rejected.getByRole('button', { name: /^Fix adjustment P-1003/ }).click();
  form = page.getByRole('form', { name: 'Adjust stock' });
  await expect(form.getByText(/Fixing a rejected document/)).toBeVisible();
  await expect(form.getByRole('combobox', { name: 'Warehouse or truck' })).toHaveText(/^TRUCK-2 — /);
  await expect(form.getByRole('textbox', { name: 'Note' })).toHaveValue('e2e-fix-me');
  await choose(page, form, 'Warehouse or truck', 'TRUCK-1');
  await form.getByRole('button', { name: 'Save adjustment' }).click();
  await expect(form.getByRole('status')).toContainText('It corrects the rejected document');
  await expect(recentRow(page, 'Adjustment (fix)', 'P-1003', 'TRUCK-1')).toContainText('Posted', { timeout: SYNC_TIMEOUT });

  await nav.getByRole('tab', { name: /Needs attention/ }).click();
  await expect(page.getByText(/^Nothing needs attention/)).toBeVisible();
  await expect(nav.getByRole('tab', { name: /Needs attention/ })).not.toContainText(/\d/);
  await expect(page.getByRole('table', { name: 'Resolved' })).toContainText('Warehouse TRUCK-2 is not in your warehouses.');
  await expect(uploadState(page)).toHaveText('All changes uploaded');

  // The backend: count and transfer posted once, the rejected one kept as it was, the fix names it.
  const transactions = await stack.admin.transactions();
  // A fresh backend per test: what was made after the test started is this test's.
  const recent = transactions.filter((t: InventoryTransaction) => t.occurredAt >= started);
  const rejectedDoc = recent.find((t) => t.note === 'e2e-fix-me' && t.status === 'rejected');
  expect(rejectedDoc).toMatchObject({ warehouseId: warehouses.find((w) => w.code === 'TRUCK-2')?.id, quantity: -1, error: { code: 'warehouse-not-in-scope' } });
  const fix = recent.find((t) => t.externalReference?.category === 'corrects');
  expect(fix).toMatchObject({ status: 'posted', warehouseId: truck1, quantity: -1, note: 'e2e-fix-me', externalReference: { id: rejectedDoc?.id } });
  expect(recent.filter((t) => t.type === 'count' && t.status === 'posted')).toHaveLength(1);
  expect(recent.filter((t) => t.type === 'transfer' && t.status === 'posted')).toHaveLength(1);

  const after = await stack.admin.onHand('TRUCK-1');
  expect(after.get('P-1002')).toBe(counted);
  expect(after.get('P-1006')).toBe((before.get('P-1006') ?? 0) - 2);
  expect(after.get('P-1003')).toBe((before.get('P-1003') ?? 0) - 1);
  expect((await stack.admin.onHand('WH-MAIN')).get('P-1006')).toBe((mainBefore.get('P-1006') ?? 0) + 2);
});
