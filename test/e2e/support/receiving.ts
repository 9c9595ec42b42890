/**
 * The Receive screen as a user sees it (by roles and accessible names), and
 * the demo purchase order the receiving tests work on, read from the backend
 * so the expectations follow the demo data rather than copies of it.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import type { Product, PurchaseOrder, Warehouse } from '../../../shared/collections.js';
import type { BackendClient } from './backend.js';

export async function openReceive(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('tab', { name: 'Receive' }).click();
  await expect(page.getByRole('heading', { name: 'Receive', exact: true })).toBeVisible();
}

export async function openOrder(page: Page, poNumber: string): Promise<void> {
  await page.getByRole('table', { name: 'Open purchase orders' }).getByRole('button', { name: `Receive ${poNumber}`, exact: true }).click();
  await expect(page.getByRole('heading', { name: `Receive ${poNumber}` })).toBeVisible();
}

/** The row of a PO line in the lines table. */
export function lineRow(page: Page, lineNumber: number): Locator {
  return page.getByRole('table', { name: 'Purchase order lines' }).getByRole('row').filter({ has: quantityField(page, lineNumber) });
}

/** The "Already received (incl. pending)" cell of a line. */
export function alreadyReceived(page: Page, lineNumber: number): Locator {
  return lineRow(page, lineNumber).getByRole('cell').nth(3);
}

export function quantityField(page: Page, lineNumber: number): Locator {
  return page.getByRole('textbox', { name: new RegExp(`^Receive now, line ${lineNumber} `) });
}

export function receiptRows(page: Page): Locator {
  return page.getByRole('table', { name: 'Receipts for this PO' }).getByRole('row').filter({ has: page.getByRole('cell') });
}

export interface DemoOrder {
  order: PurchaseOrder;
  products: Map<string, Product>;
  warehouse: Warehouse;
}

/** A purchase order of the demo data as the backend holds it, with its products and warehouse. */
export async function demoOrder(client: BackendClient, poNumber: string): Promise<DemoOrder> {
  const order = (await client.pullAll<PurchaseOrder>('purchaseOrders')).find((po) => po.number === poNumber);
  if (!order) throw new Error(`the demo data has no ${poNumber}`);
  const ids = new Set(order.lines.map((l) => l.productId));
  const products = new Map((await client.pullAll<Product>('products')).filter((p) => ids.has(p.id)).map((p) => [p.id, p]));
  const warehouse = (await client.pullAll<Warehouse>('warehouses')).find((w) => w.id === order.warehouseId);
  if (!warehouse) throw new Error(`${poNumber} is for an unknown warehouse`);
  return { order, products, warehouse };
}
