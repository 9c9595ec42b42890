// Ledger contract (API.md "Inventory transactions", "External channels"):
// each transaction type moves stock exactly once, counts fix the level as of
// their time, stock policy and clock checks reject, receipts advance purchase
// orders, and the bulk adjustment channel is idempotent per id.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adjustment, api, demo, pullAll, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import {
  ENGINES,
  HOUR,
  at,
  describeEngine,
  expectErrorBody,
  inventoryDocId,
  onHand,
  onHandRow,
  productId,
  productNumber,
  pulledDoc,
  push,
  warehouseId,
  type Doc,
  type OnHandRow,
} from './api-support.js';

interface BulkResult {
  id: string;
  status: 'posted' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
}

interface PoLine {
  lineNumber: number;
  productId: string;
  quantityOrdered: number;
  quantityReceived: number;
  unit: string;
}

function receipt(purchaseOrderId: string, warehouse: string, lines: { lineNumber: number; productId: string; quantity: number }[]): Doc {
  return { id: crypto.randomUUID(), purchaseOrderId, warehouseId: warehouse, receivedAt: new Date().toISOString(), lines, status: 'pending', _deleted: false };
}

const numberOf = (id: string): string => {
  for (let n = 1001; n <= 1240; n += 1) if (productId(n) === id) return productNumber(n);
  throw new Error(`${id} is not a demo product`);
};

