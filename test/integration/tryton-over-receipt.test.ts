// Over-receipts to Tryton against a real trytond: with a 10% over-receipt tolerance
// (FIELDSTOCK_OVER_RECEIPT_TOLERANCE_PERCENT), 10.5 kg received against a purchase of 10 kg
// reaches Tryton as a done incoming shipment whose move was written up by the excess, the
// way a Tryton user records receiving more than ordered: on hand rises by 10.5, the purchase
// line's moves sum to 10.5, nothing is left open, the purchase counts as received with no
// exception, and the receipt carries no erpError. Likewise a partial 6 then 4.5. A delivery
// interrupted after the shipment (with the write-up) was made, or repeated after its answer
// was lost, adds nothing twice. What Tryton received by hand is never received again: a line
// with nothing open, or with less open than the receipt's share within the tolerance, is
// still refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { units } from '../../shared/decimal.js';
import { deliverReceipt } from '../../server/erp/adapters/tryton/receipts/deliver.js';
import { KeyedLock } from '../../server/erp/adapters/tryton/references.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import { ErpError } from '../../server/erp/errors.js';
import type { OutboxItemView } from '../../shared/erp/outbox-wire.js';
import type { OutboxRunResult } from '../../server/erp/outbox/worker.js';
import { ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import { api, pullAll, pushNew, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, createConfirmedPurchase, type ConfirmedPurchase, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import type { Doc } from './api-support.js';
import { deliverOutbox, runMap, startOutboxServer } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;
interface PoLine {
  lineNumber: number;
  productId: string;
}
const TOLERANCE_PERCENT = 10;

/** A real client that stops, as a crashed worker would, right before the shipment's first step: the shipment is made, not received. */
class StopsBeforeReceive extends TrytonRpc {
  override model(model: string, method: string, params: readonly ErpValue[], context?: Readonly<Record<string, ErpValue>>): Promise<ErpValue> {
    if (model === 'stock.shipment.in' && method === 'receive') return Promise.reject(new ErpError('erp-network', 'the worker stopped here'));
    return super.model(model, method, params, context);
  }
}

describeIfTryton('over-receipts within tolerance to Tryton', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let company: PurchasingCompany;
  /** The fixture's company buying in kilograms (Tryton's Unit has no decimals). */
  let kg: PurchasingCompany;
  let server: TestServer;
  let tech: string;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    company = await buildPurchasingCompany(rpc);
    const [kgId] = (await rpc.model('product.uom', 'search', [[['symbol', '=', 'kg']], 0, 1, null])) as number[];
    const [templateId] = (await rpc.model('product.template', 'create', [
      [{ name: 'Cable', type: 'goods', default_uom: kgId ?? 0, purchasable: true, purchase_uom: kgId ?? 0, list_price: ErpDecimal.parse('4'), products: [['create', [{ suffix_code: 'FS-CABLE-KG', cost_price: ErpDecimal.parse('2') }]]] }],
    ])) as number[];
    const [template] = (await rpc.model('product.template', 'read', [[templateId ?? 0], ['products']])) as Row[];
    const [productId] = template?.products as number[];
    kg = { ...company, unitId: kgId ?? 0, productTemplateId: templateId ?? 0, productId: productId ?? 0, productCode: 'FS-CABLE-KG' };

    server = await startOutboxServer(tryton, { config: { ledger: { overReceiptTolerancePercent: TOLERANCE_PERCENT } } });
    await runMap(server, 'warehouses');
    await runMap(server, 'products');
    const [warehouse] = (await rpc.model('stock.location', 'read', [[company.warehouseId], ['code']])) as Row[];
    const local = (await pullAll<Doc>(server, await server.token('admin'), 'warehouses')).find((w) => w.code === warehouse?.code);
    await server.fieldstock.ctx.auth.createUser({ username: 'over-tech', password: 'over-tech-password', role: 'technician', warehouseCodes: [String(warehouse?.code)] }, [String(local?.id)]);
    tech = (await server.login('over-tech', 'over-tech-password')).accessToken;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rpc?.logout();
  });

  const deliver = (): Promise<OutboxRunResult> => deliverOutbox(server);
  const itemOf = async (receiptId: string): Promise<OutboxItemView | undefined> => {
    const r = await api<{ items: OutboxItemView[] }>(server, await server.token('admin'), 'GET', '/api/v1/admin/erp/outbox?map=receipts');
    expect(r.status).toBe(200);
    return r.body.items.find((i) => i.dedupeKey === receiptId);
  };
  const trytonOnHand = async (): Promise<number> => {
    const [product] = (await rpc.model('product.product', 'read', [[kg.productId], ['quantity']], { locations: [kg.warehouseId] })) as Row[];
    return Number(product?.quantity);
  };
  const shipmentsOf = async (receiptId: string): Promise<Row[]> =>
    (await rpc.model('stock.shipment.in', 'search_read', [[['reference', '=', `fieldstock:receipt:${receiptId}`]], 0, null, null, ['state', 'incoming_moves']])) as Row[];
  const movesOf = async (shipment: Row | undefined): Promise<Row[]> => (await rpc.model('stock.move', 'read', [shipment?.incoming_moves as number[], ['quantity', 'state']])) as Row[];
  /** The purchase line's moves, as Tryton's purchase processing counts them (cancelled ones left out). */
  const lineMoves = async (lineId: number): Promise<Row[]> =>
    (await rpc.model('stock.move', 'search_read', [[['origin', '=', `purchase.line,${lineId}`], ['state', '!=', 'cancelled']], 0, null, [['id', 'ASC']], ['quantity', 'state']])) as Row[];
  const sum = (rows: Row[]): number => rows.reduce((total, r) => total + Number(r.quantity), 0);
  /** The purchase as its own processing left it: received, no exception, the line done with what moved. */
  const expectReceivedInTryton = async (po: ConfirmedPurchase, total: number) => {
    const lineId = po.lineIds[0] as number;
    const moves = await lineMoves(lineId);
    expect(sum(moves)).toBeCloseTo(total, 4);
    expect(moves.filter((m) => m.state !== 'done')).toEqual([]);
    const [purchase] = (await rpc.model('purchase.purchase', 'read', [[po.purchaseId], ['shipment_state', 'state']])) as Row[];
    expect(purchase).toMatchObject({ shipment_state: 'received', state: 'done' });
    const [line] = (await rpc.model('purchase.line', 'read', [[lineId], ['move_done', 'move_exception', 'actual_quantity']])) as Row[];
    expect(line).toMatchObject({ move_done: true, move_exception: false });
    expect(Number(line?.actual_quantity)).toBeCloseTo(total, 4);
  };

  const syncedOrder = async (po: ConfirmedPurchase): Promise<Doc> => {
    await runMap(server, 'purchase-orders');
    const doc = (await pullAll<Doc>(server, await server.token('admin'), 'purchaseOrders')).find((d) => d.number === po.number);
    if (!doc) throw new Error(`${po.number} did not reach the app`);
    return doc;
  };
  const receive = async (order: Doc, quantity: number): Promise<string> => {
    const [line] = order.lines as PoLine[];
    const id = crypto.randomUUID();
    const receipt = { id, purchaseOrderId: order.id, warehouseId: order.warehouseId, receivedAt: new Date().toISOString(), lines: [{ lineNumber: line?.lineNumber, productId: line?.productId, quantity }], status: 'pending', _deleted: false };
    expect((await pushNew(server, tech, 'receipts', [receipt])).body).toEqual([]);
    expect(await pulledReceipt(id)).toMatchObject({ status: 'posted' });
    return id;
  };
  const pulledReceipt = async (id: string): Promise<Doc | undefined> => (await pullAll<Doc>(server, tech, 'receipts')).find((r) => r.id === id);
  /** Received in Tryton by hand, as a clerk would, before Fieldstock's receipt arrives. */
  const receiveInTryton = async (moveIds: number[]) => {
    const [shipmentId = 0] = (await rpc.model('stock.shipment.in', 'create', [[{ supplier: kg.supplierId, warehouse: kg.warehouseId, incoming_moves: [['add', moveIds]] }]])) as number[];
    await rpc.model('stock.shipment.in', 'receive', [[shipmentId]]);
    await rpc.model('stock.shipment.in', 'done', [[shipmentId]]);
  };

  let whole: ConfirmedPurchase;
  let wholeReceipt: string;

  it('delivers 10.5 received against 10 ordered as one done shipment of 10.5: the move written up by the excess, nothing left open', async () => {
    whole = await createConfirmedPurchase(rpc, kg, [{ quantity: 10, unitPrice: units('2') }]);
    const order = await syncedOrder(whole);
    const before = await trytonOnHand();

    wholeReceipt = await receive(order, 10.5);
    expect(await itemOf(wholeReceipt)).toMatchObject({ status: 'pending', payload: { lines: [{ lineNumber: whole.lineIds[0], quantity: '10.5', beyondOrdered: '0.5' }] } });
    expect(await deliver()).toMatchObject({ claimed: 1, done: 1, poisoned: 0 });

    const [shipment] = await shipmentsOf(wholeReceipt);
    expect(shipment).toMatchObject({ state: 'done' });
    // The purchase's own move, written up: Tryton recreates nothing and counts no exception.
    expect((await movesOf(shipment)).map((m) => [m.id, m.quantity, m.state])).toEqual([[whole.moveIdsByLine.get(whole.lineIds[0] as number)?.[0], 10.5, 'done']]);
    expect(await trytonOnHand()).toBeCloseTo(before + 10.5, 4);
    await expectReceivedInTryton(whole, 10.5);
    expect(await itemOf(wholeReceipt)).toMatchObject({ status: 'done', erpId: String(shipment?.id), lastError: null });
    expect(await pulledReceipt(wholeReceipt)).not.toHaveProperty('erpError');
  });

  it('adds nothing when the delivery is repeated after its answer was lost', async () => {
    const item = await itemOf(wholeReceipt);
    await server.fieldstock.ctx.store.db.updateTable('erp_outbox').set({ status: 'pending', next_attempt_at: 0 }).where('id', '=', item?.id ?? '').execute();
    const onHand = await trytonOnHand();
    expect(await deliver()).toMatchObject({ claimed: 1, done: 1 });
    expect(await shipmentsOf(wholeReceipt)).toHaveLength(1);
    expect(await trytonOnHand()).toBe(onHand);
    await expectReceivedInTryton(whole, 10.5);
  });

  it('receives a partial 6 and then 4.5 (the second one over) as 10.5 in all', async () => {
    const po = await createConfirmedPurchase(rpc, kg, [{ quantity: 10, unitPrice: units('2') }]);
    const order = await syncedOrder(po);
    const before = await trytonOnHand();

    const first = await receive(order, 6);
    expect(await deliver()).toMatchObject({ claimed: 1, done: 1 });
    expect((await movesOf((await shipmentsOf(first))[0])).map((m) => m.quantity)).toEqual([6]);
    expect((await lineMoves(po.lineIds[0] as number)).map((m) => [m.quantity, m.state])).toEqual([[6, 'done'], [4, 'draft']]);

    const second = await receive(order, 4.5);
    expect(await itemOf(second)).toMatchObject({ payload: { lines: [{ quantity: '4.5', beyondOrdered: '0.5' }] } });
    expect(await deliver()).toMatchObject({ claimed: 1, done: 1 });
    const [shipment] = await shipmentsOf(second);
    expect(shipment).toMatchObject({ state: 'done' });
    expect((await movesOf(shipment)).map((m) => m.quantity)).toEqual([4.5]);
    expect(await trytonOnHand()).toBeCloseTo(before + 10.5, 4);
    await expectReceivedInTryton(po, 10.5);
    expect(await pulledReceipt(second)).not.toHaveProperty('erpError');
  });

  it('adds the excess once when a delivery stopped after making the shipment with the write-up and is retried', async () => {
    const po = await createConfirmedPurchase(rpc, kg, [{ quantity: 10, unitPrice: units('2') }]);
    const order = await syncedOrder(po);
    const before = await trytonOnHand();
    const id = await receive(order, 10.5);
    const item = await itemOf(id);

    // The interrupted attempt: the shipment carrying our reference is made, written-up move and all, then the worker stops.
    const stopping = new StopsBeforeReceive(tryton.rpcOptions());
    await expect(deliverReceipt(stopping, new KeyedLock(), item?.payload)).rejects.toMatchObject({ code: 'erp-network' });
    await stopping.logout();
    const [made] = await shipmentsOf(id);
    expect(made).toMatchObject({ state: 'draft' });
    expect((await movesOf(made)).map((m) => m.quantity)).toEqual([10.5]);
    expect(await trytonOnHand()).toBe(before);

    // The retry finds that shipment by our reference and only completes it.
    expect(await deliver()).toMatchObject({ claimed: 1, done: 1 });
    const shipments = await shipmentsOf(id);
    expect(shipments).toMatchObject([{ id: made?.id, state: 'done' }]);
    expect((await movesOf(shipments[0])).map((m) => m.quantity)).toEqual([10.5]);
    expect(await trytonOnHand()).toBeCloseTo(before + 10.5, 4);
    await expectReceivedInTryton(po, 10.5);
  });

  it('still refuses a receipt when Tryton has nothing open for the line, or less open than the receipt exceeds the order by', async () => {
    const allIn = await createConfirmedPurchase(rpc, kg, [{ quantity: 10, unitPrice: units('2') }]);
    const partlyIn = await createConfirmedPurchase(rpc, kg, [{ quantity: 10, unitPrice: units('2') }]);
    // Both reach the app while open; what Tryton receives by hand afterwards does not (no sync runs again).
    const allInOrder = await syncedOrder(allIn);
    const partlyInOrder = await syncedOrder(partlyIn);
    // Everything received in Tryton by hand: nothing open to write up.
    await receiveInTryton(allIn.moveIdsByLine.get(allIn.lineIds[0] as number) ?? []);
    // 8 of 10 received in Tryton by hand: 2 open, but only 0.5 of Fieldstock's 10.5 is beyond the order.
    const [moveId = 0] = partlyIn.moveIdsByLine.get(partlyIn.lineIds[0] as number) ?? [];
    await rpc.model('stock.move', 'write', [[moveId], { quantity: 8 }]);
    await rpc.model('stock.move', 'copy', [[moveId], { quantity: 2 }]);
    await receiveInTryton([moveId]);
    const onHand = await trytonOnHand();

    const nothingOpen = await receive(allInOrder, 10.5);
    const lessOpen = await receive(partlyInOrder, 10.5);
    expect(await deliver()).toMatchObject({ claimed: 2, done: 0, poisoned: 2 });
    for (const [id, open] of [[nothingOpen, '0'], [lessOpen, '2']] as const) {
      expect(await itemOf(id)).toMatchObject({ status: 'poison', lastError: { code: 'erp-user-error', message: expect.stringContaining(`has ${open} open to receive, less than the 10.5 received`) } });
      expect(await pulledReceipt(id)).toMatchObject({ status: 'posted', erpError: { code: 'erp-user-error', message: expect.stringContaining('open to receive') } });
      expect(await shipmentsOf(id)).toEqual([]);
    }
    expect(await trytonOnHand()).toBe(onHand);
    expect((await lineMoves(partlyIn.lineIds[0] as number)).map((m) => [m.quantity, m.state])).toEqual([[8, 'done'], [2, 'draft']]);
  });
});
