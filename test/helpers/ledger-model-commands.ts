/**
 * The commands of the ledger model test (test/integration/posting-model-ledger.test.ts):
 * what a run is made of (batches of source documents as specs, materialized
 * against the run's master data) and the faults each command brings: lost
 * requests, lost answers, the same batch from two devices, retries in
 * shuffled order, and kill -9 in the middle of a push.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Store } from '../../server/store/open.js';
import { httpRequest, isNetworkError, type FaultProxy } from './fault-proxy.js';
import { receiptDoc, transactionDoc, type ReceiptDoc, type TransactionDoc } from './ledger-fixtures.js';
import type { LedgerModel, ModelPo, Outcome } from './ledger-model.js';
import type { ServerProcess } from './server-process.js';

type Doc = Record<string, unknown>;
export type Device = 'tablet' | 'phone' | 'admin';
type Collection = 'inventoryTransactions' | 'receipts';
export type SourceDoc = { collection: 'inventoryTransactions'; doc: TransactionDoc } | { collection: 'receipts'; doc: ReceiptDoc };

export const MINUTE = 60_000;

// ---------------------------------------------------------------- specs

type TxKind = 'adjustment' | 'consumption' | 'transfer' | 'count' | 'unknown-product';
interface TxSpec {
  kind: TxKind;
  warehouse: number;
  product: number;
  units: number;
  negative: boolean;
  minutes: number;
}
interface ReceiptLineSpec {
  /** 0, 1: the PO's lines; 2: a line the PO does not have. */
  line: number;
  units: number;
  /** Receive exactly what is left up to the limit (as the model sees it when the document is made). */
  toLimit: boolean;
  sayUnit: boolean;
}
interface ReceiptSpec {
  po: number;
  lines: ReceiptLineSpec[];
  minutes: number;
}
type BatchSpec = { collection: 'inventoryTransactions'; specs: TxSpec[] } | { collection: 'receipts'; specs: ReceiptSpec[] };

