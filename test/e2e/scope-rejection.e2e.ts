/**
 * An adjustment for a truck outside the user's scope is refused by the backend, and
 * the device shows it as rejected with the backend's reason.
 *
 * The Adjust form offers only the warehouses in the profile the device received at
 * sign-in, so a device can only send such an adjustment when that profile is stale: an
 * admin removed a truck from the user (through the admin API) after they signed in;
 * nothing in the app is bypassed or injected.
 */
import { DEMO_PASSWORD } from './support/backend.js';
import { chromiumAvailable, NO_CHROMIUM_REASON } from './support/browser.js';
import { expect, test } from './support/fixtures.js';
import { expectFirstSyncDone, openAdjust, recordAdjustment, signed, signIn, SYNC_TIMEOUT, transactionRow, uploadState, type Adjustment } from './support/app.js';

test.skip(!chromiumAvailable(), NO_CHROMIUM_REASON);

test("an adjustment for a truck removed from the user's scope is shown as rejected with the backend's reason", async ({ stack, page }) => {
  await stack.admin.createUser({ username: 'rover', password: DEMO_PASSWORD, role: 'technician', warehouseCodes: ['TRUCK-1', 'TRUCK-2'] });
  const before = await stack.admin.onHand('TRUCK-2');

  await signIn(page, stack.webUrl, 'rover', DEMO_PASSWORD);
  await expectFirstSyncDone(page);
  await openAdjust(page);

  // The admin takes TRUCK-2 away; the device still has the profile from sign-in.
  expect(await stack.admin.setUserWarehouses('rover', ['TRUCK-1'])).toMatchObject({ username: 'rover', warehouseCodes: ['TRUCK-1'] });

  const adjustment: Adjustment = { warehouse: 'TRUCK-2', productNumber: 'P-1003', direction: 'remove', quantity: 1, reason: 'Lost or missing', note: 'e2e-scope-1' };
  await recordAdjustment(page, adjustment);
  const row = transactionRow(page, adjustment.productNumber, signed(adjustment));
  await expect(row).toContainText('Rejected', { timeout: SYNC_TIMEOUT });
  await expect(row).toContainText('Warehouse TRUCK-2 is not in your warehouses.');
  // Rejected is final: nothing is left waiting.
  await expect(uploadState(page)).toHaveText('All changes uploaded');

  // The backend kept it as rejected and on hand did not move.
  const recorded = (await stack.admin.transactions()).filter((t) => t.note === adjustment.note);
  expect(recorded).toHaveLength(1);
  expect(recorded[0]).toMatchObject({ status: 'rejected', error: { code: 'warehouse-not-in-scope' } });
  expect(recorded[0]?.journalId).toBeUndefined();
  const after = await stack.admin.onHand('TRUCK-2');
  expect(after.get(adjustment.productNumber)).toBe(before.get(adjustment.productNumber));
});
