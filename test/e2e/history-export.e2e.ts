/**
 * An adjustment posted by the backend shows in the History screen of the
 * technician's truck, with the chart and on hand after it, and the journal CSV
 * the browser downloads holds it.
 *
 * The adjustment comes in through the integration API (the external channel an
 * ERP or a scanner gateway uses), so this test depends on nothing but the
 * History screen in the app.
 */
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { ADMIN_PASSWORD, DEMO_PASSWORD } from './support/backend.js';
import { chromiumAvailable, NO_CHROMIUM_REASON } from './support/browser.js';
import { expect, test } from './support/fixtures.js';
import { expectFirstSyncDone, signIn, SYNC_TIMEOUT } from './support/app.js';

test.skip(!chromiumAvailable(), NO_CHROMIUM_REASON);

async function postAdjustment(baseUrl: string, entry: { id: string; warehouseCode: string; productNumber: string; quantity: number; reasonCode: string }) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(login.ok, await login.clone().text()).toBe(true);
  const { accessToken } = (await login.json()) as { accessToken: string };
  const response = await fetch(`${baseUrl}/api/v1/transactions/adjustments/bulk`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify([entry]),
  });
  expect(response.ok, await response.clone().text()).toBe(true);
  expect(await response.json()).toEqual([{ id: entry.id, status: 'posted' }]);
}

test('a posted adjustment shows in the history of its product and in the journal CSV download', async ({ stack, page }) => {
  const id = randomUUID();
  await postAdjustment(stack.backend.url, { id, warehouseCode: 'TRUCK-1', productNumber: 'P-1002', quantity: -2, reasonCode: 'DAMAGED' });
  const onHand = (await stack.admin.onHand('TRUCK-1')).get('P-1002');
  expect(onHand).toBeDefined();

  await signIn(page, stack.webUrl, 'tech1', DEMO_PASSWORD);
  await expectFirstSyncDone(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'History' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  // tech1 starts on their truck.
  await expect(page.getByRole('combobox', { name: 'Warehouse or truck' })).toHaveText(/^TRUCK-1 — /);

  const product = page.getByRole('combobox', { name: 'Product' });
  await product.click();
  await product.pressSequentially('P-1002');
  await page.getByRole('option', { name: /^P-1002 — / }).click();

  const table = page.getByRole('table', { name: 'Movements of P-1002 in TRUCK-1' });
  const row = table.getByRole('row').filter({ hasText: id });
  await expect(row).toBeVisible({ timeout: SYNC_TIMEOUT });
  await expect(row.getByRole('cell').nth(1)).toHaveText('Adjustment');
  await expect(row.getByRole('cell').nth(2)).toHaveText('-2');
  await expect(row.getByRole('cell').nth(4)).toHaveText(String(onHand));
  await expect(page.getByRole('img', { name: /^On hand of P-1002 in TRUCK-1 over time/ })).toBeVisible();

  // The default period (the last 30 days) holds today's adjustment.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export journals (CSV)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^journals-TRUCK-1-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const path = await download.path();
  const bytes = await readFile(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = bytes.toString('utf8').slice(1).split('\r\n');
  expect(lines[0]).toBe('Journal id,Journal name,Line,Source,Source id,Warehouse,Product number,Quantity,Requested quantity,Occurred at,Posted at,Status');
  const line = lines.find((l) => l.includes(`,transaction,${id},`));
  expect(line, `a line for transaction ${id} in:\n${lines.join('\n')}`).toBeDefined();
  expect(line?.split(',').slice(1, 9)).toEqual(['adjustment', '1', 'transaction', id, 'TRUCK-1', 'P-1002', '-2', '-2']);
  await expect(page.getByRole('status').filter({ hasText: 'exported as journals-TRUCK-1-' })).toBeVisible();
});