const minutes = fc.integer({ min: 0, max: 600 });
const txSpec: fc.Arbitrary<TxSpec> = fc.record({
  kind: fc.constantFrom<TxKind>('adjustment', 'adjustment', 'consumption', 'transfer', 'count', 'count', 'unknown-product'),
  warehouse: fc.integer({ min: 0, max: 1 }),
  product: fc.integer({ min: 0, max: 2 }),
  units: fc.integer({ min: 1, max: 300_000 }),
  negative: fc.boolean(),
  minutes,
});
const receiptSpec: fc.Arbitrary<ReceiptSpec> = fc.record({
  po: fc.integer({ min: 0, max: 1 }),
  lines: fc.array(
    fc.record({
      line: fc.constantFrom(0, 0, 1, 1, 2),
      units: fc.integer({ min: 1, max: 40_000 }),
      toLimit: fc.boolean(),
      sayUnit: fc.boolean(),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  minutes,
});
const batchSpec: fc.Arbitrary<BatchSpec> = fc.oneof(
  { weight: 3, arbitrary: fc.array(txSpec, { minLength: 1, maxLength: 4 }).map((specs) => ({ collection: 'inventoryTransactions' as const, specs })) },
  { weight: 2, arbitrary: fc.array(receiptSpec, { minLength: 1, maxLength: 2 }).map((specs) => ({ collection: 'receipts' as const, specs })) },
);

// ---------------------------------------------------------------- model and real system

export interface RunFixture {
  warehouses: [string, string];
  products: string[];
  purchaseOrders: ModelPo[];
  baseTime: number;
  /** Milliseconds added to every timestamp: no two documents share an instant. */
  tick: number;
}

export interface Model {
  ledger: LedgerModel;
  fx: RunFixture;
  /** Every document made in this run. */
  all: Map<string, SourceDoc>;
  /** Documents the client has not had an answer for (committed or not). */
  outbox: Map<string, SourceDoc>;
  acknowledged: Set<string>;
}

export interface Stats {
  docs: number;
  lostRequests: number;
  lostResponses: number;
  duplicates: number;
  crashes: number;
  committedBeforeCrash: number;
  retries: number;
  lateBehindCount: number;
  outcomes: Map<string, number>;
}

export interface Real {
  server: ServerProcess;
  proxy: FaultProxy;
  store: Store;
  tokens: Record<Device, string>;
  restart(): Promise<void>;
  stats: Stats;
}

function materialize(batch: BatchSpec, m: Model): SourceDoc[] {
  const { fx } = m;
  const time = (mins: number) => new Date(fx.baseTime + mins * MINUTE + fx.tick++).toISOString();
  if (batch.collection === 'inventoryTransactions') {
    return batch.specs.map((s): SourceDoc => {
      const warehouseId = fx.warehouses[s.warehouse] as string;
      const other = fx.warehouses[1 - s.warehouse] as string;
      const productId = s.kind === 'unknown-product' ? `missing-${crypto.randomUUID()}` : (fx.products[s.product] as string);
      const quantity = (s.kind === 'adjustment' || s.kind === 'unknown-product') && s.negative ? -s.units / 10_000 : s.units / 10_000;
      const type = s.kind === 'unknown-product' ? 'adjustment' : s.kind;
      const doc = transactionDoc({ type, warehouseId, ...(type === 'transfer' ? { toWarehouseId: other } : {}), productId, quantity, occurredAt: time(s.minutes) });
      return { collection: 'inventoryTransactions', doc };
    });
  }
  return batch.specs.map((s): SourceDoc => {
    const po = fx.purchaseOrders[s.po] as ModelPo;
    const current = m.ledger.purchaseOrders.get(po.id) as ModelPo;
    const lines = s.lines.map((l) => {
      const poLine = current.lines[l.line];
      if (!poLine) return { lineNumber: 99, productId: current.lines[0]?.productId as string, quantity: l.units / 10_000 };
      const left = poLine.limit - poLine.received;
      const units = l.toLimit && left > 0 ? left : l.units;
      return { lineNumber: poLine.lineNumber, productId: poLine.productId, quantity: units / 10_000, ...(l.sayUnit ? { unit: poLine.unit } : {}) };
    });
    return { collection: 'receipts', doc: receiptDoc({ purchaseOrderId: po.id, warehouseId: po.warehouseId, receivedAt: time(s.minutes), lines }) };
  });
}

function push(baseUrl: string, token: string, collection: Collection, docs: SourceDoc[]) {
  return httpRequest<Doc[]>(baseUrl, {
    method: 'POST',
    path: `/api/v1/replication/${collection}/push`,
    token,
    body: docs.map((d) => ({ newDocumentState: d.doc })),
  });
}

function commit(m: Model, r: Real, docs: SourceDoc[]): void {
  for (const d of docs) {
    const known = m.ledger.outcomes.has(d.doc.id);
    const o = d.collection === 'inventoryTransactions' ? m.ledger.commitTransaction(d.doc) : m.ledger.commitReceipt(d.doc);
    if (!known) {
      const label = `${d.collection}:${o.status}${o.code ? `:${o.code}` : ''}`;
      r.stats.outcomes.set(label, (r.stats.outcomes.get(label) ?? 0) + 1);
    }
  }
}

/** A push answer carries exactly the masters of `ids`, each as the model predicted. */
function expectMasters(m: Model, body: Doc[], ids: string[]): void {
  expect(body.map((d) => String(d.id)).sort()).toEqual([...ids].sort());
  for (const master of body) expectMaster(m.ledger.outcomes.get(String(master.id)), master);
}

export function expectMaster(predicted: Outcome | undefined, master: Doc | undefined): void {
  expect(predicted, `no prediction for ${String(master?.id)}`).toBeDefined();
  const p = predicted as Outcome;
  if (p.status === 'posted') expect(master, p.id).toMatchObject({ id: p.id, status: 'posted', journalId: expect.any(String) });
  else expect(master, p.id).toMatchObject({ id: p.id, status: 'rejected', error: { code: p.code, message: expect.any(String) } });
}

/** Pushes documents the client never had an answer for, per collection in the given order, until acknowledged. */
export async function retryUntilAcknowledged(m: Model, r: Real, device: Device, docs: SourceDoc[]): Promise<void> {
  for (const collection of ['inventoryTransactions', 'receipts'] as const) {
    const batch = docs.filter((d) => d.collection === collection);
    if (batch.length === 0) continue;
    const committedBefore = batch.filter((d) => m.ledger.outcomes.has(d.doc.id)).map((d) => d.doc.id);
    const res = await push(r.server.url, r.tokens[device], collection, batch);
    expect(res.status).toBe(200);
    // The server processes the new ones in batch order; the others come back as their masters.
    commit(m, r, batch);
    expectMasters(m, res.body, committedBefore);
    for (const d of batch) {
      m.outbox.delete(d.doc.id);
      m.acknowledged.add(d.doc.id);
    }
    r.stats.retries += 1;
  }
}

type Fate = 'delivered' | 'lost-request' | 'lost-response';

class PushBatch implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly batch: BatchSpec,
    readonly device: Device,
    readonly fate: Fate,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const docs = materialize(this.batch, m);
    for (const d of docs) m.all.set(d.doc.id, d);
    r.stats.docs += docs.length;
    if (this.fate === 'delivered') {
      const res = await push(r.server.url, r.tokens[this.device], this.batch.collection, docs);
      expect(res).toEqual({ status: 200, body: [] });
      commit(m, r, docs);
      for (const d of docs) m.acknowledged.add(d.doc.id);
      return;
    }
    r.proxy.setMode(this.fate === 'lost-request' ? 'reset' : 'cut-response', 1);
    await expect(push(r.proxy.url, r.tokens[this.device], this.batch.collection, docs)).rejects.toSatisfy(isNetworkError);
    // 'cut-response' cuts only once the server answers, which it does after COMMIT.
    if (this.fate === 'lost-response') {
      commit(m, r, docs);
      r.stats.lostResponses += 1;
    } else {
      r.stats.lostRequests += 1;
    }
    for (const d of docs) m.outbox.set(d.doc.id, d);
  }
  toString = () => `Push(${this.batch.collection} ×${this.batch.specs.length} by ${this.device}, ${this.fate})`;
}

class RetryOutbox implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly device: Device,
    readonly order: number[],
  ) {}
  check = (m: Readonly<Model>) => m.outbox.size > 0;
  async run(m: Model, r: Real) {
    // Retried in another order than made: the server must not care.
    const docs = [...m.outbox.values()].map((d, i) => ({ d, k: this.order[i % this.order.length] ?? i })).sort((a, b) => a.k - b.k);
    await retryUntilAcknowledged(
      m,
      r,
      this.device,
      docs.map((x) => x.d),
    );
  }
  toString = () => `RetryOutbox(by ${this.device}, order ${this.order.join(',')})`;
}

