/**
 * The app as a user sees it, by roles and accessible names: sign-in, the sync
 * status bar and the Stock moves screen.
 */
import { expect, type Locator, type Page } from '@playwright/test';

/** Waits that depend on a sync round trip (push, post, stream) on a slow machine. */
export const SYNC_TIMEOUT = 90_000;

export async function signIn(page: Page, webUrl: string, username: string, password: string): Promise<void> {
  await page.goto(webUrl);
  await expect(page.getByRole('heading', { name: 'Sign in to Fieldstock' })).toBeVisible();
  // The server address is prefilled with the page's own origin (renderer and /api on one origin).
  await expect(page.getByRole('textbox', { name: 'Server address' })).toHaveValue(webUrl);
  await page.getByRole('textbox', { name: 'User name' }).fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expectSignedIn(page, username);
}

export async function expectSignedIn(page: Page, username: string): Promise<void> {
  await expect(page.getByRole('banner')).toContainText(username);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

export function statusBar(page: Page): Locator {
  return page.getByRole('contentinfo', { name: 'Sync status' });
}

export function connection(page: Page): Locator {
  return statusBar(page).getByRole('status');
}

export function uploadState(page: Page): Locator {
  return statusBar(page).getByText(/^(All changes uploaded|\d+ changes? waiting to upload)$/);
}

/** The first sync of a new device finished: no progress bar, online, synced, nothing waiting. */
export async function expectFirstSyncDone(page: Page): Promise<void> {
  await expect(connection(page)).toHaveText('Online', { timeout: SYNC_TIMEOUT });
  await expect(statusBar(page).getByText(/^Last synced /)).toBeVisible({ timeout: SYNC_TIMEOUT });
  await expect(page.getByRole('progressbar', { name: 'First sync progress' })).toBeHidden({ timeout: SYNC_TIMEOUT });
  await expect(uploadState(page)).toHaveText('All changes uploaded');
}

/** Opens the Stock moves screen on one type of move (Adjust, Count, Transfer, Consume). */
export async function openMoves(page: Page, type: 'Adjust' | 'Count' | 'Transfer' | 'Consume' = 'Adjust'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Stock moves' }).click();
  await expect(page.getByRole('heading', { name: 'Stock moves' })).toBeVisible();
  await page.getByRole('tablist', { name: 'Type of move' }).getByRole('tab', { name: type, exact: true }).click();
}

export async function openAdjust(page: Page): Promise<void> {
  await openMoves(page, 'Adjust');
  await expect(page.getByRole('heading', { name: 'Adjust stock' })).toBeVisible();
}

export interface Adjustment {
  /** Warehouse code; the form's default (the first in scope) when absent. */
  warehouse?: string;
  productNumber: string;
  direction: 'add' | 'remove';
  quantity: number;
  reason: string;
  note: string;
}

/** Fills and saves the Adjust form (the Adjust screen must be open). */
export async function recordAdjustment(page: Page, adjustment: Adjustment): Promise<void> {
  const form = page.getByRole('form', { name: 'Adjust stock' });
  if (adjustment.warehouse) {
    await form.getByRole('combobox', { name: 'Warehouse or truck' }).click();
    await page.getByRole('option', { name: new RegExp(`^${escape(adjustment.warehouse)} — `) }).click();
    await expect(form.getByRole('combobox', { name: 'Warehouse or truck' })).toHaveText(new RegExp(`^${escape(adjustment.warehouse)} — `));
  }
  const product = form.getByRole('combobox', { name: 'Product' });
  // Typed like a user: the list of matches opens on typing.
  await product.click();
  await product.pressSequentially(adjustment.productNumber);
  await page.getByRole('option', { name: new RegExp(`^${escape(adjustment.productNumber)} — `) }).click();
  await form.getByRole('radio', { name: adjustment.direction === 'add' ? 'Add to stock' : 'Remove from stock' }).check();
  await form.getByRole('textbox', { name: 'Quantity' }).fill(String(adjustment.quantity));
  await form.getByRole('combobox', { name: 'Reason' }).click();
  await page.getByRole('option', { name: adjustment.reason, exact: true }).click();
  await form.getByRole('textbox', { name: 'Note' }).fill(adjustment.note);
  await form.getByRole('button', { name: 'Save adjustment' }).click();
  await expect(form.getByRole('status')).toContainText(`Adjustment of ${adjustment.productNumber}`);
  await expect(form.getByRole('status')).toContainText('saved on this device');
}

/** The row of the Recent transactions table for a product and signed quantity. */
export function transactionRow(page: Page, productNumber: string, signedQuantity: number): Locator {
  const quantity = signedQuantity > 0 ? `+${signedQuantity}` : String(signedQuantity);
  return page
    .getByRole('table', { name: 'Recent transactions' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell', { name: new RegExp(`^${escape(productNumber)} — `) }) })
    .filter({ has: page.getByRole('cell', { name: quantity, exact: true }) });
}

export function signed(adjustment: Pick<Adjustment, 'direction' | 'quantity'>): number {
  return adjustment.direction === 'add' ? adjustment.quantity : -adjustment.quantity;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
