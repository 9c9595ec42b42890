/**
 * ERP journal delivery through the ERP outbox, without an ERP: the queueing
 * in the aggregation transaction, the sweep of journals left without an
 * item, and how the `journals/deliver` handler turns line outcomes into the
 * item's (done, retry with backoff, poison, admin retry delivering only what
 * is still owed). The sinks here stand in for an ERP's answers; the real
 * Tryton sink through the same path: tryton-outbox-journals.test.ts. With
 * `none`, aggregation keeps posting locally and queues nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { journalDeliveryHandler } from '../../server/erp/journals-outbox/handler.js';
import { DELIVER_OPERATION, enqueueJournalDeliveries, JOURNALS_MAP, queueStrandedJournals } from '../../server/erp/journals-outbox/queue.js';
import { retryItem } from '../../server/erp/outbox/control.js';
import { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import { aggregateBatch } from '../../server/ledger/aggregation/aggregate.js';
import type { ErpJournalSink, SinkCreateResult, SinkError } from '../../server/ledger/aggregation/sink.js';
import { writeTransaction } from '../../server/store/write.js';
import type { ErpJournal } from '../../shared/schemas/journals.js';
import { adjustment, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { auditAggregation, journalIdOf, runNow } from './aggregation-support.js';
import { ENGINES, describeEngine, productId, warehouseId, type Doc } from './api-support.js';
import { runWorker, TEST_OUTBOX, TestClock } from './erp-outbox-support.js';

const WH_NORTH = warehouseId('WH-NORTH');
const LIMITS = { batchSize: 100, maxLinesPerJournal: 50 };

/** Answers as an ERP would, per step, by what the test sets; records what it was asked. */
class ScriptedErp implements ErpJournalSink {
  readonly name = 'scripted';
  mode: 'down' | 'refuse-second' | 'up' = 'up';
  readonly calls: string[] = [];

  create(journal: ErpJournal): Promise<SinkCreateResult> {
    this.calls.push(`create ${journal.lines.map((l) => l.lineNumber).join(',')}`);
    if (this.mode === 'down') return Promise.resolve({ ok: false, error: { code: 'erp-network', message: 'cannot reach the ERP: ECONNREFUSED' } });
    const lineErrors = new Map<number, SinkError>();
    if (this.mode === 'refuse-second' && journal.lines.some((l) => l.lineNumber === 2)) lineErrors.set(2, { code: 'erp-unknown-product', message: 'The ERP has no product "P-1006".' });
    const ids = new Map(journal.lines.map((l) => [l.lineNumber, `DOC-${l.lineNumber}`]));
    return Promise.resolve({ ok: true, erpJournalIds: ids, erpLineIds: ids, lineErrors });
  }

  post(journal: ErpJournal): Promise<{ ok: true }> {
    this.calls.push(`post ${journal.lines.map((l) => l.lineNumber).join(',')}`);
    return Promise.resolve({ ok: true });
  }
}

