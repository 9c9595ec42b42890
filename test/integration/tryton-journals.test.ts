// Aggregated ERP journals delivered to a real Tryton through the configured
// `tryton` sink (FIELDSTOCK_ERP=tryton, loaded through the registry): the admin
// aggregation run queues them in the ERP outbox and the outbox delivers them.
// Adjustments, a consumption, a count and a transfer become done internal
// shipments carrying our reference, Tryton's on hand per storage location
// changes by exactly what our ledger applied, the ERP ids come back onto the
// lines, a repeated delivery creates nothing twice, and refusals (an unknown
// product or warehouse, a quantity Tryton's unit cannot hold, a receipt) stay
// on their lines. Outage, pause and retry: tryton-outbox-journals.test.ts.
import { expect, it } from 'vitest';
import { parseShipmentReference } from '../../server/erp/adapters/tryton/journals/references.js';
import { aggregateBatch } from '../../server/ledger/aggregation/aggregate.js';
import { deliverErpJournals, loadSinkDelivery } from '../../server/ledger/aggregation/deliver.js';
import { erpJournalDoc, loadErpJournals } from '../../server/ledger/aggregation/erp-journals.js';
import { moveErpLineStatuses } from '../../server/ledger/aggregation/move-status.js';
import type { ErpJournalSink } from '../../server/ledger/aggregation/sink.js';
import { writeTransaction } from '../../server/store/write.js';
import type { ErpJournal } from '../../shared/schemas/journals.js';
import { adjustment } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { auditAggregation, runNow } from './aggregation-support.js';
import { productId } from './api-support.js';
import { TestClock } from './erp-outbox-support.js';
import { COUPLING, ELBOW, expectTrytonFollowedOurs, NOT_IN_TRYTON, PAIRS, REFRIGERANT, TRUCK_1, TRUCK_2, trytonDelta, useTrytonJournals, VALVE, WH_MAIN } from './tryton-journals-support.js';

