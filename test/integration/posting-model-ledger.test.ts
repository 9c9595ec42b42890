/**
 * Model-based test of the whole ledger (fast-check commands) against the real
 * backend as a child process, on SQLite and PostgreSQL.
 *
 * Documents: adjustments (signed), consumptions, transfers (two warehouses,
 * one journal), counts (dated anywhere, so late earlier transactions meet a
 * counted level), receipts against two purchase orders in purchase units
 * (factors 2.5 and 0.3333; tolerance from the product, the vendor, or the
 * default 0), and documents the server must reject (unknown product, unknown
 * PO line, over-receipt, a PO already received, stock that would go below
 * zero in the warehouse that forbids it).
 *
 * Faults: a request lost before the server saw it, an answer lost after the
 * server committed, the same batch from two devices at once, documents pushed
 * in another order than their occurredAt (and retried in shuffled order),
 * and kill -9 of the backend in the middle of a push, followed by a restart
 * and the client retrying until it is acknowledged.
 *
 * After each run (after the clients retried everything never acknowledged):
 * every document is posted or rejected exactly once as the model predicts
 * (postings, journals per sourceId, statuses by pull, nothing pending);
 * on hand in the projection table, in the pulled inventory documents and as
 * Σ posted journal lines are equal and equal the model's count-semantics
 * level; each PO line's quantityReceived is Σ of its posted receipt lines.
 *
 * Replay a failure: FIELDSTOCK_MODEL_SEED=<seed> (printed by fast-check);
 * FIELDSTOCK_MODEL_RUNS=<n> for a longer hunt;
 * FIELDSTOCK_MODEL_SHRINK=1 shrinks it to a minimal command list.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open.js';
import { httpRequest, startFaultProxy } from '../helpers/fault-proxy.js';
import { inventoryLevels, levelKey, pullAllFresh, unitsOf } from '../helpers/ledger-audit.js';
import { createUser, loginOver, productDoc, purchaseOrderDoc, seedDocs, uniqueCode, vendorDoc, warehouseDoc } from '../helpers/ledger-fixtures.js';
import { LedgerModel, limitFor, type ModelPo } from '../helpers/ledger-model.js';
import { commandArbs, expectMaster, MINUTE, retryUntilAcknowledged, type Model, type Real, type RunFixture } from '../helpers/ledger-model-commands.js';
import { auditLedger } from '../helpers/ledger-store-audit.js';
import { createTestDatabase, describeIfPg, type TestDatabase } from '../helpers/postgres.js';
import { spawnServer } from '../helpers/server-process.js';
import { ADMIN_PASSWORD, type Engine } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

type Doc = Record<string, unknown>;

/** Kept modest so CI stays fast; FIELDSTOCK_MODEL_RUNS=200 hunts longer locally. */
const NUM_RUNS = Number(process.env.FIELDSTOCK_MODEL_RUNS ?? 25);
const MAX_COMMANDS = 24;

// ---------------------------------------------------------------- per-run master data

/**
 * Fresh products and POs per run, so each run's levels start at 0 with no
 * count and runs are independent (shrinking stays meaningful). The two
 * warehouses are shared. PO A (vendor with 5 %): 10 BOX of P0 (2.5 EA per
 * BOX, product tolerance 10 % wins), 7.5 PK of P1 (0.3333 EA per PK, vendor's
 * 5 %). PO B (vendor code without reference data: default 0 %): 4 EA of P2,
 * 3 PK of P1.
 */
async function newRunFixture(url: string, adminToken: string, warehouses: [string, string]): Promise<RunFixture> {
  const p0 = productDoc({ unitConversions: [{ unit: 'BOX', factor: 2.5 }], overReceiptTolerancePercent: 10 });
  const p1 = productDoc({ unitConversions: [{ unit: 'PK', factor: 0.3333 }] });
  const p2 = productDoc();
  const vendor = vendorDoc({ overReceiptTolerancePercent: 5 });
  const poA = purchaseOrderDoc({
    warehouseId: warehouses[0],
    vendorCode: vendor.code,
    lines: [
      { productId: p0.id, quantityOrdered: 10, unit: 'BOX' },
      { productId: p1.id, quantityOrdered: 7.5, unit: 'PK' },
    ],
  });
  const poB = purchaseOrderDoc({
    warehouseId: warehouses[1],
    vendorCode: uniqueCode('NO-VENDOR'),
    lines: [
      { productId: p2.id, quantityOrdered: 4, unit: 'EA' },
      { productId: p1.id, quantityOrdered: 3, unit: 'PK' },
    ],
  });
  await seedDocs(url, adminToken, 'products', [p0, p1, p2]);
  await seedDocs(url, adminToken, 'referenceData', [vendor]);
  await seedDocs(url, adminToken, 'purchaseOrders', [poA, poB]);
  const factor = { BOX: 25_000, PK: 3_333, EA: 10_000 } as const;
  const tolerance = (poId: string, productId: string): number => (productId === p0.id ? 10 : poId === poA.id ? 5 : 0);
  const modelPo = (po: typeof poA): ModelPo => ({
    id: po.id,
    warehouseId: po.warehouseId,
    status: 'open',
    lines: po.lines.map((l) => ({
      lineNumber: l.lineNumber,
      productId: l.productId,
      unit: l.unit,
      ordered: unitsOf(l.quantityOrdered),
      received: unitsOf(0),
      factor: unitsOf(factor[l.unit as keyof typeof factor] / 10_000),
      limit: limitFor(unitsOf(l.quantityOrdered), tolerance(po.id, l.productId)),
    })),
  });
  return {
    warehouses,
    products: [p0.id, p1.id, p2.id],
    purchaseOrders: [modelPo(poA), modelPo(poB)],
    // Ten days back: every occurredAt is in the past, well inside the server's clock check.
    baseTime: Date.now() - 10 * 24 * 60 * MINUTE,
    tick: 0,
  };
}