for (const engine of ENGINES) {
  describeEngine(engine, 'ERP journals through the outbox', () => {
    let server: TestServer;
    let admin: string;
    const clock = new TestClock();

    beforeAll(async () => {
      server = await startTestServer({ engine });
      admin = await server.token('admin');
    });
    afterAll(() => server?.close());

    const ctx = () => server.fieldstock.ctx;
    const db = () => ctx().store.db;
    const journalItems = () => db().selectFrom('erp_outbox').selectAll().where('map_name', '=', JOURNALS_MAP).orderBy('seq').execute();

    async function postAll(docs: Doc[]): Promise<void> {
      const r = await pushNew(server, admin, 'inventoryTransactions', docs);
      expect(r.status).toBe(200);
      expect(r.body).toEqual([]);
      await Promise.all(docs.map((d) => journalIdOf(db(), String(d.id))));
    }

    async function erpDoc(id: string): Promise<ErpJournal> {
      const row = await db().selectFrom('docs').select('data').where('collection', '=', 'journals').where('id', '=', id).executeTakeFirstOrThrow();
      return JSON.parse(row.data) as ErpJournal;
    }

    it('with `none`, aggregation posts ERP journals at once and queues nothing; no journals handler is registered', async () => {
      await postAll([adjustment({ warehouseId: WH_NORTH, productId: productId(1001), quantity: 2 })]);
      const run = await runNow(server, admin);
      expect(run).toMatchObject({ sink: 'none', erpJournals: 1, queued: 0, delivered: { journals: 1, postedLines: 1 } });
      expect(await journalItems()).toEqual([]);
      expect(ctx().outboxHandlers.get(JOURNALS_MAP, DELIVER_OPERATION)).toBeUndefined();
    });

    it('queues a journal in its aggregation transaction (not one that only nets to zero), and sweeps up journals left without an item, once', async () => {
      await postAll([adjustment({ warehouseId: WH_NORTH, productId: productId(1002), quantity: 3 })]);
      const queued = await aggregateBatch(ctx().store, ctx().notifier, LIMITS, async (writer, ids) => {
        await enqueueJournalDeliveries(writer, ids);
      });
      const [withItem] = queued.erpJournalIds;
      // Nets to zero: do-not-sync only, nothing for an ERP.
      await postAll([adjustment({ warehouseId: WH_NORTH, productId: productId(1003), quantity: 1 }), adjustment({ warehouseId: WH_NORTH, productId: productId(1003), quantity: -1 })]);
      const zero = await aggregateBatch(ctx().store, ctx().notifier, LIMITS, async (writer, ids) => {
        await enqueueJournalDeliveries(writer, ids);
      });
      expect(zero.doNotSyncLines).toBe(1);
      expect((await journalItems()).map((i) => [i.document_id, i.dedupe_key, i.operation, i.status, JSON.parse(i.payload)])).toEqual([
        [withItem, withItem, DELIVER_OPERATION, 'pending', { erpJournalId: withItem }],
      ]);

      // Aggregated without a queue (before the outbox delivered journals): the sweep queues it, once.
      await postAll([adjustment({ warehouseId: WH_NORTH, productId: productId(1004), quantity: 5 })]);
      const stranded = (await aggregateBatch(ctx().store, ctx().notifier, LIMITS)).erpJournalIds[0];
      expect(await queueStrandedJournals(ctx().store, ctx().notifier, 100)).toBe(1);
      expect(await queueStrandedJournals(ctx().store, ctx().notifier, 100)).toBe(0);
      expect((await journalItems()).map((i) => i.document_id)).toEqual([withItem, stranded]);
      // Queueing a journal again makes no second item (the dedupe key is the journal id).
      expect(await writeTransaction(ctx().store, undefined, (writer) => enqueueJournalDeliveries(writer, [withItem ?? '', stranded ?? '']))).toBe(0);

      // Both are delivered like any other.
      const handlers = new OutboxHandlers();
      handlers.register(JOURNALS_MAP, DELIVER_OPERATION, journalDeliveryHandler({ store: ctx().store, notifier: ctx().notifier, sink: () => Promise.resolve(new ScriptedErp()) }));
      expect(await runWorker(ctx().store, handlers, clock, { notifier: ctx().notifier })).toMatchObject({ claimed: 2, done: 2 });
      for (const id of [withItem, stranded]) expect((await erpDoc(id ?? '')).status).toBe('posted');
    });

    it('the handler: retryable failure backs off with the lines in error; refusals leave the item poison; an admin retry delivers only what is owed', async () => {
      const erp = new ScriptedErp();
      const handlers = new OutboxHandlers();
      handlers.register(JOURNALS_MAP, DELIVER_OPERATION, journalDeliveryHandler({ store: ctx().store, notifier: ctx().notifier, sink: () => Promise.resolve(erp) }));
      await postAll([adjustment({ warehouseId: WH_NORTH, productId: productId(1001), quantity: 4 }), adjustment({ warehouseId: WH_NORTH, productId: productId(1006), quantity: 6 })]);
      const batch = await aggregateBatch(ctx().store, ctx().notifier, LIMITS, async (writer, ids) => {
        await enqueueJournalDeliveries(writer, ids);
      });
      const journalId = batch.erpJournalIds[0] ?? '';
      const item = async () => (await journalItems()).find((i) => i.document_id === journalId);
      const run = () => runWorker(ctx().store, handlers, clock, { notifier: ctx().notifier, random: () => 1 });

      erp.mode = 'down';
      expect(await run()).toMatchObject({ claimed: 1, retried: 1, poisoned: 0 });
      expect(await item()).toMatchObject({ status: 'pending', attempts: 1, last_error_code: 'erp-network', next_attempt_at: clock.ms + TEST_OUTBOX.backoffBaseMs });
      expect((await erpDoc(journalId)).lines.map((l) => [l.status, l.error?.code])).toEqual([
        ['create-error', 'erp-network'],
        ['create-error', 'erp-network'],
      ]);
      expect(await run()).toMatchObject({ claimed: 0 });

      clock.advance(TEST_OUTBOX.backoffBaseMs);
      erp.mode = 'refuse-second';
      expect(await run()).toMatchObject({ claimed: 1, done: 0, retried: 0, poisoned: 1 });
      const poisoned = await item();
      expect(poisoned).toMatchObject({ status: 'poison', attempts: 2, last_error_code: 'erp-unknown-product' });
      expect(poisoned?.last_error_message).toBe(`1 of 2 lines of ERP journal ${journalId} failed: line 2 (create): [erp-unknown-product] The ERP has no product "P-1006".`);
      expect((await erpDoc(journalId)).lines.map((l) => [l.status, l.erpJournalId, l.error?.code])).toEqual([
        ['posted', 'DOC-1', undefined],
        ['create-error', undefined, 'erp-unknown-product'],
      ]);
      clock.advance(TEST_OUTBOX.backoffMaxMs);
      expect(await run()).toMatchObject({ claimed: 0 });

      erp.mode = 'up';
      expect(await retryItem(ctx().store, poisoned?.id ?? '', clock.ms)).toMatchObject({ ok: true });
      erp.calls.length = 0;
      expect(await run()).toMatchObject({ claimed: 1, done: 1 });
      // Only the refused line was sent again; the posted one was left alone.
      expect(erp.calls).toEqual(['create 2', 'post 2']);
      expect(await item()).toMatchObject({ status: 'done', erp_id: 'DOC-1 DOC-2' });
      expect((await erpDoc(journalId)).lines.map((l) => [l.status, l.erpJournalId, l.error])).toEqual([
        ['posted', 'DOC-1', undefined],
        ['posted', 'DOC-2', undefined],
      ]);
      expect((await auditAggregation(db())).problems).toEqual([]);
    });
  });
}