describeIfTryton('Tryton journal sink', () => {
  const world = useTrytonJournals();
  const clock = new TestClock();
  const db = () => world.db();

  it('delivers adjustments, a consumption, a count and a transfer as done shipments; Tryton moves by exactly our quantities and the ids come back', async () => {
    const before = await world.snapshot(PAIRS);
    // In the past, so later tests' movements (dated now) come after this count and are not absorbed by it.
    const t0 = Date.now() - 60_000;
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const journals = [
      ...(await world.post([
        adjustment({ warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: 10, occurredAt: at(0) }),
        adjustment({ warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: -3, occurredAt: at(1) }),
        adjustment({ warehouseId: WH_MAIN, productId: productId(COUPLING), quantity: -4, occurredAt: at(2) }),
        adjustment({ type: 'consumption', warehouseId: WH_MAIN, productId: productId(VALVE), quantity: 2, occurredAt: at(3) }),
        adjustment({ warehouseId: TRUCK_1, productId: productId(REFRIGERANT), quantity: 2.5, occurredAt: at(4) }),
      ])),
      // The count comes after the adjustments: it applies "counted minus our level then".
      ...(await world.post([adjustment({ type: 'count', warehouseId: WH_MAIN, productId: productId(COUPLING), quantity: 40, occurredAt: at(5) })])),
      ...(await world.post([adjustment({ type: 'transfer', warehouseId: WH_MAIN, toWarehouseId: TRUCK_1, productId: productId(ELBOW), quantity: 4, occurredAt: at(6) })])),
    ];

    const run = await runNow(world.server, world.admin);
    expect(run.sink).toBe('tryton');
    // Lines: adjustment WH-MAIN (elbow +7, coupling -4), consumption (valve -2), adjustment TRUCK-1 (refrigerant +2.5), count, transfer (2 ends).
    // Aggregation queues the five journals for the ERP outbox and hands nothing to Tryton itself.
    expect(run).toMatchObject({ erpJournals: 5, queued: 5, delivered: { journals: 0, postedLines: 0 } });
    expect(await world.shipments()).toEqual([]);
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 5, done: 5, retried: 0, poisoned: 0 });
    expect((await auditAggregation(db())).problems).toEqual([]);

    // Tryton changed by exactly what our ledger applied, per warehouse storage and product.
    const after = await world.snapshot(PAIRS);
    expectTrytonFollowedOurs(before, after);
    const delta = (w: string, p: number) => trytonDelta(before, after, w, p);
    expect(delta(WH_MAIN, ELBOW)).toBe(30_000); // +10 -3 -4 (transfer out)
    expect(delta(TRUCK_1, ELBOW)).toBe(40_000);
    expect(delta(WH_MAIN, VALVE)).toBe(-20_000);
    expect(delta(TRUCK_1, REFRIGERANT)).toBe(25_000);
    // The count set our level to 40 (whatever the demo level was); Tryton moved by the same change (checked above).
    expect(after.get(`${WH_MAIN}|${COUPLING}`)?.ours).toBe(400_000);

    // Every ERP line is posted with Tryton's shipment and move ids; the shipments are done and carry our reference.
    const erpLines = await db().selectFrom('erp_journal_lines').selectAll().execute();
    expect(erpLines).toHaveLength(7);
    const done = await world.shipments();
    expect(done.every((s) => s.state === 'done')).toBe(true);
    const byId = new Map(done.map((s) => [s.id as number, s]));
    for (const line of erpLines) {
      expect(line).toMatchObject({ status: 'posted', error_code: null, erp_journal_id: expect.stringMatching(/^stock\.shipment\.internal,\d+$/), erp_line_id: expect.stringMatching(/^stock\.move,\d+$/) });
      const shipment = byId.get(Number(line.erp_journal_id?.split(',')[1]));
      const reference = parseShipmentReference(String(shipment?.reference));
      expect(reference).toMatchObject({ journalId: line.journal_id });
      expect(reference?.lineNumbers).toContain(line.line_number);
      const [move] = await world.movesOf([Number(line.erp_line_id?.split(',')[1])]);
      const ours = [...world.trytonProducts.keys()].find((n) => productId(n) === line.product_id) ?? 0;
      expect(move).toMatchObject({ state: 'done', product: world.trytonProducts.get(ours), shipment: `stock.shipment.internal,${shipment?.id as number}` });
    }
    // The transfer moved storage to storage: both ends point at the same move.
    const transfer = await db().selectFrom('erp_journals').select('id').where('journal_name', '=', 'transfer').executeTakeFirstOrThrow();
    const ends = erpLines.filter((l) => l.journal_id === transfer.id);
    expect(new Set(ends.map((l) => l.erp_line_id)).size).toBe(1);
    const [transferMove] = await world.movesOf([Number(ends[0]?.erp_line_id?.split(',')[1])]);
    expect(transferMove).toMatchObject({ from_location: world.places.get(WH_MAIN)?.storageId, to_location: world.places.get(TRUCK_1)?.storageId, quantity: 4 });
    // The count and the adjustments went through the warehouse's Lost and Found.
    const count = await db().selectFrom('erp_journals').select('id').where('journal_name', '=', 'count').executeTakeFirstOrThrow();
    const [countMove] = await world.movesOf([Number(erpLines.find((l) => l.journal_id === count.id)?.erp_line_id?.split(',')[1])]);
    expect(countMove).toMatchObject({ from_location: world.company.lostFoundLocationId, to_location: world.company.storageLocationId });

    // Each posting journal links to the ERP line that carries it, whose document shows the Tryton ids.
    for (const id of journals) {
      const posting = await world.postingDoc(id);
      expect(posting.status).toBe('aggregated');
      for (const l of posting.lines) {
        expect(l.erpJournal).toBeDefined();
        const erp = await world.erpDoc(l.erpJournal?.id ?? '');
        expect(erp.lines.find((e) => e.lineNumber === l.erpJournal?.lineNumber)).toMatchObject({ status: 'posted', erpJournalId: expect.stringMatching(/^stock\.shipment\.internal,/), erpLineId: expect.stringMatching(/^stock\.move,/) });
      }
    }
  });

  it('creating and posting a delivered journal again finds what Tryton holds and creates nothing', async () => {
    const ids = (await db().selectFrom('erp_journals').select('id').execute()).map((r) => r.id);
    const stored = await loadErpJournals(db(), ids);
    const docs = stored.map(({ head, lines }) => erpJournalDoc(head, lines));
    const shipmentsBefore = await world.shipments();
    const onHandBefore = await world.snapshot(PAIRS);
    const s = await world.sink();
    const delivery = await loadSinkDelivery(db(), docs);
    for (const doc of docs) {
      const created = await s.create(doc, delivery);
      expect(created.ok).toBe(true);
      if (!created.ok) continue;
      expect(created.lineErrors?.size ?? 0).toBe(0);
      for (const line of doc.lines) {
        expect(created.erpJournalIds?.get(line.lineNumber)).toBe(line.erpJournalId);
        expect(created.erpLineIds?.get(line.lineNumber)).toBe(line.erpLineId);
      }
      expect(await s.post(doc, delivery)).toEqual({ ok: true, lineErrors: new Map() });
    }
    expect(await world.shipments()).toEqual(shipmentsBefore);
    expect(await world.snapshot(PAIRS)).toEqual(onHandBefore);
  });

  it('a create whose answer was lost (lines left in error) is retried without a second shipment', async () => {
    const ctx = world.server.fieldstock.ctx;
    const before = await world.trytonOnHand(WH_MAIN, VALVE);
    await world.post([adjustment({ warehouseId: WH_MAIN, productId: productId(VALVE), quantity: 6 })]);
    const batch = await aggregateBatch(ctx.store, ctx.notifier, { batchSize: 100, maxLinesPerJournal: 100 });
    const erpId = batch.erpJournalIds[0] as string;
    const real = await world.sink();
    // Tryton creates the shipment, but the answer never reaches us (a crash or a timeout after the call).
    const lost: ErpJournalSink = {
      name: 'tryton',
      create: async (journal, delivery) => {
        await real.create(journal, delivery);
        throw new Error('socket hang up');
      },
      post: (journal, delivery) => real.post(journal, delivery),
    };
    expect(await deliverErpJournals(ctx.store, ctx.notifier, lost, 10)).toMatchObject({ journals: 1, createErrorLines: 1 });
    const mine = (await world.shipments()).filter((s) => parseShipmentReference(String(s.reference))?.journalId === erpId);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.state).toBe('draft');

    // The retry (what the ERP outbox does): the line goes back to sent and is delivered again.
    const moved = await writeTransaction(ctx.store, ctx.notifier, (w) => moveErpLineStatuses(w, [{ journalId: erpId, lineNumber: 1, to: 'sent' }]));
    expect(moved).toMatchObject({ ok: true });
    const [stored] = await loadErpJournals(db(), [erpId]);
    if (!stored) throw new Error(`ERP journal ${erpId} is gone`);
    const doc = erpJournalDoc(stored.head, stored.lines);
    const delivery = await loadSinkDelivery(db(), [doc]);
    const created = await real.create(doc, delivery);
    expect(created).toMatchObject({ ok: true, lineErrors: new Map() });
    const erpJournalId = created.ok ? created.erpJournalIds?.get(1) : undefined;
    expect(erpJournalId).toBe(`stock.shipment.internal,${mine[0]?.id as number}`);
    const withIds: ErpJournal = { ...doc, lines: doc.lines.map((l) => ({ ...l, erpJournalId })) };
    expect(await real.post(withIds, delivery)).toEqual({ ok: true, lineErrors: new Map() });
    const again = (await world.shipments()).filter((s) => parseShipmentReference(String(s.reference))?.journalId === erpId);
    expect(again.map((s) => [s.id, s.state])).toEqual([[mine[0]?.id, 'done']]);
    expect((await world.trytonOnHand(WH_MAIN, VALVE)) - before).toBe(60_000);
    const erpLineId = created.ok ? created.erpLineIds?.get(1) : undefined;
    const recorded = await writeTransaction(ctx.store, ctx.notifier, (w) =>
      moveErpLineStatuses(w, [
        { journalId: erpId, lineNumber: 1, to: 'created-in-erp', ...(erpJournalId ? { erpJournalId } : {}), ...(erpLineId ? { erpLineId } : {}) },
        { journalId: erpId, lineNumber: 1, to: 'posted' },
      ]),
    );
    expect(recorded).toMatchObject({ ok: true });
    expect((await world.erpDoc(erpId)).lines[0]).toMatchObject({ status: 'posted', erpJournalId, erpLineId: expect.stringMatching(/^stock\.move,\d+$/) });
    expect((await auditAggregation(db())).problems).toEqual([]);
  });

  it('an unknown product, a quantity finer than Tryton\'s unit and an unknown warehouse fail alone with clear messages; the other lines post', async () => {
    const before = await world.snapshot(PAIRS);
    const [unknownProduct] = await world.post([
      adjustment({ warehouseId: WH_MAIN, productId: productId(NOT_IN_TRYTON), quantity: 5 }),
      adjustment({ warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: 2 }),
      // Tryton's unit "u" has no decimals: Tryton refuses 1.5 of it.
      adjustment({ warehouseId: WH_MAIN, productId: productId(COUPLING), quantity: 1.5 }),
      adjustment({ warehouseId: WH_MAIN, productId: productId(VALVE), quantity: 3 }),
    ]);
    const [unknownWarehouse] = await world.post([adjustment({ warehouseId: TRUCK_2, productId: productId(ELBOW), quantity: 1 })]);
    expect(await runNow(world.server, world.admin)).toMatchObject({ queued: 2 });
    // Refusals are permanent: both items are set aside as poison at once, with the lines' messages.
    expect(await world.runOutbox(clock)).toMatchObject({ claimed: 2, done: 0, retried: 0, poisoned: 2 });

    const posting = await world.postingDoc(unknownProduct as string);
    const erp = await world.erpDoc(posting.lines[0]?.erpJournal?.id ?? '');
    expect(erp.status).toBe('create-error');
    const line = (n: number) => erp.lines.find((l) => l.productId === productId(n));
    expect(line(NOT_IN_TRYTON)).toMatchObject({ status: 'create-error', error: { code: 'erp-unknown-product', message: expect.stringContaining('"P-1006"') } });
    expect(line(COUPLING)).toMatchObject({ status: 'create-error', error: { code: 'erp-user-error', message: expect.stringMatching(/digits/i) } });
    expect(line(ELBOW)).toMatchObject({ status: 'posted', erpLineId: expect.stringMatching(/^stock\.move,\d+$/) });
    expect(line(VALVE)).toMatchObject({ status: 'posted', erpLineId: expect.stringMatching(/^stock\.move,\d+$/) });
    expect(line(NOT_IN_TRYTON)).not.toHaveProperty('erpLineId');

    const truck = await world.erpDoc((await world.postingDoc(unknownWarehouse as string)).lines[0]?.erpJournal?.id ?? '');
    expect(truck.lines[0]).toMatchObject({ status: 'create-error', error: { code: 'erp-unknown-warehouse', message: expect.stringContaining('"TRUCK-2"') } });

    const items = new Map((await world.journalItems()).map((i) => [i.document_id, i]));
    expect(items.get(erp.id)).toMatchObject({ status: 'poison', last_error_code: 'erp-unknown-product', last_error_message: expect.stringContaining('"P-1006"') });
    expect(items.get(erp.id)?.last_error_message).toMatch(/digits/i);
    expect(items.get(truck.id)).toMatchObject({ status: 'poison', last_error_code: 'erp-unknown-warehouse', last_error_message: expect.stringContaining('"TRUCK-2"') });

    const after = await world.snapshot(PAIRS);
    expect([trytonDelta(before, after, WH_MAIN, ELBOW), trytonDelta(before, after, WH_MAIN, VALVE), trytonDelta(before, after, WH_MAIN, COUPLING)]).toEqual([20_000, 30_000, 0]);
  });

  it('leaves receipt journals to the receipt flow: create-error erp-not-supported, nothing sent', async () => {
    const ctx = world.server.fieldstock.ctx;
    const before = await world.shipments();
    // A receipt journal as aggregation makes it (receipts post through purchase orders; the sink only sees the journal).
    const receipt: ErpJournal = {
      id: crypto.randomUUID(),
      kind: 'erp',
      journalName: 'receipt',
      status: 'sent',
      warehouseId: WH_MAIN,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      lines: [{ lineNumber: 1, warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: 5, sourceLineCount: 1, status: 'sent' }],
    };
    const created = await (await world.sink()).create(receipt, await loadSinkDelivery(ctx.store.db, [receipt]));
    expect(created).toMatchObject({ ok: false, error: { code: 'erp-not-supported', message: expect.stringContaining('purchase order') } });
    expect(await world.shipments()).toEqual(before);
  });
});
