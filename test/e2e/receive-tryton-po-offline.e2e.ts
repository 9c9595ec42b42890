/**
 * Issue 5 end to end, with every part real: a purchase confirmed in a real Tryton
 * reaches the Fieldstock backend by its own ERP sync and a technician's device by
 * replication; the technician receives part of it with no network, the receipt
 * waits on the device, and once back online it is posted in Fieldstock and the
 * backend's outbox delivers it to Tryton as one done incoming shipment carrying our
 * reference: Tryton's on hand rises by what arrived, and the rest of the purchase
 * line stays open there for a later delivery.
 */
import type { Product, PurchaseOrder, Receipt, Warehouse } from '../../shared/collections.js';
import { shipmentReference } from '../../server/erp/adapters/tryton/receipts/payload.js';
import { connection, expectFirstSyncDone, signIn, SYNC_TIMEOUT, uploadState } from './support/app.js';
import { chromiumAvailable, NO_CHROMIUM_REASON } from './support/browser.js';
import { alreadyReceived, openOrder, openReceive, quantityField, receiptRows } from './support/receiving.js';
import { DEMO_PRODUCT, DEMO_WAREHOUSE, expect, test, TRYTON_UNAVAILABLE } from './support/tryton.js';

test.skip(!chromiumAvailable(), NO_CHROMIUM_REASON);
if (TRYTON_UNAVAILABLE) console.warn(`[fieldstock e2e] skipping the Tryton receive test: ${TRYTON_UNAVAILABLE}`);
test.skip(TRYTON_UNAVAILABLE !== undefined, `Tryton is missing: ${TRYTON_UNAVAILABLE ?? ''}`);
// Set for the file so it covers the fixtures too: they start Tryton (building its database on the run's
// first use) and the backend within the test's time, and the ERP adds two asynchronous hops.
test.slow(true, 'a real Tryton and an ERP-backed backend start for the test');

/** Received offline now, of the 5 ordered in support/tryton.ts's purchase; the rest stays open in Tryton. */
const RECEIVED = 3;
const TECH = 'tech-main';
const TECH_PASSWORD = 'tech-main-password';

