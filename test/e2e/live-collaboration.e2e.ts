/**
 * Two people on the same truck, each in their own browser: what one records appears
 * on the other's screen by itself, posted, without a reload.
 */
import { DEMO_PASSWORD } from './support/backend.js';
import { chromiumAvailable, NO_CHROMIUM_REASON } from './support/browser.js';
import { expect, test } from './support/fixtures.js';
import { expectFirstSyncDone, openAdjust, recordAdjustment, signed, signIn, SYNC_TIMEOUT, transactionRow, type Adjustment } from './support/app.js';

test.skip(!chromiumAvailable(), NO_CHROMIUM_REASON);

test("two users of the same truck see each other's adjustments live, without reloading", async ({ stack, browser }) => {
  // A second technician on TRUCK-1 (the demo has one per truck).
  const password = 'second-tech-password';
  await stack.admin.createUser({ username: 'tech1b', password, role: 'technician', warehouseCodes: ['TRUCK-1'] });

  const first = await (await browser.newContext()).newPage();
  const second = await (await browser.newContext()).newPage();
  try {
    await signIn(first, stack.webUrl, 'tech1', DEMO_PASSWORD);
    await signIn(second, stack.webUrl, 'tech1b', password);
    await expectFirstSyncDone(first);
    await expectFirstSyncDone(second);
    await openAdjust(first);
    await openAdjust(second);
    let navigations = 0;
    for (const page of [first, second]) page.on('framenavigated', (frame) => frame === page.mainFrame() && (navigations += 1));

    const fromFirst: Adjustment = { productNumber: 'P-1002', direction: 'add', quantity: 4, reason: 'Found during work', note: 'e2e-live-1' };
    await recordAdjustment(first, fromFirst);
    await expect(transactionRow(first, fromFirst.productNumber, signed(fromFirst))).toContainText('Posted', { timeout: SYNC_TIMEOUT });
    // No reload and no manual resync: only the live stream can bring it.
    await expect(transactionRow(second, fromFirst.productNumber, signed(fromFirst))).toContainText('Posted');

    const fromSecond: Adjustment = { productNumber: 'P-1006', direction: 'remove', quantity: 3, reason: 'Damaged', note: 'e2e-live-2' };
    await recordAdjustment(second, fromSecond);
    await expect(transactionRow(second, fromSecond.productNumber, signed(fromSecond))).toContainText('Posted', { timeout: SYNC_TIMEOUT });
    await expect(transactionRow(first, fromSecond.productNumber, signed(fromSecond))).toContainText('Posted');

    expect(navigations, 'page loads after sign-in').toBe(0);
  } finally {
    await first.context().close();
    await second.context().close();
  }
});
