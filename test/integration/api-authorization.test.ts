// Per-record authorization (API.md "Read scope" and "Inventory transactions"):
// a technician reads and writes only its own truck's stock, whatever ids it
// sends, and nobody can post, edit or delete a transaction by pushing it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adjustment, api, demo, pullAll, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { ENGINES, describeEngine, onHand, productId, productNumber, pulledDoc, push, warehouseId, type Doc } from './api-support.js';

const WAREHOUSE_BOUND = ['inventory', 'inventoryTransactions', 'purchaseOrders', 'receipts', 'journals'] as const;

/** Every warehouse id a document mentions (its own, a transfer's destination, journal lines'). */
function warehousesOf(doc: Doc): string[] {
  const ids: string[] = [];
  if (typeof doc.warehouseId === 'string') ids.push(doc.warehouseId);
  if (typeof doc.toWarehouseId === 'string') ids.push(doc.toWarehouseId);
  if (Array.isArray(doc.lines)) for (const l of doc.lines as Doc[]) if (typeof l.warehouseId === 'string') ids.push(l.warehouseId);
  return ids;
}

for (const engine of ENGINES) {
  describeEngine(engine, 'per-record authorization', () => {
    let server: TestServer;
    let admin: string;
    let tech1: string;
    let tech2: string;
    const truck1 = warehouseId('TRUCK-1');
    const truck2 = warehouseId('TRUCK-2');

    beforeAll(async () => {
      server = await startTestServer({ engine });
      [admin, tech1, tech2] = await Promise.all([server.token('admin'), server.token('tech1'), server.token('tech2')]);
    });
    afterAll(() => server?.close());

    it("never lets a technician pull another truck's inventory, transactions, purchase orders, receipts or journals", async () => {
      // TRUCK-2 activity in every warehouse-bound collection.
      const tx = adjustment({ warehouseId: truck2, productId: productId(1002), quantity: 4 });
      expect((await pushNew(server, tech2, 'inventoryTransactions', [tx])).status).toBe(200);
      const po = await pulledDoc(server, tech2, 'purchaseOrders', demo.purchaseOrder('PO-2004'));
      const line = (po?.lines as Doc[] | undefined)?.[0];
      expect(line).toBeDefined();
      const receipt = {
        id: crypto.randomUUID(),
        purchaseOrderId: demo.purchaseOrder('PO-2004'),
        warehouseId: truck2,
        receivedAt: new Date().toISOString(),
        lines: [{ lineNumber: line?.lineNumber, productId: line?.productId, quantity: 1 }],
        status: 'pending',
        _deleted: false,
      };
      expect((await pushNew(server, tech2, 'receipts', [receipt])).status).toBe(200);

      for (const collection of WAREHOUSE_BOUND) {
        const all = await pullAll<Doc>(server, admin, collection);
        expect(all.some((d) => warehousesOf(d).includes(truck2)), `admin sees TRUCK-2 ${collection}`).toBe(true);

        const visible = await pullAll<Doc>(server, tech1, collection);
        const leaked = visible.filter((d) => warehousesOf(d).includes(truck2));
        expect(leaked, `tech1 sees no TRUCK-2 ${collection}`).toEqual([]);
      }
      // tech1 does see its own truck.
      const own = await pullAll<Doc>(server, tech1, 'inventory');
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((d) => d.warehouseId === truck1)).toBe(true);
      expect((await pullAll<Doc>(server, tech1, 'purchaseOrders')).map((d) => d.id)).toContain(demo.purchaseOrder('PO-2003'));

      // The same on the on-hand endpoint.
      const onhand = await api<{ warehouseCode: string }[]>(server, tech1, 'GET', '/api/v1/inventory/onhand?warehouseCode=TRUCK-2');
      expect(onhand.status).toBe(200);
      expect(onhand.body).toEqual([]);
    });

    it("keeps tech1's adjustment for TRUCK-2 as rejected warehouse-not-in-scope, visible to tech1 only, and moves nothing", async () => {
      const before = await onHand(server, admin, 'TRUCK-2', productNumber(1006));
      const tx = adjustment({ warehouseId: truck2, productId: productId(1006), quantity: 50 });
      const r = await pushNew(server, tech1, 'inventoryTransactions', [tx]);
      expect(r.status).toBe(200);

      const seenByTech1 = await pulledDoc(server, tech1, 'inventoryTransactions', tx.id);
      expect(seenByTech1).toMatchObject({ id: tx.id, status: 'rejected', error: { code: 'warehouse-not-in-scope', message: expect.any(String) } });
      expect(seenByTech1).not.toHaveProperty('journalId');
      expect(await pulledDoc(server, tech2, 'inventoryTransactions', tx.id)).toBeUndefined();
      expect(await onHand(server, admin, 'TRUCK-2', productNumber(1006))).toBe(before);
      const journals = await pullAll<Doc>(server, admin, 'journals');
      expect(journals.filter((j) => j.sourceId === tx.id)).toEqual([]);
    });

    it("neither overwrites nor reveals another technician's transaction when its id is pushed", async () => {
      const theirs = { ...adjustment({ warehouseId: truck2, productId: productId(1010), quantity: 7 }), note: 'tech2 private note' };
      expect((await pushNew(server, tech2, 'inventoryTransactions', [theirs])).status).toBe(200);
      const master = await pulledDoc(server, tech2, 'inventoryTransactions', theirs.id);
      expect(master).toMatchObject({ status: 'posted' });
      const truck1Before = await onHand(server, admin, 'TRUCK-1', productNumber(1010));
      const truck2Before = await onHand(server, admin, 'TRUCK-2', productNumber(1010));

      const hijack = { ...adjustment({ warehouseId: truck1, productId: productId(1010), quantity: 999 }), id: theirs.id };
      const asNew = await pushNew(server, tech1, 'inventoryTransactions', [hijack]);
      // Even a correct guess of the master state changes nothing.
      const asEdit = await push(server, tech1, 'inventoryTransactions', [{ assumedMasterState: master ?? null, newDocumentState: { ...hijack } }]);
      for (const r of [asNew, asEdit]) {
        expect(r.status).toBe(200);
        const text = JSON.stringify(r.body);
        expect(text).not.toContain('tech2 private note');
        expect(text).not.toContain(truck2);
      }

      expect(await pulledDoc(server, tech2, 'inventoryTransactions', theirs.id)).toEqual(master);
      expect(await pulledDoc(server, admin, 'inventoryTransactions', theirs.id)).toEqual(master);
      expect(await pulledDoc(server, tech1, 'inventoryTransactions', theirs.id)).toBeUndefined();
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(1010))).toBe(truck1Before);
      expect(await onHand(server, admin, 'TRUCK-2', productNumber(1010))).toBe(truck2Before);
    });

    it('rejects a transaction a client pushes as already posted (status-not-allowed) and moves nothing', async () => {
      const before = await onHand(server, admin, 'TRUCK-1', productNumber(1014));
      const claimedPosted = { ...adjustment({ warehouseId: truck1, productId: productId(1014), quantity: 25 }), status: 'posted', journalId: crypto.randomUUID() };
      const withJournal = { ...adjustment({ warehouseId: truck1, productId: productId(1014), quantity: 25 }), journalId: crypto.randomUUID() };
      const claimedRejected = { ...adjustment({ warehouseId: truck1, productId: productId(1014), quantity: 25 }), status: 'rejected' };
      const r = await pushNew(server, tech1, 'inventoryTransactions', [claimedPosted, withJournal, claimedRejected]);
      expect(r.status).toBe(200);

      const docs = new Map((await pullAll<Doc>(server, tech1, 'inventoryTransactions')).map((d) => [d.id, d]));
      for (const sent of [claimedPosted, withJournal, claimedRejected]) {
        const stored = docs.get(sent.id);
        expect(stored).toMatchObject({ status: 'rejected', error: { code: 'status-not-allowed' } });
        expect(stored).not.toHaveProperty('journalId');
      }
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(1014))).toBe(before);
    });

    it('refuses to edit or delete a posted transaction: the master comes back as a conflict and on hand stays', async () => {
      const tx = adjustment({ warehouseId: truck1, productId: productId(1018), quantity: 6 });
      expect((await pushNew(server, tech1, 'inventoryTransactions', [tx])).status).toBe(200);
      const master = await pulledDoc(server, tech1, 'inventoryTransactions', tx.id);
      expect(master).toMatchObject({ status: 'posted', journalId: expect.any(String) });
      if (!master) return;
      const level = await onHand(server, admin, 'TRUCK-1', productNumber(1018));

      for (const token of [tech1, admin]) {
        const edit = await push(server, token, 'inventoryTransactions', [{ assumedMasterState: master, newDocumentState: { ...master, quantity: 60 } }]);
        expect(edit.status).toBe(200);
        expect(edit.body).toEqual([master]);

        const removal = await push(server, token, 'inventoryTransactions', [{ assumedMasterState: master, newDocumentState: { ...master, _deleted: true } }]);
        expect(removal.status).toBe(200);
        expect(removal.body).toEqual([master]);

        const reopen = await push(server, token, 'inventoryTransactions', [{ assumedMasterState: master, newDocumentState: { ...tx, quantity: 60 } }]);
        expect(reopen.body).toEqual([master]);
      }

      expect(await pulledDoc(server, tech1, 'inventoryTransactions', tx.id)).toEqual(master);
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(1018))).toBe(level);
      const journals = await pullAll<Doc>(server, admin, 'journals');
      expect(journals.filter((j) => j.sourceId === tx.id)).toHaveLength(1);
    });
  });
}