test('a receipt recorded offline completes the Tryton shipment and raises Tryton\'s on hand', async ({ stack, tryton, trytonPurchaseLines }) => {
  const { purchase } = tryton;
  const [lineId] = purchase.lineIds;
  const ordered = trytonPurchaseLines[0]?.quantity;
  if (lineId === undefined || ordered === undefined) throw new Error(`Tryton purchase ${purchase.number} has no line`);
  expect(ordered, 'room to leave part of the line open').toBeGreaterThan(RECEIVED);

  // 1. The backend's own ERP sync brings the purchase in, linked to the demo's warehouse and product.
  let order: PurchaseOrder | undefined;
  await expect
    .poll(
      async () => {
        order = (await stack.admin.pullAll<PurchaseOrder>('purchaseOrders')).find((po) => po.number === purchase.number);
        return order?.lines.length ?? 0;
      },
      { message: `purchase ${purchase.number} synced from Tryton`, timeout: SYNC_TIMEOUT },
    )
    .toBe(1);
  if (!order) throw new Error('unreachable: the poll above found the order');
  const [line] = order.lines;
  const warehouse = (await stack.admin.pullAll<Warehouse>('warehouses')).find((w) => w.id === order?.warehouseId);
  const product = (await stack.admin.pullAll<Product>('products')).find((p) => p.id === line?.productId);
  expect(warehouse?.code, "the order's warehouse is the demo's, linked by code").toBe(DEMO_WAREHOUSE);
  expect(product?.number, "the line's product is the demo's, linked by number").toBe(DEMO_PRODUCT);
  expect(line).toMatchObject({ lineNumber: lineId, quantityOrdered: ordered, quantityReceived: 0 });
  expect(order.status).toBe('open');
  const onHandBefore = await tryton.onHand();

  await stack.admin.createUser({ username: TECH, password: TECH_PASSWORD, role: 'technician', warehouseCodes: [DEMO_WAREHOUSE] });
  const context = await stack.launchProfile(TECH);
  const page = context.pages()[0] ?? (await context.newPage());

  // 2. Online: the first sync brings the order from Tryton to the device.
  await signIn(page, stack.webUrl, TECH, TECH_PASSWORD);
  await expectFirstSyncDone(page);
  await openReceive(page);
  await expect(page.getByRole('table', { name: 'Open purchase orders' }).getByRole('button', { name: `Receive ${purchase.number}`, exact: true })).toBeVisible({
    timeout: SYNC_TIMEOUT,
  });

  // 3. Offline, as in receive-po-offline: the emulation, and no API call may pass even if it is late to apply.
  const origin = new URL(stack.webUrl).origin;
  const isApi = (url: URL) => url.origin === origin && url.pathname.startsWith('/api/');
  await context.route(isApi, (route) => route.abort('internetdisconnected'));
  await context.setOffline(true);
  await expect(connection(page)).toHaveText('Offline');
  await openOrder(page, purchase.number);
  await quantityField(page, lineId).fill(String(RECEIVED));
  await page.getByRole('button', { name: 'Save receipt' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'saved on this device' })).toContainText('Receipt of 1 line');
  await expect(receiptRows(page)).toHaveCount(1);
  await expect(receiptRows(page)).toContainText('Waiting to upload');
  await expect(uploadState(page)).toHaveText('1 change waiting to upload');
  // Nothing reached the backend, so nothing reached Tryton.
  expect((await stack.admin.pullAll<Receipt>('receipts')).filter((r) => r.purchaseOrderId === order?.id)).toEqual([]);

  // 4. Online again: uploaded and posted in Fieldstock, with no refusal from the ERP.
  await context.unroute(isApi);
  await context.setOffline(false);
  await expect(receiptRows(page)).toContainText('Posted', { timeout: SYNC_TIMEOUT });
  await expect(uploadState(page)).toHaveText('All changes uploaded', { timeout: SYNC_TIMEOUT });
  const receipts = (await stack.admin.pullAll<Receipt>('receipts')).filter((r) => r.purchaseOrderId === order?.id);
  expect(receipts).toHaveLength(1);
  const [receipt] = receipts;
  expect(receipt).toMatchObject({ status: 'posted', lines: [{ lineNumber: lineId, productId: product?.id, quantity: RECEIVED }] });
  if (!receipt) throw new Error('unreachable: one receipt checked above');

  // 5. Tryton: the outbox delivers the receipt as one done incoming shipment with our reference.
  const reference = shipmentReference(receipt.id);
  await expect
    .poll(async () => (await tryton.shipmentsWithReference(reference)).map((s) => s.state), { message: `Tryton shipment ${reference}`, timeout: SYNC_TIMEOUT })
    .toEqual(['done']);
  const ours = await tryton.rpc.model('stock.shipment.in', 'search', [[['reference', 'like', shipmentReference('%')]]]);
  expect(ours, 'incoming shipments from Fieldstock in Tryton').toHaveLength(1);
  expect(await tryton.onHand(), `Tryton's on hand of ${DEMO_PRODUCT} in ${DEMO_WAREHOUSE}`).toBe(onHandBefore + RECEIVED);
  const rest = await tryton.openMoves(lineId);
  expect(rest.map((m) => ({ quantity: m.quantity, state: m.state, shipment: m.shipment })), 'the rest of the purchase line, still to receive').toEqual([
    { quantity: ordered - RECEIVED, state: 'draft', shipment: null },
  ]);
  // Delivered without a refusal, and the order in Fieldstock counts what arrived once, on the backend and on the device.
  expect((await stack.admin.pullAll<Receipt>('receipts')).find((r) => r.id === receipt.id)?.erpError).toBeUndefined();
  await expect(receiptRows(page)).not.toContainText('Refused by the ERP');
  await expect(alreadyReceived(page, lineId)).toHaveText(String(RECEIVED), { timeout: SYNC_TIMEOUT });
  const received = (await stack.admin.pullAll<PurchaseOrder>('purchaseOrders')).find((po) => po.id === order?.id);
  expect(received).toMatchObject({ status: 'partially-received', lines: [{ lineNumber: lineId, quantityOrdered: ordered, quantityReceived: RECEIVED }] });
});
