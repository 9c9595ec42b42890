// Receipts to Tryton against a real trytond: a purchase confirmed in Tryton syncs to
// Fieldstock; a technician's partial receipt is queued in the posting transaction and the
// outbox delivers it as a done incoming shipment carrying our reference, raising Tryton's
// on hand by what arrived and leaving a move for the rest open; a second receipt takes the
// rest; a repeated delivery (an answer lost) makes no second shipment; an order made in
// Fieldstock queues nothing; a receipt Tryton has nothing open for stays posted here and
// shows as a poison item with the reason.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { units } from '../../shared/decimal.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import type { OutboxItemView } from '../../shared/erp/outbox-wire.js';
import type { OutboxRunResult } from '../../server/erp/outbox/worker.js';
import type { ErpValue } from '../../server/erp/values.js';
import { api, pullAll, pushNew, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, createConfirmedPurchase, type ConfirmedPurchase, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { onHandRow, push, type Doc } from './api-support.js';
import { deliverOutbox, runMap, startOutboxServer } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;
interface PoLine {
  lineNumber: number;
  productId: string;
}

describeIfTryton('receipts to Tryton through the ERP outbox', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let company: PurchasingCompany;
  let server: TestServer;
  let warehouseCode: string;
  let tech: string;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    company = await buildPurchasingCompany(rpc);
    const [warehouse] = (await rpc.model('stock.location', 'read', [[company.warehouseId], ['code']])) as Row[];
    warehouseCode = String(warehouse?.code);
    server = await startOutboxServer(tryton);
  });
  afterAll(async () => {
    await server?.close();
    await rpc?.logout();
  });

  /** One outbox run, as the app's timer would make it, with the handlers the app registered. */
  const deliver = (): Promise<OutboxRunResult> => deliverOutbox(server);
  const outboxItems = async (): Promise<OutboxItemView[]> => {
    const r = await api<{ items: OutboxItemView[] }>(server, await server.token('admin'), 'GET', '/api/v1/admin/erp/outbox?map=receipts');
    expect(r.status).toBe(200);
    return r.body.items;
  };
  const trytonOnHand = async (): Promise<number> => {
    const [product] = (await rpc.model('product.product', 'read', [[company.productId], ['quantity']], { locations: [company.warehouseId] })) as Row[];
    return Number(product?.quantity);
  };
  const shipmentsOf = async (receiptId: string): Promise<Row[]> =>
    (await rpc.model('stock.shipment.in', 'search_read', [[['reference', '=', `fieldstock:receipt:${receiptId}`]], 0, null, null, ['state', 'incoming_moves']])) as Row[];
  const openMoves = async (lineId: number): Promise<Row[]> =>
    (await rpc.model('stock.move', 'search_read', [[['origin', '=', `purchase.line,${lineId}`], ['state', 'in', ['draft', 'assigned']]], 0, null, null, ['quantity', 'shipment']])) as Row[];

  const syncedOrder = async (po: ConfirmedPurchase): Promise<Doc> => {
    await runMap(server, 'purchase-orders');
    const doc = (await pullAll<Doc>(server, await server.token('admin'), 'purchaseOrders')).find((d) => d.number === po.number);
    expect(doc).toBeDefined();
    return doc as Doc;
  };
  const receive = async (order: Doc, quantity: number): Promise<string> => {
    const [line] = order.lines as PoLine[];
    const id = crypto.randomUUID();
    const receipt = {
      id,
      purchaseOrderId: order.id,
      warehouseId: order.warehouseId,
      receivedAt: new Date().toISOString(),
      lines: [{ lineNumber: line?.lineNumber, productId: line?.productId, quantity }],
      status: 'pending',
      _deleted: false,
    };
    expect((await pushNew(server, tech, 'receipts', [receipt])).status).toBe(200);
    expect((await pullAll<Doc>(server, tech, 'receipts')).find((r) => r.id === id)).toMatchObject({ status: 'posted' });
    return id;
  };

  let po: ConfirmedPurchase;
  let order: Doc;
  let first: string;

  it('queues a partial receipt with its posting, and delivers it as a done incoming shipment that raises Tryton\'s on hand and leaves the rest open', async () => {
    po = await createConfirmedPurchase(rpc, company, [{ quantity: 5, unitPrice: units('2.5') }]);
    order = await syncedOrder(po);
    const warehouseId = String(order.warehouseId);
    await server.fieldstock.ctx.auth.createUser({ username: 'receiving-tech', password: 'receiving-tech-password', role: 'technician', warehouseCodes: [warehouseCode] }, [warehouseId]);
    tech = (await server.login('receiving-tech', 'receiving-tech-password')).accessToken;
    const before = await trytonOnHand();

    first = await receive(order, 2);
    const [queued] = await outboxItems();
    expect(queued).toMatchObject({ operation: 'receive', documentId: order.id, dedupeKey: first, status: 'pending', payload: { receiptId: first, purchaseErpId: po.purchaseId, lines: [{ lineNumber: po.lineIds[0], quantity: '2' }] } });

    expect(await deliver()).toMatchObject({ claimed: 1, done: 1, poisoned: 0, retried: 0 });
    const [shipment] = await shipmentsOf(first);
    expect(shipment).toMatchObject({ state: 'done' });
    expect((await outboxItems())[0]).toMatchObject({ status: 'done', erpId: String(shipment?.id), lastError: null });
    expect(await trytonOnHand()).toBe(before + 2);
    const [received] = (await rpc.model('stock.move', 'read', [shipment?.incoming_moves as number[], ['quantity', 'state']])) as Row[];
    expect(received).toMatchObject({ quantity: 2, state: 'done' });
    const rest = await openMoves(po.lineIds[0] as number);
    expect(rest.map((m) => [m.quantity, m.shipment])).toEqual([[3, null]]);
    expect(await onHandRow(server, await server.token('admin'), warehouseCode, company.productCode)).toMatchObject({ onHand: 2, onOrder: 3 });
  });

  it('aggregates the receipt into a do-not-sync ERP journal line and queues no journal delivery: Tryton hears of it once, as its own shipment', async () => {
    const admin = await server.token('admin');
    const run = await api<{ erpJournals: number }>(server, admin, 'POST', '/api/v1/admin/aggregation/run');
    expect(run.status).toBe(200);
    const erpJournals = (await pullAll<Doc>(server, admin, 'journals')).filter((j) => j.kind === 'erp' && j.journalName === 'receipt');
    expect(erpJournals.length).toBeGreaterThan(0);
    for (const journal of erpJournals) {
      expect(journal.status).toBe('do-not-sync');
      for (const line of journal.lines as { status: string }[]) expect(line.status).toBe('do-not-sync');
    }
    const journalItems = await api<{ items: OutboxItemView[] }>(server, admin, 'GET', '/api/v1/admin/erp/outbox?map=journals');
    expect(journalItems.body.items.filter((i) => erpJournals.some((j) => j.id === i.documentId))).toEqual([]);
  });

  it('makes no second shipment when a delivery is repeated after its answer was lost', async () => {
    const [item] = await outboxItems();
    // As after a worker that crashed before recording "done": the item is delivered again with the same key.
    await server.fieldstock.ctx.store.db.updateTable('erp_outbox').set({ status: 'pending', next_attempt_at: 0 }).where('id', '=', item?.id ?? '').execute();
    const onHand = await trytonOnHand();
    expect(await deliver()).toMatchObject({ claimed: 1, done: 1 });
    const shipments = await shipmentsOf(first);
    expect(shipments).toHaveLength(1);
    expect((await outboxItems())[0]).toMatchObject({ id: item?.id, status: 'done', erpId: String(shipments[0]?.id) });
    expect(await trytonOnHand()).toBe(onHand);
    expect((await openMoves(po.lineIds[0] as number)).map((m) => m.quantity)).toEqual([3]);
  });

  it('completes the purchase line with a second receipt for the rest', async () => {
    const onHand = await trytonOnHand();
    const second = await receive(order, 3);
    expect(await deliver()).toMatchObject({ claimed: 1, done: 1 });
    expect(await shipmentsOf(second)).toMatchObject([{ state: 'done' }]);
    expect(await trytonOnHand()).toBe(onHand + 3);
    expect(await openMoves(po.lineIds[0] as number)).toEqual([]);
    const [purchase] = (await rpc.model('purchase.purchase', 'read', [[po.purchaseId], ['shipment_state']])) as Row[];
    expect(purchase?.shipment_state).toBe('received');
  });

  it('leaves the rest open when an earlier delivery stopped after writing the move down and before copying the rest', async () => {
    const third = await createConfirmedPurchase(rpc, company, [{ quantity: 6, unitPrice: units('1') }]);
    const thirdOrder = await syncedOrder(third);
    const lineId = third.lineIds[0] as number;
    // What the interrupted delivery left in Tryton: the move holds the received 2, no move holds the other 4.
    await rpc.model('stock.move', 'write', [third.moveIdsByLine.get(lineId) ?? [], { quantity: 2 }]);
    const onHand = await trytonOnHand();
    const id = await receive(thirdOrder, 2);
    expect(await deliver()).toMatchObject({ claimed: 1, done: 1 });
    expect(await shipmentsOf(id)).toMatchObject([{ state: 'done' }]);
    expect(await trytonOnHand()).toBe(onHand + 2);
    // Tryton's purchase processing, run when the shipment is received, recreates the rest.
    expect((await openMoves(lineId)).map((m) => m.quantity)).toEqual([4]);
  });

  it('queues nothing for a receipt against an order made in Fieldstock, which Tryton does not know', async () => {
    const admin = await server.token('admin');
    const [line] = order.lines as (PoLine & { unit: string })[];
    const local = {
      id: crypto.randomUUID(),
      number: 'FS-LOCAL-PO-1',
      vendorName: 'Local vendor',
      status: 'open',
      warehouseId: order.warehouseId,
      lines: [{ lineNumber: 1, productId: line?.productId, quantityOrdered: 2, quantityReceived: 0, unit: line?.unit }],
      _deleted: false,
    };
    expect((await push(server, admin, 'purchaseOrders', [{ assumedMasterState: null, newDocumentState: local }])).body).toEqual([]);
    const before = await outboxItems();
    const id = crypto.randomUUID();
    const receipt = { id, purchaseOrderId: local.id, warehouseId: local.warehouseId, receivedAt: new Date().toISOString(), lines: [{ lineNumber: 1, productId: line?.productId, quantity: 2 }], status: 'pending', _deleted: false };
    expect((await pushNew(server, tech, 'receipts', [receipt])).status).toBe(200);
    expect((await pullAll<Doc>(server, tech, 'receipts')).find((r) => r.id === id)).toMatchObject({ status: 'posted' });
    expect(await outboxItems()).toEqual(before);
  });

  it('keeps a receipt Tryton has nothing open for posted, and shows why on the poison item in the admin outbox', async () => {
    const other = await createConfirmedPurchase(rpc, company, [{ quantity: 4, unitPrice: units('1') }]);
    const otherOrder = await syncedOrder(other);
    // Received in Tryton by hand before Fieldstock's receipt arrives: nothing is left open there.
    const [shipmentId = 0] = (await rpc.model('stock.shipment.in', 'create', [
      [{ supplier: company.supplierId, warehouse: company.warehouseId, incoming_moves: [['add', other.moveIdsByLine.get(other.lineIds[0] as number) ?? []]] }],
    ])) as number[];
    await rpc.model('stock.shipment.in', 'receive', [[shipmentId]]);
    await rpc.model('stock.shipment.in', 'done', [[shipmentId]]);

    const refusedId = await receive(otherOrder, 1);
    expect(await deliver()).toMatchObject({ claimed: 1, done: 0, poisoned: 1 });
    const item = (await outboxItems()).find((i) => i.dedupeKey === refusedId);
    expect(item).toMatchObject({ status: 'poison', lastError: { code: 'erp-user-error', message: expect.stringContaining('open to receive') } });
    expect(await shipmentsOf(refusedId)).toEqual([]);
    expect((await pullAll<Doc>(server, tech, 'receipts')).find((r) => r.id === refusedId)).toMatchObject({ status: 'posted' });
  });
});