// ---------------------------------------------------------------- invariants after a run

async function checkInvariants(m: Model, r: Real): Promise<void> {
  const ids = [...m.all.keys()];
  const admin = r.tokens.admin;

  // Pull: every document made is posted or rejected as predicted; none is pending or missing.
  for (const collection of ['inventoryTransactions', 'receipts'] as const) {
    const pulled = new Map((await pullAllFresh<Doc>(r.server.url, admin, collection)).map((d) => [String(d.id), d]));
    for (const d of m.all.values()) {
      if (d.collection !== collection) continue;
      expectMaster(m.ledger.outcomes.get(d.doc.id), pulled.get(d.doc.id));
    }
  }

  // Store: one posting per document with the predicted outcome; one journal per posted document, none for a rejected one.
  const audit = await auditLedger(r.store.db, ids, m.fx.products);
  const wrong: string[] = [];
  for (const id of ids) {
    const o = m.ledger.outcomes.get(id);
    const postings = audit.postings.get(id) ?? [];
    const journals = audit.journalsBySource.get(id) ?? 0;
    if (!o) wrong.push(`${id}: never committed`);
    else if (postings.length !== 1 || postings[0] !== o.status) wrong.push(`${id}: postings ${JSON.stringify(postings)}, expected [${o.status}]`);
    else if (journals !== (o.status === 'posted' ? 1 : 0)) wrong.push(`${id}: ${journals} journals for a ${o.status} document`);
    else if (JSON.stringify(audit.requested.get(id) ?? []) !== JSON.stringify(m.ledger.requested(id))) {
      wrong.push(`${id}: journal lines request ${JSON.stringify(audit.requested.get(id))}, expected ${JSON.stringify(m.ledger.requested(id))}`);
    }
  }
  expect(wrong).toEqual([]);

  // On hand: projection table = pulled inventory documents = Σ posted journal lines = the model's count-semantics level.
  const inventory = await inventoryLevels(r.server.url, admin);
  const levels: string[] = [];
  for (const w of m.fx.warehouses) {
    for (const p of m.fx.products) {
      const k = levelKey(w, p);
      const seen = { table: audit.onHand.get(k) ?? 0, inventory: inventory.get(k) ?? 0, lines: audit.lineSums.get(k) ?? 0, model: m.ledger.level(k) };
      if (new Set(Object.values(seen)).size !== 1) levels.push(`${k}: ${JSON.stringify(seen)}`);
    }
  }
  expect(levels).toEqual([]);

  // Purchase orders: quantityReceived = Σ posted receipt lines (as pulled) = the model; status as the model.
  const receipts = (await pullAllFresh<Doc>(r.server.url, admin, 'receipts')).filter((d) => d.status === 'posted');
  const pos = new Map((await pullAllFresh<Doc>(r.server.url, admin, 'purchaseOrders')).map((d) => [String(d.id), d]));
  for (const modelPo of m.fx.purchaseOrders.map((p) => m.ledger.purchaseOrders.get(p.id) as ModelPo)) {
    const po = pos.get(modelPo.id) as { status: string; lines: { lineNumber: number; quantityReceived: number }[] };
    const summed = new Map<number, number>();
    for (const rc of receipts.filter((d) => d.purchaseOrderId === modelPo.id)) {
      for (const l of rc.lines as { lineNumber: number; quantity: number }[]) summed.set(l.lineNumber, (summed.get(l.lineNumber) ?? 0) + unitsOf(l.quantity));
    }
    for (const line of modelPo.lines) {
      const actual = unitsOf(po.lines.find((l) => l.lineNumber === line.lineNumber)?.quantityReceived);
      expect({ line: line.lineNumber, received: actual, summed: summed.get(line.lineNumber) ?? 0 }).toEqual({
        line: line.lineNumber,
        received: line.received,
        summed: line.received,
      });
    }
    expect(po.status).toBe(modelPo.status);
  }
}

// ---------------------------------------------------------------- suite

