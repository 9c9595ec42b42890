// What Tryton refuses shows on the document that caused it, against a real trytond, and
// nothing else stops. In one outbox run: a receipt against a purchase whose deliveries were
// cancelled in Tryton after the order reached the app (nothing left open to receive) and an
// adjustment of a product Tryton does not know are refused: each document, as a client pulls
// it, stays posted and carries erpError with Tryton's message. Beside them a receipt of
// another purchase and an adjustment of a known product reach Tryton as usual. Once the data
// is fixed in Tryton and an admin retries the poison items, the marks are cleared.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { units } from '../../shared/decimal.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import type { OutboxItemView } from '../../shared/erp/outbox-wire.js';
import type { OutboxRunResult } from '../../server/erp/outbox/worker.js';
import { ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import { api, pullAll, pushNew, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, createConfirmedPurchase, type ConfirmedPurchase, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { runNow } from './aggregation-support.js';
import { push, type Doc } from './api-support.js';
import { deliverOutbox, runMap, startOutboxServer } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;
interface PoLine {
  lineNumber: number;
  productId: string;
}
const UNKNOWN_NUMBER = 'P-NOT-IN-TRYTON';

describeIfTryton('Tryton refusals mark the document that caused them', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let company: PurchasingCompany;
  let server: TestServer;
  let admin: string;
  let tech: string;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    company = await buildPurchasingCompany(rpc);
    server = await startOutboxServer(tryton);
    admin = await server.token('admin');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rpc?.logout();
  });

  const deliver = (): Promise<OutboxRunResult> => deliverOutbox(server);
  const items = async (map: string): Promise<OutboxItemView[]> => {
    const r = await api<{ items: OutboxItemView[] }>(server, admin, 'GET', `/api/v1/admin/erp/outbox?map=${map}`);
    expect(r.status).toBe(200);
    return r.body.items;
  };
  const retry = async (id: string) => expect((await api(server, admin, 'POST', `/api/v1/admin/erp/outbox/${id}/retry`)).status).toBe(200);
  const pulled = async (collection: string, id: string): Promise<Doc | undefined> => (await pullAll<Doc>(server, tech, collection)).find((d) => d.id === id);
  const shipmentsOf = async (receiptId: string): Promise<Row[]> =>
    (await rpc.model('stock.shipment.in', 'search_read', [[['reference', '=', `fieldstock:receipt:${receiptId}`]], 0, null, null, ['state']])) as Row[];
  const trytonOnHand = async (productId: number): Promise<number> => {
    const [product] = (await rpc.model('product.product', 'read', [[productId], ['quantity']], { locations: [company.storageLocationId] })) as Row[];
    return Number(product?.quantity);
  };

  const syncedOrder = async (po: ConfirmedPurchase): Promise<Doc> => {
    await runMap(server, 'purchase-orders');
    const doc = (await pullAll<Doc>(server, admin, 'purchaseOrders')).find((d) => d.number === po.number);
    if (!doc) throw new Error(`${po.number} did not reach the app`);
    return doc;
  };
  const receive = async (order: Doc, quantity: number): Promise<string> => {
    const [line] = order.lines as PoLine[];
    const id = crypto.randomUUID();
    const receipt = { id, purchaseOrderId: order.id, warehouseId: order.warehouseId, receivedAt: new Date().toISOString(), lines: [{ lineNumber: line?.lineNumber, productId: line?.productId, quantity }], status: 'pending', _deleted: false };
    expect((await pushNew(server, tech, 'receipts', [receipt])).body).toEqual([]);
    expect(await pulled('receipts', id)).toMatchObject({ status: 'posted' });
    return id;
  };
  const adjust = async (warehouseId: unknown, productId: unknown, quantity: number): Promise<string> => {
    const id = crypto.randomUUID();
    const doc = { id, type: 'adjustment', warehouseId, productId, quantity, occurredAt: new Date().toISOString(), status: 'pending', _deleted: false };
    expect((await pushNew(server, tech, 'inventoryTransactions', [doc])).body).toEqual([]);
    expect(await pulled('inventoryTransactions', id)).toMatchObject({ status: 'posted' });
    return id;
  };

  let cancelled: ConfirmedPurchase;
  let refusedReceipt: string;
  let refusedAdjustment: string;
  let knownAdjustment: string;

  it('refuses a receipt whose purchase was cancelled in Tryton and an adjustment of an unknown product: both stay posted and show Tryton\'s message; the rest reaches Tryton', async () => {
    cancelled = await createConfirmedPurchase(rpc, company, [{ quantity: 5, unitPrice: units('2') }]);
    const healthy = await createConfirmedPurchase(rpc, company, [{ quantity: 3, unitPrice: units('2') }]);
    const cancelledOrder = await syncedOrder(cancelled);
    const healthyOrder = await syncedOrder(healthy);
    const warehouseId = String(cancelledOrder.warehouseId);
    const [warehouse] = (await rpc.model('stock.location', 'read', [[company.warehouseId], ['code']])) as Row[];
    await server.fieldstock.ctx.auth.createUser({ username: 'refusal-tech', password: 'refusal-tech-password', role: 'technician', warehouseCodes: [String(warehouse?.code)] }, [warehouseId]);
    tech = (await server.login('refusal-tech', 'refusal-tech-password')).accessToken;

    // After the order reached the app, its deliveries are cancelled in Tryton: nothing is left open to receive.
    await rpc.model('stock.move', 'cancel', [[...cancelled.moveIdsByLine.values()].flat()]);
    // A product made in Fieldstock only (products come from Tryton; this one never went there).
    const [line] = cancelledOrder.lines as PoLine[];
    const known = (await pullAll<Doc>(server, admin, 'products')).find((p) => p.id === line?.productId);
    if (!known) throw new Error('the purchased product did not reach the app');
    const unknownProduct = { ...known, id: crypto.randomUUID(), number: UNKNOWN_NUMBER, name: 'Fieldstock-only part', _deleted: false };
    expect((await push(server, admin, 'products', [{ assumedMasterState: null, newDocumentState: unknownProduct }])).body).toEqual([]);

    refusedReceipt = await receive(cancelledOrder, 2);
    const acceptedReceipt = await receive(healthyOrder, 3);
    refusedAdjustment = await adjust(warehouseId, unknownProduct.id, 4);
    knownAdjustment = await adjust(warehouseId, known.id, 1);
    expect(await runNow(server, admin)).toMatchObject({ sink: 'tryton', queued: 1 });
    const onHand = await trytonOnHand(company.productId);

    // One run delivers everything; the refusals do not stop the rest.
    expect(await deliver()).toMatchObject({ claimed: 3, done: 1, poisoned: 2, retried: 0 });
    const receipt = await pulled('receipts', refusedReceipt);
    expect(receipt).toMatchObject({ status: 'posted', journalId: expect.any(String), erpError: { code: 'erp-user-error', message: expect.stringContaining('open to receive'), at: expect.any(String) } });
    const receiptItem = (await items('receipts')).find((i) => i.dedupeKey === refusedReceipt);
    expect(receiptItem).toMatchObject({ status: 'poison', lastError: { message: (receipt?.erpError as { message: string }).message } });
    expect(await shipmentsOf(refusedReceipt)).toEqual([]);

    expect(await pulled('inventoryTransactions', refusedAdjustment)).toMatchObject({
      status: 'posted',
      erpError: { code: 'erp-unknown-product', message: expect.stringContaining(`"${UNKNOWN_NUMBER}"`), at: expect.any(String) },
    });

    // Nothing else stopped: the other receipt is a done shipment, the known product's line moved Tryton, neither is marked.
    expect(await shipmentsOf(acceptedReceipt)).toMatchObject([{ state: 'done' }]);
    expect(await pulled('receipts', acceptedReceipt)).not.toHaveProperty('erpError');
    expect(await trytonOnHand(company.productId)).toBe(onHand + 3 + 1);
    expect(await pulled('inventoryTransactions', knownAdjustment)).not.toHaveProperty('erpError');
  });

  it('clears the marks once the data is fixed in Tryton and an admin retries', async () => {
    // Fixed in Tryton: the cancelled delivery is made again, and the product created with our number.
    const [cancelledMove] = [...cancelled.moveIdsByLine.values()].flat();
    await rpc.model('stock.move', 'copy', [[cancelledMove ?? 0], { state: 'draft' }]);
    await rpc.model('product.template', 'create', [
      [{ name: 'Fieldstock-only part', type: 'goods', default_uom: company.unitId, list_price: ErpDecimal.parse('10'), products: [['create', [{ suffix_code: UNKNOWN_NUMBER, cost_price: ErpDecimal.parse('5') }]]] }],
    ]);
    const poison = [...(await items('receipts')), ...(await items('journals'))].filter((i) => i.status === 'poison');
    expect(poison).toHaveLength(2);
    for (const item of poison) await retry(item.id);

    expect(await deliver()).toMatchObject({ claimed: 2, done: 2, poisoned: 0 });
    const receipt = await pulled('receipts', refusedReceipt);
    expect(receipt).toMatchObject({ status: 'posted' });
    expect(receipt).not.toHaveProperty('erpError');
    expect(await shipmentsOf(refusedReceipt)).toMatchObject([{ state: 'done' }]);
    const adjustment = await pulled('inventoryTransactions', refusedAdjustment);
    expect(adjustment).toMatchObject({ status: 'posted' });
    expect(adjustment).not.toHaveProperty('erpError');
    expect(await pulled('inventoryTransactions', knownAdjustment)).not.toHaveProperty('erpError');
  });
});
