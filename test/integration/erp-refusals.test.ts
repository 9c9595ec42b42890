/**
 * The ERP's refusal of a posted document (`erpError` on receipts and
 * inventory transactions), without an ERP: only the backend writes it (a
 * device can neither set nor clear it, and a backend write never posts a
 * document again), and the `journals/deliver` hooks mark exactly the
 * documents whose ERP lines were refused (once each, not for a passing
 * failure) and clear them once those lines post. The sink here stands in for
 * an ERP's answers; the real Tryton refusals: tryton-refusals.test.ts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { journalRefusalHooks } from '../../server/erp/journals-outbox/hooks.js';
import { journalDeliveryHandler } from '../../server/erp/journals-outbox/handler.js';
import { DELIVER_OPERATION, enqueueJournalDeliveries, JOURNALS_MAP } from '../../server/erp/journals-outbox/queue.js';
import { retryItem } from '../../server/erp/outbox/control.js';
import { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import { settleJournalRefusals } from '../../server/erp/refusals/journal-refusals.js';
import { putErpError, refusalOf } from '../../server/erp/refusals/mark.js';
import { aggregateBatch } from '../../server/ledger/aggregation/aggregate.js';
import type { ErpJournalSink, SinkCreateResult, SinkError } from '../../server/ledger/aggregation/sink.js';
import { loadDocs, writeTransaction } from '../../server/store/write.js';
import type { ErpJournal } from '../../shared/schemas/journals.js';
import { adjustment, demo, pullAll, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { journalIdOf } from './aggregation-support.js';
import { ENGINES, describeEngine, onHand, productId, pulledDoc, push, warehouseId, type Doc } from './api-support.js';
import { runWorker, TestClock } from './erp-outbox-support.js';

const TRUCK_1 = warehouseId('TRUCK-1');
const LIMITS = { batchSize: 100, maxLinesPerJournal: 50 };

/** Refuses the lines of the products in `unknown` as an ERP without them would; `down` fails every call as an unreachable ERP. */
class ProductCheckingErp implements ErpJournalSink {
  readonly name = 'product-checking';
  readonly unknown = new Set<string>();
  down = false;

  create(journal: ErpJournal): Promise<SinkCreateResult> {
    if (this.down) return Promise.resolve({ ok: false, error: { code: 'erp-network', message: 'cannot reach the ERP: ECONNREFUSED' } });
    const lineErrors = new Map<number, SinkError>();
    for (const l of journal.lines) if (this.unknown.has(l.productId)) lineErrors.set(l.lineNumber, { code: 'erp-unknown-product', message: `The ERP has no product "${l.productId}".` });
    const ids = new Map(journal.lines.map((l) => [l.lineNumber, `DOC-${journal.id}-${l.lineNumber}`]));
    return Promise.resolve({ ok: true, erpJournalIds: ids, erpLineIds: ids, lineErrors });
  }

  post(): Promise<{ ok: true }> {
    return Promise.resolve({ ok: true });
  }
}

