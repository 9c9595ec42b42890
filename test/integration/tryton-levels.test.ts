// Inventory levels from a real Tryton (issue 5, items 5 and 8): for a warehouse synced
// from Tryton (externally maintained), a stock change made in Tryton reaches a technician's
// inventory document through one erp-sync journal, and running again posts nothing. What
// Fieldstock posted that Tryton has not applied is offset, never undone nor counted twice:
// aggregated but undelivered, delivered, and delivered to Tryton while our line still says
// `created` (the delivery's outcome not recorded yet), and a receipt until Tryton receives it
// through its purchase order. A warehouse that is not externally maintained is never touched,
// erp-sync journals are never aggregated back to Tryton, the sync round runs levels on its
// interval, and a correction the ledger refuses is reported, not stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import { TrytonLevelSource } from '../../server/erp/adapters/tryton/levels-source.js';
import { runOutboxOnce } from '../../server/erp/outbox/worker.js';
import type { LevelsRun } from '../../shared/erp/levels-wire.js';
import { aggregateBatch, ERP_SYNC_JOURNAL_NAME } from '../../server/ledger/aggregation/aggregate.js';
import { deliverErpJournals, loadSinkDelivery } from '../../server/ledger/aggregation/deliver.js';
import { erpJournalDoc, loadErpJournals } from '../../server/ledger/aggregation/erp-journals.js';
import { sinkFor, type ErpJournalSink } from '../../server/ledger/aggregation/sink.js';
import { loadDocs, writeTransaction } from '../../server/store/write.js';
import { ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import { units } from '../../shared/decimal.js';
import { inventoryId } from '../../shared/schemas/inventory.js';
import type { PostingJournal } from '../../shared/schemas/journals.js';
import { adjustment, api, pullAll, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, createConfirmedPurchase, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { expectErrorBody, type Doc } from './api-support.js';
import { changeSequence, runMap, startSyncServer } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;

const LIMITS = { batchSize: 1_000, maxLinesPerJournal: 100 };

describeIfTryton('inventory levels from Tryton', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let company: PurchasingCompany;
  let server: TestServer;
  let admin: string;
  let tech: string;
  /** Our ids of the fixture's warehouse (externally maintained) and of a second one that is not. */
  let wh = '';
  let other = '';
  let otherStorage = 0;
  let widget = '';
  let gadget = '';
  let gadgetTryton = 0;

  const db = () => server.fieldstock.ctx.store.db;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    company = await buildPurchasingCompany(rpc);
    gadgetTryton = await createTrytonProduct('FS-GADGET-1');
    otherStorage = await createTrytonWarehouse('WH-OTHER', 'Other warehouse');

    // The outbox timer off: journals reach Tryton only when a test delivers them.
    server = await startSyncServer(tryton, { config: { erpOutbox: { ...loadConfig({}).erpOutbox, intervalMs: 0 } } });
    admin = await server.token('admin');
    await runMap(server, 'warehouses');
    await runMap(server, 'products');
    const warehouses = await pullAll<Doc>(server, admin, 'warehouses');
    const products = await pullAll<Doc>(server, admin, 'products');
    const [whCode] = (await rpc.model('stock.location', 'read', [[company.warehouseId], ['code']])) as Row[];
    wh = String(warehouses.find((w) => w.code === whCode?.code)?.id);
    other = String(warehouses.find((w) => w.code === 'WH-OTHER')?.id);
    widget = String(products.find((p) => p.number === company.productCode)?.id);
    gadget = String(products.find((p) => p.number === 'FS-GADGET-1')?.id);
    expect(warehouses.find((w) => w.id === wh)).toMatchObject({ externallyMaintained: true });

    // An operator keeps WH-OTHER's stock in Fieldstock: the ERP is not its master.
    await writeTransaction(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, async (writer) => {
      const stored = (await loadDocs(writer.trx, 'warehouses', [other])).get(other);
      if (!stored) throw new Error('WH-OTHER was not synced');
      writer.put({ collection: 'warehouses', id: other, data: { ...stored.data, externallyMaintained: false }, scopeA: stored.scopeA, scopeB: stored.scopeB });
    });

    await server.fieldstock.ctx.auth.createUser({ username: 'levels-tech', password: 'levels-tech-password', role: 'technician', warehouseCodes: [String(whCode?.code)] }, [wh]);
    tech = (await server.login('levels-tech', 'levels-tech-password')).accessToken;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rpc?.logout();
  });

  async function createTrytonProduct(code: string): Promise<number> {
    const [templateId] = (await rpc.model('product.template', 'create', [
      [{ name: code, type: 'goods', default_uom: company.unitId, list_price: ErpDecimal.parse('10'), products: [['create', [{ suffix_code: code, cost_price: ErpDecimal.parse('5') }]]] }],
    ])) as number[];
    const [template] = (await rpc.model('product.template', 'read', [[templateId ?? 0], ['products']])) as Row[];
    return (template?.products as number[])[0] ?? 0;
  }

  /** A warehouse whose zones are its children, as Tryton's own warehouse (its on hand is theirs). */
  async function createTrytonWarehouse(code: string, name: string): Promise<number> {
    const zones = (await rpc.model('stock.location', 'create', [
      [
        { name: `${name} input`, type: 'storage' },
        { name: `${name} output`, type: 'storage' },
        { name: `${name} storage`, type: 'storage' },
      ],
    ])) as number[];
    const [input, output, storage] = zones;
    const [warehouse] = (await rpc.model('stock.location', 'create', [
      [{ name, code, type: 'warehouse', input_location: input ?? 0, output_location: output ?? 0, storage_location: storage ?? 0, lost_found_location: company.lostFoundLocationId }],
    ])) as number[];
    await rpc.model('stock.location', 'write', [zones, { parent: warehouse ?? 0 }]);
    return storage ?? 0;
  }

  /** A stock change made in Tryton: a done move from Lost and Found into a storage location (or back, for a negative quantity). */
  async function trytonStockChange(product: number, storage: number, quantity: number): Promise<void> {
    const [from, to] = quantity > 0 ? [company.lostFoundLocationId, storage] : [storage, company.lostFoundLocationId];
    const ids = (await rpc.model('stock.move', 'create', [[{ product, uom: company.unitId, quantity: Math.abs(quantity), from_location: from, to_location: to, company: company.companyId }]])) as number[];
    await rpc.model('stock.move', 'do', [ids]);
  }

  async function runLevels(): Promise<LevelsRun> {
    const r = await api<LevelsRun>(server, admin, 'POST', '/api/v1/admin/erp/levels/run');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    for (const w of r.body.warehouses) expect(w.skipped, JSON.stringify(w.skipped)).toBeUndefined();
    return r.body;
  }

  /** The level a technician of the warehouse pulls. */
  async function pulledOnHand(warehouseId: string, productId: string): Promise<number | undefined> {
    const docs = await pullAll<Doc>(server, tech, 'inventory');
    return docs.find((d) => d.id === inventoryId(warehouseId, productId))?.onHand as number | undefined;
  }

  async function ourOnHand(warehouseId: string, productId: string): Promise<number> {
    const row = await db().selectFrom('onhand').select('on_hand').where('warehouse_id', '=', warehouseId).where('product_id', '=', productId).executeTakeFirst();
    return Number(row?.on_hand ?? 0) / 10_000;
  }

  async function sink(): Promise<ErpJournalSink> {
    const made = await sinkFor(server.fieldstock.ctx.config, server.fieldstock.ctx.erp?.connector);
    if (!made) throw new Error('no sink for tryton');
    return made;
  }

  async function postAdjustment(quantity: number): Promise<void> {
    const r = await pushNew(server, tech, 'inventoryTransactions', [adjustment({ warehouseId: wh, productId: widget, quantity })]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual([]);
  }

  it("brings a stock change made in Tryton to the technician's inventory through one erp-sync journal, and a second run posts nothing", async () => {
    await trytonStockChange(company.productId, company.storageLocationId, 7);
    // WH-OTHER's Tryton level differs from Fieldstock's too: only the externally maintained flag keeps it out.
    await trytonStockChange(gadgetTryton, otherStorage, 4);
    const source = new TrytonLevelSource(rpc);
    expect((await source.onHand(String(company.warehouseId), [String(company.productId)])).get(String(company.productId))).toBe(7 * 10_000);

    const run = await runLevels();
    expect(run.journals).toBe(1);
    expect(run.warehouses.map((w) => w.warehouseId)).toEqual([wh]);
    const [level] = run.warehouses;
    expect(level?.products).toBe(2);
    expect(level?.postings).toEqual([
      { productId: widget, productNumber: company.productCode, erpLevel: 7, inFlight: 0, onHandBefore: 0, delta: 7, transactionId: expect.any(String), journalId: expect.any(String) },
    ]);
    expect(await pulledOnHand(wh, widget)).toBe(7);

    // The journal says where it came from, and so does the document that carries it.
    const journals = await pullAll<PostingJournal & Doc>(server, tech, 'journals');
    const journal = journals.find((j) => j.id === level?.postings[0]?.journalId);
    expect(journal).toMatchObject({ kind: 'posting', journalName: ERP_SYNC_JOURNAL_NAME, status: 'posted', warehouseId: wh, lines: [{ lineNumber: 1, productId: widget, quantity: 7, requestedQuantity: 7 }] });
    const transactions = await pullAll<Doc>(server, tech, 'inventoryTransactions');
    expect(transactions.find((t) => t.id === journal?.sourceId)).toMatchObject({ type: 'adjustment', quantity: 7, reasonCode: 'ERP-SYNC', externalReference: { category: 'erp-level' }, status: 'posted' });

    const seq = await changeSequence(server);
    const again = await runLevels();
    expect(again.journals).toBe(0);
    expect(again.warehouses[0]?.postings).toEqual([]);
    expect(await changeSequence(server)).toBe(seq);
    expect(await ourOnHand(other, gadget)).toBe(0);

    // The erp-sync journal came from Tryton: aggregation leaves it alone, so Tryton is not moved twice.
    const aggregated = await aggregateBatch(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, LIMITS);
    expect(aggregated.lines).toBe(0);
  });

  it('offsets what Fieldstock posted and Tryton has not applied: aggregated, then delivered, nothing is undone or counted twice', async () => {
    await postAdjustment(3);
    expect(await ourOnHand(wh, widget)).toBe(10);
    // Posted, not aggregated: Tryton still says 7.
    expect((await runLevels()).journals).toBe(0);
    expect(await ourOnHand(wh, widget)).toBe(10);

    // Tryton changes meanwhile: the correction is Tryton's change only, on top of what is in flight.
    await trytonStockChange(company.productId, company.storageLocationId, 5);
    const run = await runLevels();
    expect(run.warehouses[0]?.postings).toEqual([expect.objectContaining({ productId: widget, erpLevel: 12, inFlight: 3, onHandBefore: 10, delta: 5 })]);
    expect(await pulledOnHand(wh, widget)).toBe(15);

    // Aggregated, not delivered: still in flight.
    expect((await aggregateBatch(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, LIMITS)).lines).toBe(1);
    expect((await runLevels()).journals).toBe(0);

    // Delivered: Tryton holds it now, and it is no longer in flight.
    const delivered = await deliverErpJournals(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, await sink(), 10);
    expect(delivered).toMatchObject({ journals: 1, postedLines: 1, createErrorLines: 0, postErrorLines: 0 });
    expect((await new TrytonLevelSource(rpc).onHand(String(company.warehouseId), [String(company.productId)])).get(String(company.productId))).toBe(15 * 10_000);
    const seq = await changeSequence(server);
    expect((await runLevels()).journals).toBe(0);
    expect(await changeSequence(server)).toBe(seq);
    expect(await ourOnHand(wh, widget)).toBe(15);
  });

  it('trusts what Tryton applied over a status not recorded yet: a delivery done in Tryton while our line still says created is not counted twice', async () => {
    await postAdjustment(-2);
    const aggregated = await aggregateBatch(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, LIMITS);
    const [erpJournalId] = aggregated.erpJournalIds;
    // The sink does its work in Tryton, but the outcome never reaches our tables (a crash between the two).
    const [stored] = await loadErpJournals(db(), [erpJournalId ?? '']);
    if (!stored) throw new Error('no ERP journal');
    const journal = erpJournalDoc(stored.head, stored.lines);
    const delivery = await loadSinkDelivery(db(), [journal]);
    const created = await (await sink()).create(journal, delivery);
    if (!created.ok) throw new Error(created.error.message);
    const lines = journal.lines.map((l) => ({ ...l, erpJournalId: created.erpJournalIds?.get(l.lineNumber) ?? '' }));
    expect(await (await sink()).post({ ...journal, lines }, delivery)).toEqual({ ok: true, lineErrors: new Map() });
    expect((await db().selectFrom('erp_journal_lines').select('status').where('journal_id', '=', erpJournalId ?? '').executeTakeFirst())?.status).toBe('created');

    // Tryton says 13 and has the -2; our line says created: trusting it would post -2 again.
    const seq = await changeSequence(server);
    expect((await runLevels()).journals).toBe(0);
    expect(await changeSequence(server)).toBe(seq);
    expect(await ourOnHand(wh, widget)).toBe(13);

    // The delivery runs again, finds what Tryton holds, and records it; still nothing to correct.
    expect(await deliverErpJournals(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, await sink(), 10)).toMatchObject({ journals: 1, postedLines: 1 });
    expect((await runLevels()).journals).toBe(0);
    expect(await pulledOnHand(wh, widget)).toBe(13);
    expect(await ourOnHand(other, gadget)).toBe(0);
  });

  it("runs from the sync timer's round after the maps, then waits FIELDSTOCK_ERP_LEVELS_INTERVAL_MS before the next", async () => {
    const sync = server.fieldstock.ctx.erpSync;
    if (!sync) throw new Error('no ERP sync');
    await trytonStockChange(company.productId, company.storageLocationId, 1);
    // The first round after start is due (levels catch up on what changed while the backend was down).
    await sync.round();
    expect(await pulledOnHand(wh, widget)).toBe(14);
    // The default interval (5 minutes) has not passed: the next round syncs maps only.
    await trytonStockChange(company.productId, company.storageLocationId, 1);
    await sync.round();
    expect(await ourOnHand(wh, widget)).toBe(14);
    expect((await runLevels()).warehouses[0]?.postings).toEqual([expect.objectContaining({ erpLevel: 15, inFlight: 0, onHandBefore: 14, delta: 1 })]);
  });

  it('offsets a receipt until Tryton has it through its purchase order (the ERP outbox), and never counts it twice after', async () => {
    const po = await createConfirmedPurchase(rpc, company, [{ quantity: 5, unitPrice: units('2.5') }]);
    await runMap(server, 'purchase-orders');
    const order = (await pullAll<Doc>(server, tech, 'purchaseOrders')).find((d) => d.number === po.number);
    const [line] = (order?.lines ?? []) as { lineNumber: number; productId: string }[];
    expect(line?.productId).toBe(widget);
    const receipt = { id: crypto.randomUUID(), purchaseOrderId: order?.id, warehouseId: wh, receivedAt: new Date().toISOString(), lines: [{ lineNumber: line?.lineNumber, productId: widget, quantity: 5 }], status: 'pending', _deleted: false };
    expect((await pushNew(server, tech, 'receipts', [receipt])).body).toEqual([]);
    expect(await ourOnHand(wh, widget)).toBe(20);

    // Posted, then aggregated and "delivered" as a journal (which Tryton refuses: receipts go through the order): in flight all along.
    expect((await runLevels()).journals).toBe(0);
    await aggregateBatch(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, LIMITS);
    await deliverErpJournals(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, await sink(), 10);
    expect((await runLevels()).journals).toBe(0);
    expect(await ourOnHand(wh, widget)).toBe(20);

    // The outbox delivers it: Tryton's level rises by 5, and the receipt is no longer in flight.
    const { ctx } = server.fieldstock;
    const delivered = await runOutboxOnce({ store: ctx.store, notifier: ctx.notifier, handlers: ctx.outboxHandlers, config: ctx.config.erpOutbox, callTimeoutMs: ctx.config.erpTimeoutMs });
    expect(delivered).toMatchObject({ done: 1 });
    expect((await new TrytonLevelSource(rpc).onHand(String(company.warehouseId), [String(company.productId)])).get(String(company.productId))).toBe(20 * 10_000);
    const seq = await changeSequence(server);
    expect((await runLevels()).journals).toBe(0);
    expect(await changeSequence(server)).toBe(seq);
    expect(await pulledOnHand(wh, widget)).toBe(20);
  });

  it('reports a correction the ledger refuses (below zero where the warehouse forbids it) without storing it, and posts it once allowed', async () => {
    const setAllowNegative = (allow: boolean) =>
      writeTransaction(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, async (writer) => {
        const stored = (await loadDocs(writer.trx, 'warehouses', [wh])).get(wh);
        if (!stored) throw new Error('no warehouse');
        writer.put({ collection: 'warehouses', id: wh, data: { ...stored.data, allowNegativeStock: allow }, scopeA: stored.scopeA, scopeB: stored.scopeB });
      });
    await setAllowNegative(false);
    await trytonStockChange(company.productId, company.storageLocationId, -30);
    const refused = await runLevels();
    expect(refused.journals).toBe(0);
    const [posting] = refused.warehouses[0]?.postings ?? [];
    expect(posting).toMatchObject({ erpLevel: -10, inFlight: 0, onHandBefore: 20, delta: -30, error: { code: 'insufficient-stock', message: expect.any(String) } });
    expect(posting?.journalId).toBeUndefined();
    expect((await pullAll<Doc>(server, admin, 'inventoryTransactions')).some((t) => t.id === posting?.transactionId)).toBe(false);
    expect(await ourOnHand(wh, widget)).toBe(20);

    await setAllowNegative(true);
    expect((await runLevels()).warehouses[0]?.postings).toEqual([expect.objectContaining({ erpLevel: -10, delta: -30, journalId: expect.any(String) })]);
    expect(await pulledOnHand(wh, widget)).toBe(-10);
  });
});

describe('inventory levels without an ERP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 404 with a message naming the setting, and refuses non-admins', async () => {
    const r = await api(server, await server.token('admin'), 'POST', '/api/v1/admin/erp/levels/run');
    expect(r.status).toBe(404);
    expectErrorBody(r.body, 'not-found');
    expect(JSON.stringify(r.body)).toContain('FIELDSTOCK_ERP=none');
    const tech = await api(server, await server.token('tech1'), 'POST', '/api/v1/admin/erp/levels/run');
    expect(tech.status).toBe(403);
  });
});
