// ERP journals reach a real Tryton through the ERP outbox (map `journals`,
// operation `deliver`): aggregation queues one item per ERP journal in its own
// transaction and the outbox worker (driven here on a test clock, no jitter)
// delivers it. Tryton stopped mid-run: the items back off and nothing is lost;
// restarted: everything queued is delivered exactly once. Pausing the map holds
// deliveries while aggregation goes on queueing; resuming delivers in order. A
// refused line (unknown product) leaves the item poison with Tryton's message
// until an admin retries it after fixing master data.
import { afterEach, expect, it } from 'vitest';
import { parseShipmentReference } from '../../server/erp/adapters/tryton/journals/references.js';
import { journalDeliveryHandler } from '../../server/erp/journals-outbox/handler.js';
import { DELIVER_OPERATION, JOURNALS_MAP } from '../../server/erp/journals-outbox/queue.js';
import { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import type { MapStatusView, OutboxItemView } from '../../shared/erp/outbox-wire.js';
import type { ErpJournalSink } from '../../server/ledger/aggregation/sink.js';
import type { DocumentTrace } from '../../shared/erp/trace-wire.js';
import { adjustment, api } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { auditAggregation, runNow } from './aggregation-support.js';
import { productId } from './api-support.js';
import { TEST_OUTBOX, TestClock } from './erp-outbox-support.js';
import { COUPLING, ELBOW, expectTrytonFollowedOurs, NOT_IN_TRYTON, PAIRS, REFRIGERANT, TRUCK_1, trytonDelta, useTrytonJournals, VALVE, WH_MAIN, type Row } from './tryton-journals-support.js';

describeIfTryton('ERP journals through the outbox to Tryton', () => {
  const world = useTrytonJournals();
  const clock = new TestClock();
  const db = () => world.db();
  // A test that failed with Tryton stopped must not fail the next ones for it.
  afterEach(async () => {
    if (!world.tryton.running) await world.tryton.start();
  });

  /** Shipments per Fieldstock reference: exactly once means every count is 1. */
  function countByReference(shipments: Row[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const s of shipments) counts.set(String(s.reference), (counts.get(String(s.reference)) ?? 0) + 1);
    return counts;
  }

  async function linesOf(journalIds: readonly string[]) {
    return db().selectFrom('erp_journal_lines').selectAll().where('journal_id', 'in', [...journalIds]).orderBy('journal_id').orderBy('line_number').execute();
  }

  async function mapStatus(): Promise<MapStatusView | undefined> {
    const r = await api<{ maps: MapStatusView[] }>(world.server, world.admin, 'GET', '/api/v1/admin/erp/status');
    expect(r.status).toBe(200);
    return r.body.maps.find((m) => m.map === JOURNALS_MAP);
  }

  it('aggregation queues one item per ERP journal; the outbox delivers it: Tryton moves, lines posted with Tryton ids, item done', async () => {
    const before = await world.snapshot(PAIRS);
    const elbows = adjustment({ warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: 5 });
    await world.post([
      elbows,
      adjustment({ warehouseId: WH_MAIN, productId: productId(COUPLING), quantity: -2 }),
      adjustment({ warehouseId: TRUCK_1, productId: productId(REFRIGERANT), quantity: 1.5 }),
    ]);
    const run = await runNow(world.server, world.admin);
    expect(run).toMatchObject({ sink: 'tryton', erpJournals: 2, queued: 2, delivered: { journals: 0 } });
    const erpIds = (await db().selectFrom('erp_journals').select('id').execute()).map((r) => r.id).sort();
    const items = await world.journalItems();
    // One item per ERP journal, its id as document and dedupe key; nothing reached Tryton yet.
    expect(items.map((i) => [i.document_id, i.dedupe_key, i.operation, i.status]).sort()).toEqual(erpIds.map((id) => [id, id, DELIVER_OPERATION, 'pending']));
    expect(await world.shipments()).toEqual([]);
    expect((await linesOf(erpIds)).map((l) => l.status)).toEqual(['created', 'created', 'created']);

    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 2, done: 2, retried: 0, poisoned: 0 });
    const after = await world.snapshot(PAIRS);
    expectTrytonFollowedOurs(before, after);
    expect([trytonDelta(before, after, WH_MAIN, ELBOW), trytonDelta(before, after, WH_MAIN, COUPLING), trytonDelta(before, after, TRUCK_1, REFRIGERANT)]).toEqual([50_000, -20_000, 15_000]);
    for (const line of await linesOf(erpIds)) {
      expect(line).toMatchObject({ status: 'posted', error_code: null, erp_journal_id: expect.stringMatching(/^stock\.shipment\.internal,\d+$/), erp_line_id: expect.stringMatching(/^stock\.move,\d+$/) });
    }
    for (const item of await world.journalItems()) {
      const doc = await world.erpDoc(item.document_id);
      expect(doc.status).toBe('posted');
      // The item keeps the Tryton shipments it made, for tracing from the admin outbox.
      expect(item).toMatchObject({ status: 'done', attempts: 1, erp_id: [...new Set(doc.lines.map((l) => l.erpJournalId))].join(' ') });
    }
    expect([...countByReference(await world.shipments()).values()].every((n) => n === 1)).toBe(true);
    // The admin trace follows the adjustment to the Tryton shipment and move that carry it, and the item that delivered it.
    const traced = await api<DocumentTrace>(world.server, world.admin, 'GET', `/api/v1/admin/erp/trace/inventoryTransactions/${elbows.id}`);
    expect(traced.status).toBe(200);
    const [erpLine] = traced.body.erpLines;
    expect(traced.body.erpLines).toHaveLength(1);
    expect(erpLine).toMatchObject({ status: 'posted', quantity: 50_000, erpJournalId: expect.stringMatching(/^stock\.shipment\.internal,\d+$/), erpLineId: expect.stringMatching(/^stock\.move,\d+$/) });
    expect(traced.body.outbox).toEqual([expect.objectContaining({ map: JOURNALS_MAP, documentId: erpLine?.journalId, status: 'done', erpId: expect.stringContaining(erpLine?.erpJournalId ?? '?') })]);
    // Delivered items are not delivered again.
    clock.advance(TEST_OUTBOX.backoffMaxMs);
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 0 });
  });

  it('Tryton stopped mid-run: items back off and nothing is lost; restarted: everything queued is delivered exactly once', async () => {
    const before = await world.snapshot(PAIRS);
    const shipmentsBefore = await world.shipments();
    const seen = new Set((await world.journalItems()).map((i) => i.id));
    await world.post([
      adjustment({ warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: 3 }),
      adjustment({ type: 'consumption', warehouseId: WH_MAIN, productId: productId(VALVE), quantity: 1 }),
      adjustment({ warehouseId: TRUCK_1, productId: productId(ELBOW), quantity: 2 }),
      adjustment({ type: 'transfer', warehouseId: WH_MAIN, toWarehouseId: TRUCK_1, productId: productId(COUPLING), quantity: 1 }),
    ]);
    expect(await runNow(world.server, world.admin)).toMatchObject({ erpJournals: 4, queued: 4 });
    const items = (await world.journalItems()).filter((i) => !seen.has(i.id));
    expect(items).toHaveLength(4);

    // The app's handler, with Tryton stopped by the sink between the second journal's create and its post.
    const real = await world.sink();
    let posts = 0;
    const stopping: ErpJournalSink = {
      name: real.name,
      create: (journal, delivery) => real.create(journal, delivery),
      post: async (journal, delivery) => {
        posts += 1;
        if (posts === 2) await world.tryton.stop();
        return real.post(journal, delivery);
      },
    };
    const ctx = world.server.fieldstock.ctx;
    const faulty = new OutboxHandlers();
    faulty.register(JOURNALS_MAP, DELIVER_OPERATION, journalDeliveryHandler({ store: ctx.store, notifier: ctx.notifier, sink: () => Promise.resolve(stopping) }));
    expect(await world.runOutbox(clock, faulty)).toMatchObject({ claimed: 4, done: 1, retried: 3, poisoned: 0 });
    expect(world.tryton.running).toBe(false);

    const [first, second, third, fourth] = items.map((i) => i.id);
    const now = new Map((await world.journalItems()).map((i) => [i.id, i]));
    expect(now.get(first ?? '')).toMatchObject({ status: 'done' });
    for (const id of [second, third, fourth]) {
      // Retryable: back to pending with the full first backoff (no jitter), the error kept for the admin.
      expect(now.get(id ?? '')).toMatchObject({ status: 'pending', attempts: 1, last_error_code: 'erp-network', next_attempt_at: clock.ms + TEST_OUTBOX.backoffBaseMs });
    }
    // Nothing is posted that Tryton did not post: the second journal is created in Tryton but not done; the others not created.
    const docOf = (id: string | undefined) => world.erpDoc(now.get(id ?? '')?.document_id ?? '');
    for (const line of (await docOf(second)).lines) expect(line).toMatchObject({ status: 'post-error', erpJournalId: expect.stringMatching(/^stock\.shipment\.internal,/), error: { code: 'erp-network' } });
    for (const id of [third, fourth]) for (const line of (await docOf(id)).lines) expect(line).toMatchObject({ status: 'create-error', error: { code: 'erp-network' } });
    expect(await mapStatus()).toMatchObject({ paused: false, retrying: 3, depth: { pending: 3, poison: 0 } });

    // Aggregation goes on while Tryton is down: a new journal queues.
    await world.post([adjustment({ warehouseId: TRUCK_1, productId: productId(REFRIGERANT), quantity: 0.5 })]);
    expect(await runNow(world.server, world.admin)).toMatchObject({ erpJournals: 1, queued: 1 });

    // Only the new item is due (and fails too); the others wait out their backoff, then fail again and wait twice as long.
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 1, done: 0, retried: 1 });
    clock.advance(TEST_OUTBOX.backoffBaseMs);
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 4, done: 0, retried: 4 });
    for (const item of (await world.journalItems()).filter((i) => !seen.has(i.id) && i.id !== first)) {
      expect(item).toMatchObject({ status: 'pending', attempts: 2, last_error_code: 'erp-network', next_attempt_at: clock.ms + TEST_OUTBOX.backoffBaseMs * TEST_OUTBOX.backoffFactor });
    }

    // Back up: the items are delivered when their backoff ends, not before.
    await world.tryton.start();
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 0 });
    clock.advance(TEST_OUTBOX.backoffBaseMs * TEST_OUTBOX.backoffFactor);
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 4, done: 4, retried: 0, poisoned: 0 });

    const all = (await world.journalItems()).filter((i) => !seen.has(i.id));
    expect(all.map((i) => i.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    const journalIds = all.map((i) => i.document_id);
    for (const line of await linesOf(journalIds)) expect(line).toMatchObject({ status: 'posted', error_code: null, erp_line_id: expect.stringMatching(/^stock\.move,\d+$/) });

    // Exactly once: one shipment per reference, each journal's lines in done shipments, Tryton moved by exactly our change.
    const shipments = await world.shipments();
    expect([...countByReference(shipments).values()].every((n) => n === 1)).toBe(true);
    const mine = shipments.filter((s) => !shipmentsBefore.some((b) => b.id === s.id));
    expect(mine.every((s) => s.state === 'done')).toBe(true);
    expect(new Set(mine.map((s) => parseShipmentReference(String(s.reference))?.journalId))).toEqual(new Set(journalIds));
    const after = await world.snapshot(PAIRS);
    expectTrytonFollowedOurs(before, after);
    expect([trytonDelta(before, after, WH_MAIN, ELBOW), trytonDelta(before, after, TRUCK_1, ELBOW), trytonDelta(before, after, WH_MAIN, VALVE), trytonDelta(before, after, WH_MAIN, COUPLING), trytonDelta(before, after, TRUCK_1, REFRIGERANT)]).toEqual([
      30_000, 20_000, -10_000, -10_000, 5_000,
    ]);
    expect((await auditAggregation(db())).problems).toEqual([]);

    // Nothing more to do, however much later.
    clock.advance(TEST_OUTBOX.backoffMaxMs);
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 0 });
    expect(await world.shipments()).toEqual(shipments);
  });

  it('pausing map journals holds deliveries while aggregation goes on queueing; resuming delivers them in order', async () => {
    const seen = new Set((await world.journalItems()).map((i) => i.id));
    const shipmentsBefore = await world.shipments();
    const paused = await api<MapStatusView>(world.server, world.admin, 'POST', `/api/v1/admin/erp/maps/${JOURNALS_MAP}/pause`, { reason: 'stocktake in Tryton' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ paused: true, reason: 'stocktake in Tryton' });

    const before = await world.snapshot(PAIRS);
    await world.post([adjustment({ warehouseId: WH_MAIN, productId: productId(VALVE), quantity: 4 })]);
    expect(await runNow(world.server, world.admin)).toMatchObject({ erpJournals: 1, queued: 1 });
    await world.post([adjustment({ warehouseId: TRUCK_1, productId: productId(ELBOW), quantity: -1 })]);
    expect(await runNow(world.server, world.admin)).toMatchObject({ erpJournals: 1, queued: 1 });

    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 0 });
    expect(await world.shipments()).toEqual(shipmentsBefore);
    const queued = (await world.journalItems()).filter((i) => !seen.has(i.id));
    expect(queued.map((i) => i.status)).toEqual(['pending', 'pending']);
    expect(await mapStatus()).toMatchObject({ paused: true, depth: { pending: 2 } });
    for (const item of queued) expect((await world.erpDoc(item.document_id)).status).toBe('created');

    expect((await api(world.server, world.admin, 'POST', `/api/v1/admin/erp/maps/${JOURNALS_MAP}/resume`)).status).toBe(200);
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 2, done: 2 });
    // In queue order: the first journal's shipment was made first (Tryton's ids grow).
    const shipmentOf = async (journalId: string) => Number((await world.erpDoc(journalId)).lines[0]?.erpJournalId?.split(',')[1]);
    const [a, b] = queued;
    expect((a?.seq ?? 0) < (b?.seq ?? 0)).toBe(true);
    expect((await shipmentOf(a?.document_id ?? '')) < (await shipmentOf(b?.document_id ?? ''))).toBe(true);
    const after = await world.snapshot(PAIRS);
    expect([trytonDelta(before, after, WH_MAIN, VALVE), trytonDelta(before, after, TRUCK_1, ELBOW)]).toEqual([40_000, -10_000]);
    expect(await mapStatus()).toMatchObject({ paused: false, depth: { pending: 0, 'in-flight': 0 } });
  });

  it('an unknown product: that line create-error with Tryton\'s message, the others posted, the item poison; an admin retry after creating the product delivers it', async () => {
    const seen = new Set((await world.journalItems()).map((i) => i.id));
    const before = await world.snapshot(PAIRS);
    await world.post([
      adjustment({ warehouseId: WH_MAIN, productId: productId(NOT_IN_TRYTON), quantity: 5 }),
      adjustment({ warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: 2 }),
    ]);
    expect(await runNow(world.server, world.admin)).toMatchObject({ erpJournals: 1, queued: 1 });
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 1, done: 0, retried: 0, poisoned: 1 });

    const [item] = (await world.journalItems()).filter((i) => !seen.has(i.id));
    if (!item) throw new Error('no item was queued');
    const doc = await world.erpDoc(item.document_id);
    const line = (n: number) => doc.lines.find((l) => l.productId === productId(n));
    expect(doc.status).toBe('create-error');
    expect(line(NOT_IN_TRYTON)).toMatchObject({ status: 'create-error', error: { code: 'erp-unknown-product', message: expect.stringContaining('"P-1006"') } });
    expect(line(ELBOW)).toMatchObject({ status: 'posted', erpLineId: expect.stringMatching(/^stock\.move,\d+$/) });
    // The admin sees why in the outbox, with the line and Tryton's message.
    const listed = await api<{ items: OutboxItemView[] }>(world.server, world.admin, 'GET', `/api/v1/admin/erp/outbox?map=${JOURNALS_MAP}&status=poison`);
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((i) => i.id === item.id)?.lastError).toMatchObject({ code: 'erp-unknown-product', message: expect.stringMatching(/line \d \(create\): \[erp-unknown-product\].*"P-1006"/) });
    // Poison is not retried on its own.
    clock.advance(TEST_OUTBOX.backoffMaxMs);
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 0 });

    await world.createTrytonProduct(NOT_IN_TRYTON, world.company.unitId);
    const retried = await api<{ item: OutboxItemView }>(world.server, world.admin, 'POST', `/api/v1/admin/erp/outbox/${item.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body.item).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 1, done: 1, poisoned: 0 });

    const fixed = await world.erpDoc(item.document_id);
    expect(fixed.status).toBe('posted');
    expect(fixed.lines.find((l) => l.productId === productId(NOT_IN_TRYTON))).toMatchObject({ status: 'posted', erpLineId: expect.stringMatching(/^stock\.move,\d+$/) });
    expect(fixed.lines.find((l) => l.productId === productId(NOT_IN_TRYTON))).not.toHaveProperty('error');
    // The refused line arrived; the line posted the first time did not move Tryton twice.
    expect(await world.trytonOnHand(WH_MAIN, NOT_IN_TRYTON)).toBe(50_000);
    expect(trytonDelta(before, await world.snapshot(PAIRS), WH_MAIN, ELBOW)).toBe(20_000);
    expect([...countByReference(await world.shipments()).values()].every((n) => n === 1)).toBe(true);
    expect((await world.journalItems()).find((i) => i.id === item.id)).toMatchObject({ status: 'done' });
  });
});