for (const engine of ENGINES) {
  describeEngine(engine, 'ledger contract', () => {
    let server: TestServer;
    let admin: string;
    let tech1: string;
    const truck1 = warehouseId('TRUCK-1');

    beforeAll(async () => {
      server = await startTestServer({ engine });
      [admin, tech1] = await Promise.all([server.token('admin'), server.token('tech1')]);
    });
    afterAll(() => server?.close());

    /** Pushes one transaction as `token` and returns its master state as the author pulls it. */
    async function post(token: string, doc: Doc): Promise<Doc | undefined> {
      const r = await pushNew(server, token, 'inventoryTransactions', [doc]);
      expect(r.status).toBe(200);
      return pulledDoc(server, token, 'inventoryTransactions', String(doc.id));
    }

    it('posts an adjustment once; pushing the same document again from another device posts nothing more', async () => {
      const n = 1101;
      const before = await onHand(server, admin, 'TRUCK-1', productNumber(n));
      const tx = adjustment({ warehouseId: truck1, productId: productId(n), quantity: 2.5 });
      const master = await post(tech1, tx);
      expect(master).toEqual({ ...tx, status: 'posted', journalId: expect.any(String) });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(before + 2.5);
      expect(await pulledDoc(server, tech1, 'inventory', inventoryDocId(truck1, productId(n)))).toMatchObject({ onHand: before + 2.5 });

      // The same row again (a retry after a lost response), from a second session of the same user.
      const otherDevice = (await server.login('tech1')).accessToken;
      const again = await pushNew(server, otherDevice, 'inventoryTransactions', [tx]);
      expect(again.status).toBe(200);
      expect(again.body).toEqual([master]);
      // And twice in one batch.
      const twice = await push(server, tech1, 'inventoryTransactions', [{ newDocumentState: tx }, { newDocumentState: tx }]);
      expect(twice.status).toBe(200);
      expect(twice.body.length).toBeGreaterThan(0);
      expect(twice.body.every((d) => d.id === tx.id && d.status === 'posted')).toBe(true);

      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(before + 2.5);
      const journals = await pullAll<Doc>(server, admin, 'journals');
      expect(journals.filter((j) => j.sourceId === tx.id)).toHaveLength(1);
    });

    it('moves a transfer from TRUCK-1 to WH-MAIN in both warehouses, visible to both sides', async () => {
      const n = 1105;
      const fromBefore = await onHand(server, admin, 'TRUCK-1', productNumber(n));
      const toBefore = await onHand(server, admin, 'WH-MAIN', productNumber(n));
      const tx = adjustment({ type: 'transfer', warehouseId: truck1, toWarehouseId: warehouseId('WH-MAIN'), productId: productId(n), quantity: 3 });
      expect(await post(tech1, tx)).toMatchObject({ status: 'posted' });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(fromBefore - 3);
      expect(await onHand(server, admin, 'WH-MAIN', productNumber(n))).toBe(toBefore + 3);
      // The receiving warehouse's staff see the transfer; another truck does not.
      expect(await pulledDoc(server, await server.token('clerk1'), 'inventoryTransactions', tx.id)).toMatchObject({ status: 'posted' });
      expect(await pulledDoc(server, await server.token('tech2'), 'inventoryTransactions', tx.id)).toBeUndefined();

      // A transfer between two warehouses outside the user's scope is refused.
      const foreign = adjustment({ type: 'transfer', warehouseId: warehouseId('WH-NORTH'), toWarehouseId: warehouseId('WH-MAIN'), productId: productId(n), quantity: 1 });
      expect(await post(tech1, foreign)).toMatchObject({ status: 'rejected', error: { code: 'warehouse-not-in-scope' } });
      expect(await onHand(server, admin, 'WH-MAIN', productNumber(n))).toBe(toBefore + 3);
    });

    it('lowers on hand by a consumption and rejects non-positive consumptions', async () => {
      const n = 1109;
      const before = await onHand(server, admin, 'TRUCK-1', productNumber(n));
      expect(await post(tech1, adjustment({ type: 'consumption', warehouseId: truck1, productId: productId(n), quantity: 1.5 }))).toMatchObject({ status: 'posted' });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(before - 1.5);
      expect(await post(tech1, adjustment({ type: 'consumption', warehouseId: truck1, productId: productId(n), quantity: -2 }))).toMatchObject({
        status: 'rejected',
        error: { code: 'invalid-quantity' },
      });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(before - 1.5);
    });

    it('sets the level with a count as of its occurredAt: earlier transactions arriving later do not move it, later ones apply on top', async () => {
      const n = 1113;
      const countedAt = at(-2 * HOUR);
      expect(await post(tech1, adjustment({ type: 'count', warehouseId: truck1, productId: productId(n), quantity: 50, occurredAt: countedAt }))).toMatchObject({ status: 'posted' });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(50);

      // Happened before the count (already inside the counted 50), synced only now.
      const earlier = await post(tech1, adjustment({ warehouseId: truck1, productId: productId(n), quantity: -7, occurredAt: at(-3 * HOUR) }));
      expect(earlier).toMatchObject({ status: 'posted' });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(50);

      // Happened after the count.
      expect(await post(tech1, adjustment({ warehouseId: truck1, productId: productId(n), quantity: 4, occurredAt: at(-1 * HOUR) }))).toMatchObject({ status: 'posted' });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(54);

      // A second count taken between the first count and that adjustment: the adjustment still applies on top.
      expect(await post(tech1, adjustment({ type: 'count', warehouseId: truck1, productId: productId(n), quantity: 30, occurredAt: at(-1.5 * HOUR) }))).toMatchObject({ status: 'posted' });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(34);
      expect(await pulledDoc(server, tech1, 'inventory', inventoryDocId(truck1, productId(n)))).toMatchObject({ onHand: 34 });
    });

    it('rejects occurredAt more than 24 hours ahead and accepts one slightly ahead', async () => {
      const n = 1117;
      const before = await onHand(server, admin, 'TRUCK-1', productNumber(n));
      const future = await post(tech1, adjustment({ warehouseId: truck1, productId: productId(n), quantity: 5, occurredAt: at(25 * HOUR) }));
      expect(future).toMatchObject({ status: 'rejected', error: { code: expect.any(String), message: expect.any(String) } });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(before);
      const skewed = await post(tech1, adjustment({ warehouseId: truck1, productId: productId(n), quantity: 5, occurredAt: at(HOUR) }));
      expect(skewed).toMatchObject({ status: 'posted' });
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(n))).toBe(before + 5);
    });

    it('rejects insufficient-stock once an admin forbids negative stock for a warehouse', async () => {
      const tech3 = await server.token('tech3');
      const truck3 = warehouseId('TRUCK-3');
      const n = 1121;
      // Below zero is allowed by default.
      const start = await onHand(server, admin, 'TRUCK-3', productNumber(n));
      expect(await post(tech3, adjustment({ type: 'consumption', warehouseId: truck3, productId: productId(n), quantity: start + 2 }))).toMatchObject({ status: 'posted' });
      expect(await onHand(server, admin, 'TRUCK-3', productNumber(n))).toBe(-2);
      expect(await post(tech3, adjustment({ warehouseId: truck3, productId: productId(n), quantity: 12 }))).toMatchObject({ status: 'posted' });

      const master = await pulledDoc(server, admin, 'warehouses', truck3);
      expect(master).toMatchObject({ allowNegativeStock: true });
      const update = await push(server, admin, 'warehouses', [{ assumedMasterState: master, newDocumentState: { ...master, allowNegativeStock: false } }]);
      expect(update.status).toBe(200);
      expect(update.body).toEqual([]);
      expect(await pulledDoc(server, tech3, 'warehouses', truck3)).toMatchObject({ allowNegativeStock: false });

      const tooMuch = await post(tech3, adjustment({ type: 'consumption', warehouseId: truck3, productId: productId(n), quantity: 10.5 }));
      expect(tooMuch).toMatchObject({ status: 'rejected', error: { code: 'insufficient-stock' } });
      const negativeAdjustment = await post(tech3, adjustment({ warehouseId: truck3, productId: productId(n), quantity: -11 }));
      expect(negativeAdjustment).toMatchObject({ status: 'rejected', error: { code: 'insufficient-stock' } });
      const transferOut = await post(tech3, adjustment({ type: 'transfer', warehouseId: truck3, toWarehouseId: warehouseId('WH-MAIN'), productId: productId(n), quantity: 11 }));
      expect(transferOut).toMatchObject({ status: 'rejected', error: { code: 'insufficient-stock' } });
      expect(await onHand(server, admin, 'TRUCK-3', productNumber(n))).toBe(10);

      // Down to exactly zero is fine.
      expect(await post(tech3, adjustment({ type: 'consumption', warehouseId: truck3, productId: productId(n), quantity: 10 }))).toMatchObject({ status: 'posted' });
      expect(await onHand(server, admin, 'TRUCK-3', productNumber(n))).toBe(0);
    });

    it('posts receipts against an open purchase order: on hand up, on order down, lines and status advance, other clients see it', async () => {
      const poId = demo.purchaseOrder('PO-2003');
      const po = await pulledDoc(server, tech1, 'purchaseOrders', poId);
      expect(po).toMatchObject({ status: 'open', warehouseId: truck1 });
      const lines = (po?.lines ?? []) as PoLine[];
      expect(lines.length).toBeGreaterThanOrEqual(2);
      const [first, second] = lines as [PoLine, PoLine];
      expect(first.quantityOrdered).toBeGreaterThan(1);

      const products = [...new Set(lines.map((l) => l.productId))];
      const levels = async () => {
        const map = new Map<string, OnHandRow | undefined>();
        for (const p of products) map.set(p, await onHandRow(server, admin, 'TRUCK-1', numberOf(p)));
        return map;
      };
      const before = await levels();

      // Partial receipt of line 1.
      const partial = receipt(poId, truck1, [{ lineNumber: first.lineNumber, productId: first.productId, quantity: 1 }]);
      expect((await pushNew(server, tech1, 'receipts', [partial])).status).toBe(200);
      expect(await pulledDoc(server, tech1, 'receipts', String(partial.id))).toMatchObject({ status: 'posted', journalId: expect.any(String) });
      const afterPartial = await levels();
      expect(afterPartial.get(first.productId)?.onHand).toBe((before.get(first.productId)?.onHand ?? 0) + 1);
      expect(afterPartial.get(first.productId)?.onOrder).toBe((before.get(first.productId)?.onOrder ?? 0) - 1);

      // A second client (the admin's device) sees the purchase order advance through pull.
      const seen = await pulledDoc(server, admin, 'purchaseOrders', poId);
      expect(seen).toMatchObject({ status: 'partially-received' });
      expect((seen?.lines as PoLine[]).find((l) => l.lineNumber === first.lineNumber)?.quantityReceived).toBe(1);

      // More than ordered on line 2: rejected, nothing moves.
      const over = receipt(poId, truck1, [{ lineNumber: second.lineNumber, productId: second.productId, quantity: second.quantityOrdered + 1 }]);
      expect((await pushNew(server, tech1, 'receipts', [over])).status).toBe(200);
      expect(await pulledDoc(server, tech1, 'receipts', String(over.id))).toMatchObject({ status: 'rejected', error: { code: 'over-receipt' } });
      expect(await levels()).toEqual(afterPartial);

      // The rest of every line: the order is received in full.
      const rest = receipt(
        poId,
        truck1,
        lines.map((l) => ({ lineNumber: l.lineNumber, productId: l.productId, quantity: l.quantityOrdered - (l.lineNumber === first.lineNumber ? 1 : 0) })),
      );
      expect((await pushNew(server, tech1, 'receipts', [rest])).status).toBe(200);
      expect(await pulledDoc(server, tech1, 'receipts', String(rest.id))).toMatchObject({ status: 'posted' });
      const received = await pulledDoc(server, await server.token('integration1'), 'purchaseOrders', poId);
      expect(received).toMatchObject({ status: 'received' });
      for (const l of received?.lines as PoLine[]) expect(l.quantityReceived).toBe(l.quantityOrdered);
      const after = await levels();
      for (const p of products) {
        const total = lines.filter((l) => l.productId === p).reduce((sum, l) => sum + l.quantityOrdered, 0);
        expect(after.get(p)?.onHand, `on hand of ${p}`).toBe((before.get(p)?.onHand ?? 0) + total);
        expect(after.get(p)?.onOrder, `on order of ${p}`).toBe((before.get(p)?.onOrder ?? 0) - total);
      }

      // A received order takes no more.
      const late = receipt(poId, truck1, [{ lineNumber: first.lineNumber, productId: first.productId, quantity: 1 }]);
      await pushNew(server, tech1, 'receipts', [late]);
      expect(await pulledDoc(server, tech1, 'receipts', String(late.id))).toMatchObject({ status: 'rejected', error: { code: 'po-not-open' } });
      expect(await levels()).toEqual(after);
    });

    it('keeps on order in step with purchase orders an admin writes: new, edited, received, cancelled — in the base unit', async () => {
      const clerk = await server.token('clerk1');
      const north = warehouseId('WH-NORTH');
      const elbow = productNumber(1001); // bought in boxes of 25
      const onOrder = async () => (await onHandRow(server, admin, 'WH-NORTH', elbow))?.onOrder ?? 0;
      const before = await onOrder();
      const onHandBefore = (await onHandRow(server, admin, 'WH-NORTH', elbow))?.onHand ?? 0;
      const po = {
        id: crypto.randomUUID(),
        number: `PO-T${Date.now()}`,
        vendorName: 'Test vendor',
        status: 'open',
        warehouseId: north,
        lines: [{ lineNumber: 1, productId: productId(1001), quantityOrdered: 2, quantityReceived: 0, unit: 'BOX' }],
        _deleted: false,
      };
      expect((await push(server, admin, 'purchaseOrders', [{ assumedMasterState: null, newDocumentState: po }])).body).toEqual([]);
      expect(await onOrder()).toBe(before + 50);

      const edited = { ...po, lines: [{ ...po.lines[0], quantityOrdered: 3 }] };
      expect((await push(server, admin, 'purchaseOrders', [{ assumedMasterState: po, newDocumentState: edited }])).body).toEqual([]);
      expect(await onOrder()).toBe(before + 75);

      const r = receipt(po.id, north, [{ lineNumber: 1, productId: productId(1001), quantity: 1 }]);
      await pushNew(server, clerk, 'receipts', [r]);
      expect(await pulledDoc(server, clerk, 'receipts', String(r.id))).toMatchObject({ status: 'posted' });
      expect(await onOrder()).toBe(before + 50);
      expect((await onHandRow(server, admin, 'WH-NORTH', elbow))?.onHand).toBe(onHandBefore + 25);

      const received = await pulledDoc(server, admin, 'purchaseOrders', po.id);
      const cancel = await push(server, admin, 'purchaseOrders', [{ assumedMasterState: received, newDocumentState: { ...received, status: 'cancelled' } }]);
      expect(cancel.body).toEqual([]);
      expect(await onOrder()).toBe(before);
    });

    it('an over-receipt takes only its own line off on order, never what another order of the product still expects', async () => {
      const clerk = await server.token('clerk1');
      const north = warehouseId('WH-NORTH');
      const elbow = productNumber(1002); // bought in boxes of 25
      const onOrder = async () => (await onHandRow(server, admin, 'WH-NORTH', elbow))?.onOrder ?? 0;
      const before = await onOrder();
      const order = (boxes: number, vendorCode?: string) => ({
        id: crypto.randomUUID(),
        number: `PO-O${crypto.randomUUID().slice(0, 8)}`,
        vendorName: 'Cascade Electric',
        ...(vendorCode ? { vendorCode } : {}),
        status: 'open',
        warehouseId: north,
        lines: [{ lineNumber: 1, productId: productId(1002), quantityOrdered: boxes, quantityReceived: 0, unit: 'BOX' }],
        _deleted: false,
      });
      const generous = order(10, 'CASCADE'); // the demo vendor allows 10 % more
      const other = order(2);
      expect((await push(server, admin, 'purchaseOrders', [generous, other].map((po) => ({ assumedMasterState: null, newDocumentState: po })))).body).toEqual([]);
      expect(await onOrder()).toBe(before + 300);

      const r = receipt(generous.id, north, [{ lineNumber: 1, productId: productId(1002), quantity: 11 }]);
      await pushNew(server, clerk, 'receipts', [r]);
      expect(await pulledDoc(server, clerk, 'receipts', String(r.id))).toMatchObject({ status: 'posted' });
      // 11 boxes arrived against 10 expected: the other order's 2 boxes are still on order.
      expect(await onOrder()).toBe(before + 50);
    });

    it('rejects a receipt against a purchase order an admin cancelled (po-not-open)', async () => {
      const clerk = await server.token('clerk1');
      const poId = demo.purchaseOrder('PO-2001');
      const po = await pulledDoc(server, admin, 'purchaseOrders', poId);
      expect(po).toMatchObject({ status: 'open', warehouseId: warehouseId('WH-MAIN') });
      const cancel = await push(server, admin, 'purchaseOrders', [{ assumedMasterState: po, newDocumentState: { ...po, status: 'cancelled' } }]);
      expect(cancel.status).toBe(200);
      expect(cancel.body).toEqual([]);

      const line = (po?.lines as PoLine[])[0] as PoLine;
      const before = await onHandRow(server, admin, 'WH-MAIN', numberOf(line.productId));
      const r = receipt(poId, warehouseId('WH-MAIN'), [{ lineNumber: line.lineNumber, productId: line.productId, quantity: 1 }]);
      expect((await pushNew(server, clerk, 'receipts', [r])).status).toBe(200);
      expect(await pulledDoc(server, clerk, 'receipts', String(r.id))).toMatchObject({ status: 'rejected', error: { code: 'po-not-open' } });
      expect(await onHandRow(server, admin, 'WH-MAIN', numberOf(line.productId))).toEqual(before);
      expect(await pulledDoc(server, clerk, 'purchaseOrders', poId)).toMatchObject({ status: 'cancelled' });
    });

    it('posts bulk adjustments per entry in order, answers duplicate for a resubmitted id, and rejects unknown codes', async () => {
      const integration = await server.token('integration1');
      const wh = 'WH-NORTH';
      const [a, b] = [productNumber(1201), productNumber(1202)];
      const beforeA = await onHand(server, admin, wh, a);
      const beforeB = await onHand(server, admin, wh, b);
      const entries = [
        { id: crypto.randomUUID(), warehouseCode: wh, productNumber: a, quantity: 5, reasonCode: 'FOUND', externalReference: { category: 'erp-move', id: 'M-1' } },
        { id: crypto.randomUUID(), warehouseCode: 'WH-NOWHERE', productNumber: a, quantity: 100 },
        { id: crypto.randomUUID(), warehouseCode: wh, productNumber: 'P-NONE', quantity: 100 },
        { id: crypto.randomUUID(), warehouseCode: wh, productNumber: b, quantity: -2.5, occurredAt: at(-HOUR) },
        { id: crypto.randomUUID(), warehouseCode: wh, productNumber: a, quantity: 1.00001 },
      ];
      const r = await api<BulkResult[]>(server, integration, 'POST', '/api/v1/transactions/adjustments/bulk', entries);
      expect(r.status).toBe(200);
      expect(r.body.map((x) => x.id)).toEqual(entries.map((e) => e.id));
      expect(r.body.map((x) => x.status)).toEqual(['posted', 'rejected', 'rejected', 'posted', 'rejected']);
      expect(r.body[1]).toMatchObject({ code: 'unknown-warehouse', message: expect.any(String) });
      expect(r.body[2]).toMatchObject({ code: 'unknown-product', message: expect.any(String) });
      expect(r.body[4]).toMatchObject({ code: 'precision-exceeded' });
      expect(await onHand(server, admin, wh, a)).toBe(beforeA + 5);
      expect(await onHand(server, admin, wh, b)).toBe(beforeB - 2.5);

      // Each posted entry is an adjustment document with the entry's id.
      const docs = new Map((await pullAll<Doc>(server, admin, 'inventoryTransactions')).map((d) => [d.id, d]));
      expect(docs.get(entries[0]?.id ?? '')).toMatchObject({
        type: 'adjustment',
        warehouseId: warehouseId(wh),
        productId: productId(1201),
        quantity: 5,
        reasonCode: 'FOUND',
        externalReference: { category: 'erp-move', id: 'M-1' },
        status: 'posted',
        journalId: expect.any(String),
      });

      // Resubmitting (a retry) posts nothing again; new ids in the same request still post.
      const fresh = { id: crypto.randomUUID(), warehouseCode: wh, productNumber: b, quantity: 1 };
      const resubmit = await api<BulkResult[]>(server, integration, 'POST', '/api/v1/transactions/adjustments/bulk', [entries[0], entries[3], fresh, fresh]);
      expect(resubmit.status).toBe(200);
      expect(resubmit.body.map((x) => [x.id, x.status])).toEqual([
        [entries[0]?.id, 'duplicate'],
        [entries[3]?.id, 'duplicate'],
        [fresh.id, 'posted'],
        [fresh.id, 'duplicate'],
      ]);
      expect(await onHand(server, admin, wh, a)).toBe(beforeA + 5);
      expect(await onHand(server, admin, wh, b)).toBe(beforeB - 1.5);

      // An id a device already used through replication is a duplicate too.
      const deviceTx = adjustment({ warehouseId: truck1, productId: productId(1201), quantity: 1 });
      await pushNew(server, tech1, 'inventoryTransactions', [deviceTx]);
      const clash = await api<BulkResult[]>(server, integration, 'POST', '/api/v1/transactions/adjustments/bulk', [
        { id: deviceTx.id, warehouseCode: wh, productNumber: a, quantity: 9 },
      ]);
      expect(clash.body).toEqual([{ id: deviceTx.id, status: 'duplicate' }]);
      expect(await onHand(server, admin, wh, a)).toBe(beforeA + 5);
    });

    it('limits the bulk endpoint to 512 entries and to the integration and admin roles', async () => {
      const integration = await server.token('integration1');
      const entry = (i: number) => ({ id: `bulk-limit-${engine}-${i}`, warehouseCode: 'WH-MAIN', productNumber: productNumber(1230), quantity: 1 });
      const before = await onHand(server, admin, 'WH-MAIN', productNumber(1230));
      const tooMany = await api(server, integration, 'POST', '/api/v1/transactions/adjustments/bulk', Array.from({ length: 513 }, (_, i) => entry(i)));
      expect(tooMany.status).toBe(400);
      expectErrorBody(tooMany.body);
      expect(await onHand(server, admin, 'WH-MAIN', productNumber(1230))).toBe(before);

      const max = await api<BulkResult[]>(server, integration, 'POST', '/api/v1/transactions/adjustments/bulk', Array.from({ length: 512 }, (_, i) => entry(i)));
      expect(max.status).toBe(200);
      expect(max.body).toHaveLength(512);
      expect(max.body.every((x) => x.status === 'posted')).toBe(true);
      expect(await onHand(server, admin, 'WH-MAIN', productNumber(1230))).toBe(before + 512);

      for (const who of ['tech1', 'clerk1']) {
        const forbidden = await api(server, await server.token(who), 'POST', '/api/v1/transactions/adjustments/bulk', [entry(9999)]);
        expect(forbidden.status, who).toBe(403);
        expectErrorBody(forbidden.body);
      }
      const byAdmin = await api<BulkResult[]>(server, admin, 'POST', '/api/v1/transactions/adjustments/bulk', [entry(10000)]);
      expect(byAdmin.body).toEqual([{ id: entry(10000).id, status: 'posted' }]);
      const anonymous = await api(server, undefined, 'POST', '/api/v1/transactions/adjustments/bulk', [entry(10001)]);
      expect(anonymous.status).toBe(401);
      expect(await onHand(server, admin, 'WH-MAIN', productNumber(1230))).toBe(before + 513);
    });

    it('lists on hand by warehouse code and product number, in the caller scope only', async () => {
      const clerk = await server.token('clerk1');
      const mine = await api<OnHandRow[]>(server, tech1, 'GET', '/api/v1/inventory/onhand');
      expect(mine.status).toBe(200);
      expect(mine.body.length).toBeGreaterThan(0);
      expect(new Set(mine.body.map((r) => r.warehouseCode))).toEqual(new Set(['TRUCK-1']));
      for (const row of mine.body.slice(0, 5)) {
        expect(row).toEqual({ warehouseCode: 'TRUCK-1', productNumber: expect.stringMatching(/^P-/), onHand: expect.any(Number), onOrder: expect.any(Number), ordered: expect.any(Number) });
      }

      const one = await api<OnHandRow[]>(server, clerk, 'GET', `/api/v1/inventory/onhand?warehouseCode=WH-NORTH&productNumber=${productNumber(1050)}`);
      expect(one.body).toHaveLength(1);
      expect(one.body[0]).toMatchObject({ warehouseCode: 'WH-NORTH', productNumber: productNumber(1050) });
      expect(one.body[0]?.onHand).toBeGreaterThanOrEqual(10);
      expect(one.body[0]?.onHand).toBe(await onHand(server, admin, 'WH-NORTH', productNumber(1050)));

      const product = await api<OnHandRow[]>(server, clerk, 'GET', `/api/v1/inventory/onhand?productNumber=${productNumber(1050)}`);
      expect(new Set(product.body.map((r) => r.warehouseCode))).toEqual(new Set(['WH-MAIN', 'WH-NORTH']));
      const all = await api<OnHandRow[]>(server, admin, 'GET', `/api/v1/inventory/onhand?productNumber=${productNumber(1050)}`);
      expect(all.body.length).toBeGreaterThan(product.body.length);

      const outOfScope = await api<OnHandRow[]>(server, clerk, 'GET', '/api/v1/inventory/onhand?warehouseCode=TRUCK-1');
      expect(outOfScope.status).toBe(200);
      expect(outOfScope.body).toEqual([]);
      const unknown = await api<OnHandRow[]>(server, admin, 'GET', '/api/v1/inventory/onhand?warehouseCode=NOPE');
      expect(unknown.body).toEqual([]);
    });
  });
}