for (const engine of ENGINES) {
  describeEngine(engine, 'ERP refusals of posted documents', () => {
    let server: TestServer;
    let tech1: string;
    const clock = new TestClock();

    beforeAll(async () => {
      server = await startTestServer({ engine });
      tech1 = await server.token('tech1');
    });
    afterAll(() => server?.close());

    const ctx = () => server.fieldstock.ctx;
    const db = () => ctx().store.db;
    const seqOf = async (collection: string, id: string) => Number((await db().selectFrom('docs').select('seq').where('collection', '=', collection).where('id', '=', id).executeTakeFirstOrThrow()).seq);
    const changeSequence = async () => Number((await db().selectFrom('change_counter').select('value').where('id', '=', 1).executeTakeFirstOrThrow()).value);
    const postingRows = async (id: string) => (await db().selectFrom('postings').selectAll().where('source_id', '=', id).execute()).length;
    const journalLineRows = async (id: string) => (await db().selectFrom('journal_lines').select('id').where('source_id', '=', id).execute()).length;

    it('a device cannot set erpError on a new document: it is rejected, nothing moves and the device\'s value is not kept', async () => {
      const before = await onHand(server, tech1, 'TRUCK-1', 'P-1001');
      const doc = { ...adjustment({ warehouseId: TRUCK_1, productId: productId(1001), quantity: 2 }), erpError: { code: 'erp-user-error', message: 'made up', at: new Date().toISOString() } };
      expect((await pushNew(server, tech1, 'inventoryTransactions', [doc])).status).toBe(200);
      const stored = await pulledDoc(server, tech1, 'inventoryTransactions', doc.id);
      expect(stored).toMatchObject({ status: 'rejected', error: { code: 'status-not-allowed', message: expect.stringContaining('erpError') } });
      expect(stored).not.toHaveProperty('erpError');
      expect(stored).not.toHaveProperty('journalId');
      expect(await onHand(server, tech1, 'TRUCK-1', 'P-1001')).toBe(before);
    });

    it('a device can neither clear nor change the mark the backend wrote; that write posted nothing again', async () => {
      const doc = adjustment({ warehouseId: TRUCK_1, productId: productId(1002), quantity: 3 });
      expect((await pushNew(server, tech1, 'inventoryTransactions', [doc])).body).toEqual([]);
      const posted = await pulledDoc(server, tech1, 'inventoryTransactions', doc.id);
      expect(posted).toMatchObject({ status: 'posted', journalId: expect.any(String) });
      const level = await onHand(server, tech1, 'TRUCK-1', 'P-1002');

      // The backend's write, as the outbox hooks make it.
      await writeTransaction(ctx().store, ctx().notifier, async (writer) => {
        const stored = (await loadDocs(writer.trx, 'inventoryTransactions', [doc.id])).get(doc.id);
        if (!stored) throw new Error('the adjustment is not stored');
        expect(putErpError(writer, 'inventoryTransactions', stored, refusalOf({ code: 'erp-unknown-product', message: 'The ERP has no product "P-1002".' }, writer.now))).toBe(true);
      });
      const marked = await pulledDoc(server, tech1, 'inventoryTransactions', doc.id);
      expect(marked).toEqual({ ...posted, erpError: { code: 'erp-unknown-product', message: 'The ERP has no product "P-1002".', at: expect.any(String) } });
      // Posted once: no second posting, no second journal, stock unchanged.
      expect([await postingRows(doc.id), await journalLineRows(doc.id)]).toEqual([1, 1]);
      expect(await onHand(server, tech1, 'TRUCK-1', 'P-1002')).toBe(level);

      const seq = await seqOf('inventoryTransactions', doc.id);
      const { erpError: _mark, ...cleared } = marked as Doc;
      for (const next of [cleared, { ...(marked as Doc), erpError: { code: 'none', message: 'fine now', at: new Date().toISOString() } }]) {
        const r = await push(server, tech1, 'inventoryTransactions', [{ assumedMasterState: marked as Doc, newDocumentState: next }]);
        expect(r.status).toBe(200);
        // A posted document is immutable: the push is a conflict answered with the server's state.
        expect(r.body).toEqual([expect.objectContaining({ id: doc.id, erpError: expect.objectContaining({ code: 'erp-unknown-product' }) })]);
      }
      expect(await seqOf('inventoryTransactions', doc.id)).toBe(seq);
      expect(await pulledDoc(server, tech1, 'inventoryTransactions', doc.id)).toEqual(marked);
      expect([await postingRows(doc.id), await journalLineRows(doc.id)]).toEqual([1, 1]);
      expect(await onHand(server, tech1, 'TRUCK-1', 'P-1002')).toBe(level);
    });

    it('journal deliveries: refused lines mark every document they carry, once; a passing failure marks nothing; posting after a retry clears the marks', async () => {
      const erp = new ProductCheckingErp();
      const handlers = new OutboxHandlers();
      handlers.register(JOURNALS_MAP, DELIVER_OPERATION, journalDeliveryHandler({ store: ctx().store, notifier: ctx().notifier, sink: () => Promise.resolve(erp) }), journalRefusalHooks());
      const run = () => runWorker(ctx().store, handlers, clock, { notifier: ctx().notifier, random: () => 1 });
      const aggregate = () =>
        aggregateBatch(ctx().store, ctx().notifier, LIMITS, async (writer, ids) => {
          await enqueueJournalDeliveries(writer, ids);
        });
      // Everything earlier tests left waiting goes first, so this test's journals are its own.
      await aggregate();
      expect(await run()).toMatchObject({ poisoned: 0 });

      // Two adjustments summed into one ERP line of an unknown product, one of a known product, and a receipt of the unknown product.
      const unknown = productId(1006);
      erp.unknown.add(unknown);
      const first = adjustment({ warehouseId: TRUCK_1, productId: unknown, quantity: 6 });
      const second = adjustment({ warehouseId: TRUCK_1, productId: unknown, quantity: 1 });
      const known = adjustment({ warehouseId: TRUCK_1, productId: productId(1003), quantity: 4 });
      expect((await pushNew(server, tech1, 'inventoryTransactions', [first, second, known])).body).toEqual([]);
      const poId = demo.purchaseOrder('PO-2003');
      const [line] = ((await pulledDoc(server, tech1, 'purchaseOrders', poId))?.lines ?? []) as { lineNumber: number; productId: string }[];
      if (!line) throw new Error('PO-2003 has no lines');
      erp.unknown.add(line.productId);
      const receipt = { id: crypto.randomUUID(), purchaseOrderId: poId, warehouseId: TRUCK_1, receivedAt: new Date().toISOString(), lines: [{ lineNumber: line.lineNumber, productId: line.productId, quantity: 1 }], status: 'pending', _deleted: false };
      expect((await pushNew(server, tech1, 'receipts', [receipt])).body).toEqual([]);
      for (const id of [first.id, second.id, known.id, receipt.id]) await journalIdOf(db(), id);

      const batch = await aggregate();
      expect(batch.erpJournalIds.length).toBe(2);
      expect(await run()).toMatchObject({ claimed: 2, done: 0, poisoned: 2 });

      const transactions = new Map((await pullAll<Doc>(server, tech1, 'inventoryTransactions')).map((d) => [d.id, d]));
      for (const doc of [first, second]) {
        expect(transactions.get(doc.id)).toMatchObject({ status: 'posted', erpError: { code: 'erp-unknown-product', message: `The ERP has no product "${unknown}".`, at: expect.any(String) } });
      }
      expect(transactions.get(known.id)).toMatchObject({ status: 'posted' });
      expect(transactions.get(known.id)).not.toHaveProperty('erpError');
      expect(await pulledDoc(server, tech1, 'receipts', receipt.id)).toMatchObject({ status: 'posted', erpError: { code: 'erp-unknown-product', message: `The ERP has no product "${line.productId}".` } });

      // Settled again, nothing changes: each document was written once, and only when its mark changes.
      const sequence = await changeSequence();
      for (const journalId of batch.erpJournalIds) {
        const again = await writeTransaction(ctx().store, ctx().notifier, (writer) => settleJournalRefusals(writer, journalId));
        expect(again.marked + again.cleared).toBe(0);
      }
      expect(await changeSequence()).toBe(sequence);

      // A passing failure (the ERP unreachable) marks nothing.
      const later = adjustment({ warehouseId: TRUCK_1, productId: productId(1004), quantity: 1 });
      expect((await pushNew(server, tech1, 'inventoryTransactions', [later])).body).toEqual([]);
      await journalIdOf(db(), later.id);
      await aggregate();
      erp.down = true;
      expect(await run()).toMatchObject({ claimed: 1, retried: 1, poisoned: 0 });
      expect(await pulledDoc(server, tech1, 'inventoryTransactions', later.id)).not.toHaveProperty('erpError');

      // The ERP now knows the products; an admin retries: the lines post and the marks go, the rest is left alone.
      erp.down = false;
      erp.unknown.clear();
      const knownSeq = await seqOf('inventoryTransactions', known.id);
      const poisoned = (await db().selectFrom('erp_outbox').select('id').where('map_name', '=', JOURNALS_MAP).where('status', '=', 'poison').execute()).map((r) => r.id);
      expect(poisoned).toHaveLength(2);
      for (const id of poisoned) expect(await retryItem(ctx().store, id, clock.ms)).toMatchObject({ ok: true });
      clock.advance(60_000);
      expect(await run()).toMatchObject({ claimed: 3, done: 3, poisoned: 0 });
      for (const doc of [first, second, later]) {
        const now = await pulledDoc(server, tech1, 'inventoryTransactions', doc.id);
        expect(now).toMatchObject({ status: 'posted' });
        expect(now).not.toHaveProperty('erpError');
      }
      const fixed = await pulledDoc(server, tech1, 'receipts', receipt.id);
      expect(fixed).toMatchObject({ status: 'posted' });
      expect(fixed).not.toHaveProperty('erpError');
      expect(await seqOf('inventoryTransactions', known.id)).toBe(knownSeq);
    });
  });
}