function ledgerModelSuite(engine: Engine) {
  let dir: TempDir;
  let database: TestDatabase | undefined;
  let real: Real;
  let warehouses: [string, string];

  beforeAll(async () => {
    dir = tempDir(`ledger-model-${engine}`);
    if (engine === 'postgres') database = await createTestDatabase();
    const start = () => spawnServer({ dataDir: dir.path, databaseUrl: database?.url });
    const server = await start();
    const adminToken = await loginOver(server.url, 'admin', ADMIN_PASSWORD);
    // The second warehouse forbids negative stock: whether a movement is refused depends on what came before it.
    const wa = warehouseDoc();
    const wb = warehouseDoc({ allowNegativeStock: false });
    await seedDocs(server.url, adminToken, 'warehouses', [wa, wb]);
    warehouses = [wa.id, wb.id];
    const username = `model-clerk-${crypto.randomUUID().slice(0, 8)}`;
    const password = await createUser(server.url, adminToken, { username, role: 'warehouse', warehouseCodes: [wa.code, wb.code] });
    real = {
      server,
      proxy: await startFaultProxy(server.port),
      // The test reads the tables beside the running backend (WAL on SQLite; its own pool on PostgreSQL).
      store: await openStore({ dataDir: dir.path, databaseUrl: database?.url }),
      // Two devices of one warehouse user, and an admin; sessions live in the store and survive restarts.
      tokens: { tablet: await loginOver(server.url, username, password), phone: await loginOver(server.url, username, password), admin: adminToken },
      async restart() {
        // On a fresh port (the old one may be taken meanwhile); the proxy follows.
        this.server = await start();
        this.proxy.setTarget(this.server.port);
      },
      stats: { docs: 0, lostRequests: 0, lostResponses: 0, duplicates: 0, crashes: 0, committedBeforeCrash: 0, retries: 0, lateBehindCount: 0, outcomes: new Map() },
    };
  }, 120_000);

  afterAll(async () => {
    await real?.proxy.close();
    await real?.server.kill9();
    await real?.store.close();
    await database?.drop();
    dir?.cleanup();
  });

  it('every document of every type is posted or rejected exactly once and on hand, journals and POs agree with the model under lost requests, lost answers, duplicates, reordering and kill -9', async () => {
    const seed = process.env.FIELDSTOCK_MODEL_SEED ? Number(process.env.FIELDSTOCK_MODEL_SEED) : undefined;
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbs, { maxCommands: MAX_COMMANDS }), async (cmds) => {
        const fx = await newRunFixture(real.server.url, real.tokens.admin, warehouses);
        const ledger = new LedgerModel(new Set(fx.products), new Set([fx.warehouses[1]]));
        for (const po of fx.purchaseOrders) ledger.addPurchaseOrder(po);
        const model: Model = { ledger, fx, all: new Map(), outbox: new Map(), acknowledged: new Set() };
        try {
          await fc.asyncModelRun(() => ({ model, real }), cmds);
          // Clients retry whatever was never acknowledged.
          if (model.outbox.size > 0) await retryUntilAcknowledged(model, real, 'tablet', [...model.outbox.values()]);
          expect(model.outbox.size).toBe(0);
          await checkInvariants(model, real);
          real.stats.lateBehindCount += ledger.lateBehindCount();
        } catch (error) {
          // A failed run may leave the backend down (a crash command that failed halfway).
          if (!(await alive(real))) await real.restart();
          throw error;
        }
      }),
      { numRuns: NUM_RUNS, endOnFailure: process.env.FIELDSTOCK_MODEL_SHRINK !== '1', ...(seed !== undefined ? { seed } : {}) },
    );
    const s = real.stats;
    console.log(
      `[posting-model-ledger ${engine}] ${NUM_RUNS} runs, ${s.docs} documents (${[...s.outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}); ` +
        `${s.lostRequests} lost requests, ${s.lostResponses} lost answers, ${s.duplicates} two-device pushes, ${s.retries} retries, ` +
        `${s.crashes} kill -9 (${s.committedBeforeCrash} had committed), ${s.lateBehindCount} arrived after a later-dated count: every document posted or rejected exactly once, levels as modelled`,
    );
    // The runs really exercised what they claim to.
    expect(s.lostResponses).toBeGreaterThan(0);
    expect(s.lostRequests).toBeGreaterThan(0);
    expect(s.crashes).toBeGreaterThan(0);
    expect(s.lateBehindCount).toBeGreaterThan(0);
    expect(s.outcomes.get('receipts:posted') ?? 0).toBeGreaterThan(0);
    expect([...s.outcomes.keys()].filter((k) => k.startsWith('receipts:rejected')).length).toBeGreaterThan(0);
  }, 300_000);
}

async function alive(r: Real): Promise<boolean> {
  try {
    return (await httpRequest(r.server.url, { method: 'GET', path: '/healthz', timeoutMs: 2000 })).status === 200;
  } catch {
    return false;
  }
}

describe('ledger model (sqlite)', () => ledgerModelSuite('sqlite'));
describeIfPg('ledger model (postgres)', () => ledgerModelSuite('postgres'));
