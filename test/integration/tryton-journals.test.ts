// Aggregated ERP journals delivered to a real Tryton through the configured
// `tryton` sink (FIELDSTOCK_ERP=tryton, loaded through the registry by the admin
// aggregation run): adjustments, a consumption, a count and a transfer become done
// internal shipments carrying our reference, Tryton's on hand per storage location
// changes by exactly what our ledger applied, the ERP ids come back onto the lines,
// a repeated delivery creates nothing twice, and refusals (an unknown product or
// warehouse, a quantity Tryton's unit cannot hold, a receipt) stay on their lines.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import { parseShipmentReference } from '../../server/erp/adapters/tryton/journals/references.js';
import { aggregateBatch } from '../../server/ledger/aggregation/aggregate.js';
import { deliverErpJournals, loadSinkDelivery } from '../../server/ledger/aggregation/deliver.js';
import { erpJournalDoc, loadErpJournals } from '../../server/ledger/aggregation/erp-journals.js';
import { moveErpLineStatuses } from '../../server/ledger/aggregation/move-status.js';
import { sinkFor, type ErpJournalSink } from '../../server/ledger/aggregation/sink.js';
import { writeTransaction } from '../../server/store/write.js';
import { parseQuantity, type Units } from '../../shared/decimal.js';
import type { ErpJournal, PostingJournal } from '../../shared/schemas/journals.js';
import { ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import { adjustment, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/server.js';
import { auditAggregation, journalIdOf, runNow } from './aggregation-support.js';
import { productId, warehouseId, type Doc } from './api-support.js';

type Row = Record<string, ErpValue>;

const WH_MAIN = warehouseId('WH-MAIN');
const TRUCK_1 = warehouseId('TRUCK-1');
const TRUCK_2 = warehouseId('TRUCK-2');
/** Demo products without serial or lot tracking; P-1161 is stocked in kilograms. */
const ELBOW = 1001;
const COUPLING = 1002;
const VALVE = 1005;
const REFRIGERANT = 1161;
/** Exists in Fieldstock only. */
const NOT_IN_TRYTON = 1006;

interface Place {
  storageId: number;
}

describeIfTryton('Tryton journal sink', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let company: PurchasingCompany;
  let server: TestServer;
  let admin: string;
  const places = new Map<string, Place>();
  const trytonProducts = new Map<number, number>();

  const db = () => server.fieldstock.ctx.store.db;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    // The fixture's product is our P-1001; its warehouse becomes WH-MAIN, and a truck is added.
    company = await buildPurchasingCompany(rpc, { productCode: `P-${ELBOW}` });
    await rpc.model('stock.location', 'write', [[company.warehouseId], { code: 'WH-MAIN' }]);
    places.set(WH_MAIN, { storageId: company.storageLocationId });
    places.set(TRUCK_1, await createTrytonWarehouse('TRUCK-1', 'Truck 1'));
    trytonProducts.set(ELBOW, company.productId);
    trytonProducts.set(COUPLING, await createTrytonProduct(`P-${COUPLING}`, company.unitId));
    trytonProducts.set(VALVE, await createTrytonProduct(`P-${VALVE}`, company.unitId));
    trytonProducts.set(REFRIGERANT, await createTrytonProduct(`P-${REFRIGERANT}`, await uomId('kg')));

    // FIELDSTOCK_ERP=tryton as an operator sets it; the inbound sync runs only when asked (it is not under test here).
    const erpConfig = loadConfig({
      FIELDSTOCK_ERP: 'tryton',
      FIELDSTOCK_TRYTON_URL: tryton.url,
      FIELDSTOCK_TRYTON_DATABASE: tryton.database,
      FIELDSTOCK_TRYTON_USER: tryton.user,
      FIELDSTOCK_TRYTON_PASSWORD: tryton.password.reveal(),
      FIELDSTOCK_ERP_TIMEOUT_MS: '10000',
      FIELDSTOCK_ERP_SYNC_INTERVAL_MS: '0',
    });
    server = await startTestServer({
      config: { erp: erpConfig.erp, tryton: erpConfig.tryton, erpTimeoutMs: erpConfig.erpTimeoutMs, erpSync: erpConfig.erpSync, erpOutbox: erpConfig.erpOutbox },
    });
    admin = await server.token('admin');
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rpc?.logout();
  });

  async function createTrytonWarehouse(code: string, name: string): Promise<Place> {
    const [input, output, storage] = (await rpc.model('stock.location', 'create', [
      [
        { name: `${name} input`, type: 'storage' },
        { name: `${name} output`, type: 'storage' },
        { name: `${name} storage`, type: 'storage' },
      ],
    ])) as number[];
    await rpc.model('stock.location', 'create', [
      [{ name, code, type: 'warehouse', input_location: input ?? 0, output_location: output ?? 0, storage_location: storage ?? 0, lost_found_location: company.lostFoundLocationId }],
    ]);
    return { storageId: storage ?? 0 };
  }

  async function createTrytonProduct(code: string, uom: number): Promise<number> {
    const [templateId] = (await rpc.model('product.template', 'create', [
      [{ name: code, type: 'goods', default_uom: uom, list_price: ErpDecimal.parse('10'), products: [['create', [{ suffix_code: code, cost_price: ErpDecimal.parse('5') }]]] }],
    ])) as number[];
    const [template] = (await rpc.model('product.template', 'read', [[templateId ?? 0], ['products']])) as Row[];
    return (template?.products as number[])[0] ?? 0;
  }

  async function uomId(symbol: string): Promise<number> {
    const [id] = (await rpc.model('product.uom', 'search', [[['symbol', '=', symbol]], 0, 1, [['id', 'ASC']]])) as number[];
    if (id === undefined) throw new Error(`Tryton has no unit ${symbol}`);
    return id;
  }

  /** Tryton's on hand of one product in one warehouse's storage location. */
  async function trytonOnHand(warehouse: string, product: number): Promise<Units> {
    const storage = places.get(warehouse)?.storageId;
    const [row] = (await rpc.model('product.product', 'read', [[trytonProducts.get(product) ?? 0], ['quantity']], { locations: [storage ?? 0] })) as Row[];
    const parsed = parseQuantity(row?.quantity);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.units;
  }

  async function ourOnHand(warehouse: string, product: number): Promise<Units> {
    const row = await db().selectFrom('onhand').select('on_hand').where('warehouse_id', '=', warehouse).where('product_id', '=', productId(product)).executeTakeFirst();
    return Number(row?.on_hand ?? 0) as Units;
  }

  async function snapshot(pairs: readonly (readonly [string, number])[]): Promise<Map<string, { ours: Units; tryton: Units }>> {
    const result = new Map<string, { ours: Units; tryton: Units }>();
    for (const [w, p] of pairs) result.set(`${w}|${p}`, { ours: await ourOnHand(w, p), tryton: await trytonOnHand(w, p) });
    return result;
  }

  async function post(docs: Doc[]): Promise<string[]> {
    const r = await pushNew(server, admin, 'inventoryTransactions', docs);
    expect(r.status).toBe(200);
    expect(r.body).toEqual([]);
    return Promise.all(docs.map((d) => journalIdOf(db(), String(d.id))));
  }

  async function shipments(): Promise<Row[]> {
    return (await rpc.model('stock.shipment.internal', 'search_read', [[['reference', 'like', 'fieldstock:%']], 0, null, [['id', 'ASC']], ['reference', 'state', 'moves']])) as Row[];
  }

  async function movesOf(ids: number[]): Promise<Row[]> {
    return (await rpc.model('stock.move', 'read', [ids, ['product', 'quantity', 'from_location', 'to_location', 'state', 'shipment']])) as Row[];
  }

  async function erpDoc(id: string): Promise<ErpJournal> {
    const row = await db().selectFrom('docs').select('data').where('collection', '=', 'journals').where('id', '=', id).executeTakeFirstOrThrow();
    return JSON.parse(row.data) as ErpJournal;
  }

  async function postingDoc(id: string): Promise<PostingJournal> {
    return JSON.parse((await db().selectFrom('docs').select('data').where('collection', '=', 'journals').where('id', '=', id).executeTakeFirstOrThrow()).data) as PostingJournal;
  }

  async function sink(): Promise<ErpJournalSink> {
    const made = await sinkFor(server.fieldstock.ctx.config, server.fieldstock.ctx.erp?.connector);
    if (!made) throw new Error('no sink for tryton');
    return made;
  }

  const PAIRS = [
    [WH_MAIN, ELBOW],
    [WH_MAIN, COUPLING],
    [WH_MAIN, VALVE],
    [TRUCK_1, ELBOW],
    [TRUCK_1, REFRIGERANT],
  ] as const;

  it('delivers adjustments, a consumption, a count and a transfer as done shipments; Tryton moves by exactly our quantities and the ids come back', async () => {
    const before = await snapshot(PAIRS);
    // In the past, so later tests' movements (dated now) come after this count and are not absorbed by it.
    const t0 = Date.now() - 60_000;
    const at = (s: number) => new Date(t0 + s * 1000).toISOString();
    const journals = [
      ...(await post([
        adjustment({ warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: 10, occurredAt: at(0) }),
        adjustment({ warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: -3, occurredAt: at(1) }),
        adjustment({ warehouseId: WH_MAIN, productId: productId(COUPLING), quantity: -4, occurredAt: at(2) }),
        adjustment({ type: 'consumption', warehouseId: WH_MAIN, productId: productId(VALVE), quantity: 2, occurredAt: at(3) }),
        adjustment({ warehouseId: TRUCK_1, productId: productId(REFRIGERANT), quantity: 2.5, occurredAt: at(4) }),
      ])),
      // The count comes after the adjustments: it applies "counted minus our level then".
      ...(await post([adjustment({ type: 'count', warehouseId: WH_MAIN, productId: productId(COUPLING), quantity: 40, occurredAt: at(5) })])),
      ...(await post([adjustment({ type: 'transfer', warehouseId: WH_MAIN, toWarehouseId: TRUCK_1, productId: productId(ELBOW), quantity: 4, occurredAt: at(6) })])),
    ];

    const run = await runNow(server, admin);
    expect(run.sink).toBe('tryton');
    // Lines: adjustment WH-MAIN (elbow +7, coupling -4), consumption (valve -2), adjustment TRUCK-1 (refrigerant +2.5), count, transfer (2 ends).
    expect(run.delivered).toEqual({ journals: 5, postedLines: 7, createErrorLines: 0, postErrorLines: 0 });
    expect((await auditAggregation(db())).problems).toEqual([]);

    // Tryton changed by exactly what our ledger applied, per warehouse storage and product.
    const after = await snapshot(PAIRS);
    for (const [key, { ours, tryton: theirs }] of after) {
      const was = before.get(key);
      expect({ key, tryton: theirs - (was?.tryton ?? 0) }).toEqual({ key, tryton: ours - (was?.ours ?? 0) });
    }
    const delta = (w: string, p: number) => (after.get(`${w}|${p}`)?.tryton ?? 0) - (before.get(`${w}|${p}`)?.tryton ?? 0);
    expect(delta(WH_MAIN, ELBOW)).toBe(30_000); // +10 -3 -4 (transfer out)
    expect(delta(TRUCK_1, ELBOW)).toBe(40_000);
    expect(delta(WH_MAIN, VALVE)).toBe(-20_000);
    expect(delta(TRUCK_1, REFRIGERANT)).toBe(25_000);
    // The count set our level to 40 (whatever the demo level was); Tryton moved by the same change (checked above).
    expect(after.get(`${WH_MAIN}|${COUPLING}`)?.ours).toBe(400_000);

    // Every ERP line is posted with Tryton's shipment and move ids; the shipments are done and carry our reference.
    const erpLines = await db().selectFrom('erp_journal_lines').selectAll().execute();
    expect(erpLines).toHaveLength(7);
    const done = await shipments();
    expect(done.every((s) => s.state === 'done')).toBe(true);
    const byId = new Map(done.map((s) => [s.id as number, s]));
    for (const line of erpLines) {
      expect(line).toMatchObject({ status: 'posted', error_code: null, erp_journal_id: expect.stringMatching(/^stock\.shipment\.internal,\d+$/), erp_line_id: expect.stringMatching(/^stock\.move,\d+$/) });
      const shipment = byId.get(Number(line.erp_journal_id?.split(',')[1]));
      const reference = parseShipmentReference(String(shipment?.reference));
      expect(reference).toMatchObject({ journalId: line.journal_id });
      expect(reference?.lineNumbers).toContain(line.line_number);
      const [move] = await movesOf([Number(line.erp_line_id?.split(',')[1])]);
      const ours = [...trytonProducts.keys()].find((n) => productId(n) === line.product_id) ?? 0;
      expect(move).toMatchObject({ state: 'done', product: trytonProducts.get(ours), shipment: `stock.shipment.internal,${shipment?.id as number}` });
    }
    // The transfer moved storage to storage: both ends point at the same move.
    const transfer = await db().selectFrom('erp_journals').select('id').where('journal_name', '=', 'transfer').executeTakeFirstOrThrow();
    const ends = erpLines.filter((l) => l.journal_id === transfer.id);
    expect(new Set(ends.map((l) => l.erp_line_id)).size).toBe(1);
    const [transferMove] = await movesOf([Number(ends[0]?.erp_line_id?.split(',')[1])]);
    expect(transferMove).toMatchObject({ from_location: places.get(WH_MAIN)?.storageId, to_location: places.get(TRUCK_1)?.storageId, quantity: 4 });
    // The count and the adjustments went through the warehouse's Lost and Found.
    const count = await db().selectFrom('erp_journals').select('id').where('journal_name', '=', 'count').executeTakeFirstOrThrow();
    const [countMove] = await movesOf([Number(erpLines.find((l) => l.journal_id === count.id)?.erp_line_id?.split(',')[1])]);
    expect(countMove).toMatchObject({ from_location: company.lostFoundLocationId, to_location: company.storageLocationId });

    // Each posting journal links to the ERP line that carries it, whose document shows the Tryton ids.
    for (const id of journals) {
      const posting = await postingDoc(id);
      expect(posting.status).toBe('aggregated');
      for (const l of posting.lines) {
        expect(l.erpJournal).toBeDefined();
        const erp = await erpDoc(l.erpJournal?.id ?? '');
        expect(erp.lines.find((e) => e.lineNumber === l.erpJournal?.lineNumber)).toMatchObject({ status: 'posted', erpJournalId: expect.stringMatching(/^stock\.shipment\.internal,/), erpLineId: expect.stringMatching(/^stock\.move,/) });
      }
    }
  });

  it('creating and posting a delivered journal again finds what Tryton holds and creates nothing', async () => {
    const ids = (await db().selectFrom('erp_journals').select('id').execute()).map((r) => r.id);
    const stored = await loadErpJournals(db(), ids);
    const docs = stored.map(({ head, lines }) => erpJournalDoc(head, lines));
    const shipmentsBefore = await shipments();
    const onHandBefore = await snapshot(PAIRS);
    const s = await sink();
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
    expect(await shipments()).toEqual(shipmentsBefore);
    expect(await snapshot(PAIRS)).toEqual(onHandBefore);
  });

  it('a create whose answer was lost (lines left in error) is retried without a second shipment', async () => {
    const ctx = server.fieldstock.ctx;
    const before = await trytonOnHand(WH_MAIN, VALVE);
    await post([adjustment({ warehouseId: WH_MAIN, productId: productId(VALVE), quantity: 6 })]);
    const batch = await aggregateBatch(ctx.store, ctx.notifier, { batchSize: 100, maxLinesPerJournal: 100 });
    const erpId = batch.erpJournalIds[0] as string;
    const real = await sink();
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
    const mine = (await shipments()).filter((s) => parseShipmentReference(String(s.reference))?.journalId === erpId);
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
    const again = (await shipments()).filter((s) => parseShipmentReference(String(s.reference))?.journalId === erpId);
    expect(again.map((s) => [s.id, s.state])).toEqual([[mine[0]?.id, 'done']]);
    expect((await trytonOnHand(WH_MAIN, VALVE)) - before).toBe(60_000);
    const erpLineId = created.ok ? created.erpLineIds?.get(1) : undefined;
    const recorded = await writeTransaction(ctx.store, ctx.notifier, (w) =>
      moveErpLineStatuses(w, [
        { journalId: erpId, lineNumber: 1, to: 'created-in-erp', ...(erpJournalId ? { erpJournalId } : {}), ...(erpLineId ? { erpLineId } : {}) },
        { journalId: erpId, lineNumber: 1, to: 'posted' },
      ]),
    );
    expect(recorded).toMatchObject({ ok: true });
    expect((await erpDoc(erpId)).lines[0]).toMatchObject({ status: 'posted', erpJournalId, erpLineId: expect.stringMatching(/^stock\.move,\d+$/) });
    expect((await auditAggregation(db())).problems).toEqual([]);
  });

  it('an unknown product, a quantity finer than Tryton\'s unit and an unknown warehouse fail alone with clear messages; the other lines post', async () => {
    const before = await snapshot(PAIRS);
    const [unknownProduct] = await post([
      adjustment({ warehouseId: WH_MAIN, productId: productId(NOT_IN_TRYTON), quantity: 5 }),
      adjustment({ warehouseId: WH_MAIN, productId: productId(ELBOW), quantity: 2 }),
      // Tryton's unit "u" has no decimals: Tryton refuses 1.5 of it.
      adjustment({ warehouseId: WH_MAIN, productId: productId(COUPLING), quantity: 1.5 }),
      adjustment({ warehouseId: WH_MAIN, productId: productId(VALVE), quantity: 3 }),
    ]);
    const [unknownWarehouse] = await post([adjustment({ warehouseId: TRUCK_2, productId: productId(ELBOW), quantity: 1 })]);
    const run = await runNow(server, admin);
    expect(run.delivered).toEqual({ journals: 2, postedLines: 2, createErrorLines: 3, postErrorLines: 0 });

    const posting = await postingDoc(unknownProduct as string);
    const erp = await erpDoc(posting.lines[0]?.erpJournal?.id ?? '');
    expect(erp.status).toBe('create-error');
    const line = (n: number) => erp.lines.find((l) => l.productId === productId(n));
    expect(line(NOT_IN_TRYTON)).toMatchObject({ status: 'create-error', error: { code: 'erp-unknown-product', message: expect.stringContaining('"P-1006"') } });
    expect(line(COUPLING)).toMatchObject({ status: 'create-error', error: { code: 'erp-user-error', message: expect.stringMatching(/digits/i) } });
    expect(line(ELBOW)).toMatchObject({ status: 'posted', erpLineId: expect.stringMatching(/^stock\.move,\d+$/) });
    expect(line(VALVE)).toMatchObject({ status: 'posted', erpLineId: expect.stringMatching(/^stock\.move,\d+$/) });
    expect(line(NOT_IN_TRYTON)).not.toHaveProperty('erpLineId');

    const truck = await erpDoc((await postingDoc(unknownWarehouse as string)).lines[0]?.erpJournal?.id ?? '');
    expect(truck.lines[0]).toMatchObject({ status: 'create-error', error: { code: 'erp-unknown-warehouse', message: expect.stringContaining('"TRUCK-2"') } });

    const after = await snapshot(PAIRS);
    const delta = (w: string, p: number) => (after.get(`${w}|${p}`)?.tryton ?? 0) - (before.get(`${w}|${p}`)?.tryton ?? 0);
    expect([delta(WH_MAIN, ELBOW), delta(WH_MAIN, VALVE), delta(WH_MAIN, COUPLING)]).toEqual([20_000, 30_000, 0]);
  });

  it('leaves receipt journals to the receipt flow: create-error erp-not-supported, nothing sent', async () => {
    const ctx = server.fieldstock.ctx;
    const before = await shipments();
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
    const created = await (await sink()).create(receipt, await loadSinkDelivery(ctx.store.db, [receipt]));
    expect(created).toMatchObject({ ok: false, error: { code: 'erp-not-supported', message: expect.stringContaining('purchase order') } });
    expect(await shipments()).toEqual(before);
  });
});
