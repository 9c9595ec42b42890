/**
 * A technician works offline across a browser restart: the adjustments wait on the
 * device, survive the restart, upload when the network is back, and the backend
 * posts each exactly once.
 */
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from '@playwright/test';
import { DEMO_PASSWORD } from './support/backend.js';
import { chromiumAvailable, NO_CHROMIUM_REASON } from './support/browser.js';
import { expect, test } from './support/fixtures.js';
import { connection, expectFirstSyncDone, expectSignedIn, openAdjust, recordAdjustment, signed, signIn, SYNC_TIMEOUT, transactionRow, uploadState, type Adjustment } from './support/app.js';
import { contentType, staticFile } from './support/web-server.js';

test.skip(!chromiumAvailable(), NO_CHROMIUM_REASON);

// Products stocked on TRUCK-1 in the demo data.
const ADJUSTMENTS: Adjustment[] = [
  { productNumber: 'P-1002', direction: 'remove', quantity: 2, reason: 'Damaged', note: 'e2e-offline-1' },
  { productNumber: 'P-1006', direction: 'add', quantity: 5, reason: 'Found during work', note: 'e2e-offline-2' },
  { productNumber: 'P-1010', direction: 'remove', quantity: 1, reason: 'Count correction', note: 'e2e-offline-3' },
];

async function firstPage(context: BrowserContext): Promise<Page> {
  return context.pages()[0] ?? (await context.newPage());
}

test('adjustments made offline survive a browser restart, upload once back online and are posted exactly once', async ({ stack }) => {
  const before = await stack.admin.onHand('TRUCK-1');

  // 1. Online: sign in; the first sync downloads what the device needs to work offline.
  let context = await stack.launchProfile('tech1');
  let page = await firstPage(context);
  await signIn(page, stack.webUrl, 'tech1', DEMO_PASSWORD);
  await expectFirstSyncDone(page);
  await openAdjust(page);

  // 2. Offline: the adjustments are saved on the device and wait for upload.
  await context.setOffline(true);
  await expect(connection(page)).toHaveText('Offline');
  for (const adjustment of ADJUSTMENTS) await recordAdjustment(page, adjustment);
  for (const adjustment of ADJUSTMENTS) {
    await expect(transactionRow(page, adjustment.productNumber, signed(adjustment))).toContainText('Waiting to upload');
  }
  await expect(uploadState(page)).toHaveText(`${ADJUSTMENTS.length} changes waiting to upload`);
  await context.close();

  // 3. The browser starts again on the same profile, still offline. A page cannot load
  //    from the network while offline (the web build has no service worker; Electron
  //    loads it from disk): its files are served from the built renderer by the browser
  //    itself, while every request to the backend meets the offline network.
  context = await stack.launchProfile('tech1', { offline: true });
  const origin = new URL(stack.webUrl).origin;
  await context.route(
    (url) => url.origin === origin && !url.pathname.startsWith('/api/'),
    async (route) => {
      const file = staticFile(stack.webRoot, new URL(route.request().url()).pathname);
      await route.fulfill({ status: 200, contentType: contentType(file), body: readFileSync(file) });
    },
  );
  page = await firstPage(context);
  await page.goto(stack.webUrl);
  await expectSignedIn(page, 'tech1');
  await expect(connection(page)).toHaveText('Offline', { timeout: SYNC_TIMEOUT });
  await openAdjust(page);
  for (const adjustment of ADJUSTMENTS) {
    await expect(transactionRow(page, adjustment.productNumber, signed(adjustment))).toContainText('Waiting to upload');
  }
  await expect(uploadState(page)).toHaveText(`${ADJUSTMENTS.length} changes waiting to upload`);

  // 4. Online again: they upload and come back posted.
  await context.setOffline(false);
  for (const adjustment of ADJUSTMENTS) {
    await expect(transactionRow(page, adjustment.productNumber, signed(adjustment))).toContainText('Posted', { timeout: SYNC_TIMEOUT });
  }
  await expect(uploadState(page)).toHaveText('All changes uploaded', { timeout: SYNC_TIMEOUT });
  await expect(connection(page)).toHaveText('Online', { timeout: SYNC_TIMEOUT });

  // 5. The backend posted each adjustment exactly once, and on hand moved by their sum.
  const transactions = (await stack.admin.transactions()).filter((t) => t.note?.startsWith('e2e-offline-'));
  expect(transactions.map((t) => t.note).sort()).toEqual(ADJUSTMENTS.map((a) => a.note).sort());
  for (const t of transactions) expect(t, `transaction ${t.note}`).toMatchObject({ status: 'posted', type: 'adjustment' });
  const journals = await stack.admin.journals();
  for (const t of transactions) {
    const posted = journals.filter((j) => j.sourceCollection === 'inventoryTransactions' && j.sourceId === t.id);
    expect(posted, `journals of ${t.note}`).toHaveLength(1);
    expect(posted[0]?.id).toBe(t.journalId);
  }
  const after = await stack.admin.onHand('TRUCK-1');
  for (const adjustment of ADJUSTMENTS) {
    const moved = (after.get(adjustment.productNumber) ?? 0) - (before.get(adjustment.productNumber) ?? 0);
    expect(moved, `on hand of ${adjustment.productNumber} on TRUCK-1`).toBe(signed(adjustment));
  }
});