class RePushAcknowledged implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly device: Device,
  ) {}
  check = (m: Readonly<Model>) => m.acknowledged.size > 0;
  async run(m: Model, r: Real) {
    const ids = [...m.acknowledged];
    const d = m.all.get(ids[this.pick % ids.length] as string) as SourceDoc;
    const res = await push(r.server.url, r.tokens[this.device], d.collection, [d]);
    expect(res.status).toBe(200);
    expectMasters(m, res.body, [d.doc.id]);
  }
  toString = () => `RePush(#${this.pick} by ${this.device})`;
}

class PushFromTwoDevices implements fc.AsyncCommand<Model, Real> {
  constructor(readonly batch: BatchSpec) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const docs = materialize(this.batch, m);
    for (const d of docs) m.all.set(d.doc.id, d);
    r.stats.docs += docs.length;
    const answers = await Promise.all([
      push(r.server.url, r.tokens.tablet, this.batch.collection, docs),
      push(r.proxy.url, r.tokens.phone, this.batch.collection, docs),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    // Whichever came second met the first one's masters: one answer is empty, the other is all of them.
    const [first, second] = answers.map((a) => a.body).sort((a, b) => a.length - b.length);
    expect(first).toEqual([]);
    commit(m, r, docs);
    expectMasters(m, second as Doc[], docs.map((d) => d.doc.id));
    for (const d of docs) m.acknowledged.add(d.doc.id);
    r.stats.duplicates += 1;
  }
  toString = () => `PushFromTwoDevices(${this.batch.collection} ×${this.batch.specs.length})`;
}

class CrashDuringPush implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly batch: BatchSpec,
    readonly device: Device,
    readonly delayMs: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const docs = materialize(this.batch, m);
    for (const d of docs) m.all.set(d.doc.id, d);
    r.stats.docs += docs.length;
    const inFlight = push(r.server.url, r.tokens[this.device], this.batch.collection, docs).then(
      (res) => ({ ok: true as const, res }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    await r.server.kill9();
    const first = await inFlight;
    if (first.ok) expect(first.res).toEqual({ status: 200, body: [] });
    else expect(isNetworkError(first.error), String(first.error)).toBe(true);
    await r.restart();
    r.stats.crashes += 1;

    // The client retries at once. The batch is all or nothing: absent (answer []) or committed whole (all masters).
    const again = await push(r.server.url, r.tokens[this.device], this.batch.collection, docs);
    expect(again.status).toBe(200);
    expect([0, docs.length]).toContain(again.body.length);
    if (first.ok) expect(again.body).toHaveLength(docs.length);
    // Either way the server processed the batch before anything else: the model commits it now.
    commit(m, r, docs);
    if (again.body.length > 0) {
      expectMasters(m, again.body, docs.map((d) => d.doc.id));
      r.stats.committedBeforeCrash += 1;
    }
    for (const d of docs) m.acknowledged.add(d.doc.id);
  }
  toString = () => `CrashDuringPush(${this.batch.collection} ×${this.batch.specs.length} by ${this.device}, kill after ${this.delayMs} ms)`;
}

const device = fc.constantFrom<Device>('tablet', 'phone', 'admin');
export const commandArbs = [
  fc.oneof(
    { weight: 8, arbitrary: fc.tuple(batchSpec, device, fc.constantFrom<Fate>('delivered', 'delivered', 'lost-request', 'lost-response')).map(([b, d, f]) => new PushBatch(b, d, f)) },
    { weight: 2, arbitrary: fc.tuple(device, fc.array(fc.nat(1000), { minLength: 1, maxLength: 8 })).map(([d, order]) => new RetryOutbox(d, order)) },
    { weight: 2, arbitrary: fc.tuple(fc.nat(), device).map(([pick, d]) => new RePushAcknowledged(pick, d)) },
    { weight: 2, arbitrary: batchSpec.map((b) => new PushFromTwoDevices(b)) },
    { weight: 2, arbitrary: fc.tuple(batchSpec, device, fc.integer({ min: 0, max: 30 })).map(([b, d, ms]) => new CrashDuringPush(b, d, ms)) },
  ),
];
