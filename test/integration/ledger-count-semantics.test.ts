/**
 * Count semantics over the push/pull API (docs/api.md "count"): a count fixes
 * the level as of its occurredAt; movements dated at or before the latest
 * count that arrive afterwards post with an applied quantity of 0 and keep
 * their requested quantity; movements dated after it apply on top; an older
 * count arriving after a newer one changes nothing. Checked on the journal
 * lines and on the inventory documents a client pulls.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LedgerClient } from '../helpers/ledger-client.js';
import { productDoc, purchaseOrderDoc, receiptDoc, seedDocs, transactionDoc, warehouseDoc, type TransactionDoc } from '../helpers/ledger-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { describeEngine, ENGINES } from './api-support.js';

const HOUR = 3_600_000;

for (const engine of ENGINES) {
  describeEngine(engine, 'count semantics with late transactions', () => {
    let server: TestServer;
    let client: LedgerClient;
    let admin: string;
    const w0 = warehouseDoc();
    const w1 = warehouseDoc();
    // Five days back: all times below are in the past.
    const base = Date.now() - 5 * 24 * HOUR;
    const t = (hours: number) => new Date(base + hours * HOUR).toISOString();

    beforeAll(async () => {
      server = await startTestServer({ engine, demo: false });
      admin = await server.token('admin');
      client = new LedgerClient(server.url, admin);
      await seedDocs(server.url, admin, 'warehouses', [w0, w1]);
    });
    afterAll(() => server?.close());

    async function newProduct(): Promise<string> {
      const p = productDoc();
      await seedDocs(server.url, admin, 'products', [p]);
      return p.id;
    }

    /** Posts one transaction; returns what its journal line at each warehouse applied and requested. */
    async function postLines(doc: TransactionDoc): Promise<Map<string, { applied: number; requested: number }>> {
      expect(await client.post('inventoryTransactions', doc)).toMatchObject({ id: doc.id, status: 'posted', journalId: expect.any(String) });
      const journal = await client.journalOf(doc.id);
      return new Map(journal.lines.map((l) => [l.warehouseId, { applied: l.quantity, requested: l.requestedQuantity }]));
    }

    /** Posts one single-warehouse transaction; returns what its journal line applied and requested. */
    async function post(doc: TransactionDoc): Promise<{ applied: number; requested: number } | undefined> {
      const lines = await postLines(doc);
      expect(lines.size).toBe(1);
      return lines.get(doc.warehouseId);
    }

    const tx = (type: TransactionDoc['type'], productId: string, quantity: number, hours: number, warehouseId = w0.id, toWarehouseId?: string) =>
      transactionDoc({ type, warehouseId, productId, quantity, occurredAt: t(hours), ...(toWarehouseId ? { toWarehouseId } : {}) });

    it('posts an earlier movement arriving after a count with applied 0 and its requested quantity kept; later ones apply on top', async () => {
      const p = await newProduct();
      expect(await post(tx('count', p, 50, 10))).toEqual({ applied: 50, requested: 50 });
      expect(await client.onHand(w0.id, p)).toBe(50);

      // Happened before the count (so the 50 already hold it), synced only now.
      expect(await post(tx('adjustment', p, 7, 5))).toEqual({ applied: 0, requested: 7 });
      expect(await post(tx('consumption', p, 2, 9))).toEqual({ applied: 0, requested: -2 });
      // At the very instant of the count: "at or before" the count is inside it.
      expect(await post(tx('adjustment', p, -3, 10))).toEqual({ applied: 0, requested: -3 });
      expect(await client.onHand(w0.id, p)).toBe(50);

      // After the count: on top of it, whenever they arrive.
      expect(await post(tx('adjustment', p, 4, 12))).toEqual({ applied: 4, requested: 4 });
      expect(await post(tx('consumption', p, 1.5, 11))).toEqual({ applied: -1.5, requested: -1.5 });
      expect(await client.onHand(w0.id, p)).toBe(52.5);
    });

    it('ignores an older count that arrives after a newer one, and resets to a newer count with later movements on top', async () => {
      const p = await newProduct();
      await post(tx('adjustment', p, 10, 1));
      await post(tx('adjustment', p, 5, 8));
      expect(await client.onHand(w0.id, p)).toBe(15);

      // Counted 40 at 6 h; the +5 of 8 h happened after it: 45, a change of 30.
      expect(await post(tx('count', p, 40, 6))).toEqual({ applied: 30, requested: 40 });
      expect(await client.onHand(w0.id, p)).toBe(45);
      // A count from 3 h arrives late: the 6 h count already fixed the level.
      expect(await post(tx('count', p, 20, 3))).toEqual({ applied: 0, requested: 20 });
      expect(await client.onHand(w0.id, p)).toBe(45);
      // A count from 7 h (newer than 6 h, older than the +5 at 8 h): 100 + 5.
      expect(await post(tx('count', p, 100, 7))).toEqual({ applied: 60, requested: 100 });
      expect(await client.onHand(w0.id, p)).toBe(105);
      // Between the two counts: now inside the 7 h count.
      expect(await post(tx('adjustment', p, 1, 6.5))).toEqual({ applied: 0, requested: 1 });
      expect(await post(tx('adjustment', p, 1, 7.5))).toEqual({ applied: 1, requested: 1 });
      expect(await client.onHand(w0.id, p)).toBe(106);
    });

    it('keeps the first of two counts taken at the same instant', async () => {
      const p = await newProduct();
      expect(await post(tx('count', p, 10, 5))).toEqual({ applied: 10, requested: 10 });
      expect(await post(tx('count', p, 99, 5))).toEqual({ applied: 0, requested: 99 });
      expect(await client.onHand(w0.id, p)).toBe(10);
    });

    it('applies count semantics per warehouse: a transfer dated before a count at its destination moves only its source', async () => {
      const p = await newProduct();
      await post(tx('count', p, 10, 10, w1.id));
      const transfer = tx('transfer', p, 3, 9, w0.id, w1.id);
      expect(await postLines(transfer)).toEqual(
        new Map([
          [w0.id, { applied: -3, requested: -3 }],
          [w1.id, { applied: 0, requested: 3 }],
        ]),
      );
      expect(await client.journalsOf(transfer.id)).toHaveLength(1);
      expect(await client.onHand(w0.id, p)).toBe(-3);
      expect(await client.onHand(w1.id, p)).toBe(10);

      const back = tx('transfer', p, 2, 11, w1.id, w0.id);
      expect(await postLines(back)).toEqual(
        new Map([
          [w1.id, { applied: -2, requested: -2 }],
          [w0.id, { applied: 2, requested: 2 }],
        ]),
      );
      expect(await client.onHand(w0.id, p)).toBe(-1);
      expect(await client.onHand(w1.id, p)).toBe(8);
    });

    it('counts a receipt dated before a count as received on the PO but not again on hand', async () => {
      const p = await newProduct();
      const po = purchaseOrderDoc({ warehouseId: w0.id, lines: [{ productId: p, quantityOrdered: 10, unit: 'EA' }] });
      await seedDocs(server.url, admin, 'purchaseOrders', [po]);
      await post(tx('count', p, 5, 10));

      const early = receiptDoc({ purchaseOrderId: po.id, warehouseId: w0.id, receivedAt: t(9), lines: [{ lineNumber: 1, productId: p, quantity: 4 }] });
      expect(await client.post('receipts', early)).toMatchObject({ status: 'posted' });
      expect((await client.journalOf(early.id)).lines).toMatchObject([{ quantity: 0, requestedQuantity: 4 }]);
      expect(await client.onHand(w0.id, p)).toBe(5);
      expect(await client.get('purchaseOrders', po.id)).toMatchObject({ status: 'partially-received', lines: [{ quantityReceived: 4 }] });

      const late = receiptDoc({ purchaseOrderId: po.id, warehouseId: w0.id, receivedAt: t(11), lines: [{ lineNumber: 1, productId: p, quantity: 2 }] });
      expect(await client.post('receipts', late)).toMatchObject({ status: 'posted' });
      expect(await client.onHand(w0.id, p)).toBe(7);
      expect(await client.get('purchaseOrders', po.id)).toMatchObject({ status: 'partially-received', lines: [{ quantityReceived: 6 }] });
    });

    it('applies the same rules inside one push batch, in batch order, whatever the occurredAt order', async () => {
      const p = await newProduct();
      // A later movement first, then a count dated before it: the count must see the movement of the same batch.
      const first = [tx('adjustment', p, 5, 9), tx('count', p, 20, 8)];
      await client.pushNew('inventoryTransactions', first);
      expect(await client.onHand(w0.id, p)).toBe(25);

      const second = [tx('count', p, 30, 12), tx('adjustment', p, 2, 13), tx('count', p, 12, 4), tx('adjustment', p, 1, 6)];
      await client.pushNew('inventoryTransactions', second);
      expect(await client.onHand(w0.id, p)).toBe(32);
      const lines = await Promise.all(second.map(async (d) => (await client.journalOf(d.id)).lines[0]));
      expect(lines.map((l) => [l?.quantity, l?.requestedQuantity])).toEqual([
        [5, 30],
        [2, 2],
        [0, 12],
        [0, 1],
      ]);
    });
  });
}
