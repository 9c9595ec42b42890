/**
 * Receipts in purchase units over the push/pull API (docs/api.md "Units of
 * measure"): a receipt line is in its PO line's unit; on hand moves in the
 * product's base unit by round(received after × factor) − round(received
 * before × factor), so any split into partial receipts adds up to the
 * converted total exactly — no fraction lost, none counted twice. Factors
 * come from the product, then the base unit itself, then a shared
 * referenceData unit.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReferenceData } from '../../shared/collections.js';
import { unitsOf } from '../helpers/ledger-audit.js';
import { LedgerClient } from '../helpers/ledger-client.js';
import { productDoc, purchaseOrderDoc, receiptDoc, seedDocs, uniqueCode, warehouseDoc } from '../helpers/ledger-fixtures.js';
import { convertToBase } from '../helpers/ledger-model.js';
import { demo, startTestServer, type TestServer } from '../helpers/server.js';
import { describeEngine, ENGINES, onHandRow } from './api-support.js';

for (const engine of ENGINES) {
  describeEngine(engine, 'receipts in purchase units', () => {
    let server: TestServer;
    let admin: string;
    let client: LedgerClient;
    const warehouse = warehouseDoc();

    beforeAll(async () => {
      server = await startTestServer({ engine, demo: false });
      admin = await server.token('admin');
      client = new LedgerClient(server.url, admin);
      await seedDocs(server.url, admin, 'warehouses', [warehouse]);
    });
    afterAll(() => server?.close());

    /** A product bought in `unit` (own conversion `factor`, when given) on a fresh PO for `ordered`. */
    async function order(opts: { unit: string; factor?: number; ordered: number; productUnit?: string }) {
      const product = productDoc({ unit: opts.productUnit ?? 'EA', ...(opts.factor !== undefined ? { unitConversions: [{ unit: opts.unit, factor: opts.factor }] } : {}) });
      await seedDocs(server.url, admin, 'products', [product]);
      const po = purchaseOrderDoc({ warehouseId: warehouse.id, lines: [{ productId: product.id, quantityOrdered: opts.ordered, unit: opts.unit }] });
      await seedDocs(server.url, admin, 'purchaseOrders', [po]);
      const receive = async (quantity: number, unit?: string) => {
        const doc = receiptDoc({
          purchaseOrderId: po.id,
          warehouseId: warehouse.id,
          receivedAt: new Date().toISOString(),
          lines: [{ lineNumber: 1, productId: product.id, quantity, ...(unit !== undefined ? { unit } : {}) }],
        });
        const master = await client.post('receipts', doc);
        const journals = await client.journalsOf(doc.id);
        // One journal when posted, none when rejected; its lines carry the base quantities.
        expect(journals).toHaveLength(master.status === 'posted' ? 1 : 0);
        return { master, base: journals.flatMap((j) => j.lines.map((l) => l.requestedQuantity)) };
      };
      const state = async () => {
        const pulled = (await client.get('purchaseOrders', po.id)) as { status: string; lines: { quantityReceived: number }[] };
        return { received: pulled.lines[0]?.quantityReceived, status: pulled.status, onHand: await client.onHand(warehouse.id, product.id) };
      };
      return { product, po, receive, state };
    }

    it('converts partial receipts of 0.3333-unit packs so that the halves rounded up and down add up exactly', async () => {
      const o = await order({ unit: 'PK', factor: 0.3333, ordered: 10 });
      // 0.5 × 0.3333 = 0.16665 → 0.1667; 1 × 0.3333 = 0.3333, so the second half adds 0.1666.
      expect((await o.receive(0.5)).base).toEqual([0.1667]);
      expect((await o.receive(0.5)).base).toEqual([0.1666]);
      expect(await o.state()).toEqual({ received: 1, status: 'partially-received', onHand: 0.3333 });
      // 1.0001 × 0.3333 = 0.33333333 → 0.3333: a receipt too small to move a whole 0.0001 moves nothing yet …
      expect((await o.receive(0.0001)).base).toEqual([0]);
      // … and is not lost: 1.0003 × 0.3333 = 0.33339999 → 0.3334.
      expect((await o.receive(0.0002)).base).toEqual([0.0001]);
      expect(await o.state()).toEqual({ received: 1.0003, status: 'partially-received', onHand: 0.3334 });
    });

    it('converts receipts of 2.5-unit boxes a ten-thousandth at a time without drift', async () => {
      const o = await order({ unit: 'BOX', factor: 2.5, ordered: 1 });
      // Running totals 0.00025 → 0.0003, 0.0005, 0.00075 → 0.0008.
      const bases = [];
      for (let i = 0; i < 3; i += 1) bases.push(...(await o.receive(0.0001)).base);
      expect(bases).toEqual([0.0003, 0.0002, 0.0003]);
      expect(await o.state()).toEqual({ received: 0.0003, status: 'partially-received', onHand: 0.0008 });
      expect((await o.receive(0.9997)).base).toEqual([2.4992]);
      expect(await o.state()).toEqual({ received: 1, status: 'received', onHand: 2.5 });
    });

    it('makes any split into partial receipts add up to the converted total (property)', async () => {
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(0.3333, 2.5, 12, 1.0001, 0.0001, 15.24),
          fc.array(fc.integer({ min: 1, max: 99_999 }), { minLength: 2, maxLength: 6 }),
          async (factor, parts) => {
            runs += 1;
            const o = await order({ unit: 'PK', factor, ordered: 1_000 });
            let base = 0;
            for (const p of parts) base += unitsOf((await o.receive(p / 10_000)).base[0]);
            const total = parts.reduce((a, b) => a + b, 0);
            const converted = convertToBase(unitsOf(total / 10_000), unitsOf(factor));
            expect(base).toBe(converted);
            const state = await o.state();
            expect({ received: unitsOf(state.received), onHand: unitsOf(state.onHand) }).toEqual({ received: total, onHand: converted });
          },
        ),
        { numRuns: 12 },
      );
      expect(runs).toBe(12);
    });

    it('uses factor 1 for the base unit and a shared referenceData unit when the product has no conversion of its own', async () => {
      const base = await order({ unit: 'EA', ordered: 5 });
      expect((await base.receive(1.2345)).base).toEqual([1.2345]);

      const code = uniqueCode('DZ');
      const dozen: ReferenceData & { _deleted: false } = { id: crypto.randomUUID(), kind: 'unit', code, name: 'Dozen', active: true, factor: 12, _deleted: false };
      await seedDocs(server.url, admin, 'referenceData', [dozen]);
      const shared = await order({ unit: code, ordered: 5 });
      expect((await shared.receive(1.5)).base).toEqual([18]);
      expect(await shared.state()).toMatchObject({ received: 1.5, onHand: 18 });
      // The product's own conversion wins over the shared unit of the same code.
      const own = await order({ unit: code, factor: 10, ordered: 5 });
      expect((await own.receive(1.5)).base).toEqual([15]);
    });

    it('rejects a line sent in another unit than its PO line (unit-mismatch) and a PO unit the product cannot convert (unknown-unit), moving nothing', async () => {
      const boxes = await order({ unit: 'BOX', factor: 2.5, ordered: 4 });
      expect((await boxes.receive(1, 'EA')).master).toMatchObject({ status: 'rejected', error: { code: 'unit-mismatch', message: expect.any(String) } });
      expect((await boxes.receive(1, 'BOX')).master).toMatchObject({ status: 'posted' });
      expect(await boxes.state()).toEqual({ received: 1, status: 'partially-received', onHand: 2.5 });

      const crates = await order({ unit: uniqueCode('CRATE'), ordered: 4 });
      expect((await crates.receive(1)).master).toMatchObject({ status: 'rejected', error: { code: 'unknown-unit', message: expect.any(String) } });
      expect(await crates.state()).toEqual({ received: 0, status: 'open', onHand: 0 });
    });
  });

  describeEngine(engine, 'receipts in purchase units against the demo pack orders', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ engine });
    });
    afterAll(() => server?.close());

    it('lowers on order and raises on hand by the same base quantity (PO-2008, copper pipe in 15.24 m coils)', async () => {
      const clerk = await server.token('clerk1');
      const client = new LedgerClient(server.url, clerk);
      const poId = demo.purchaseOrder('PO-2008');
      const po = (await client.get('purchaseOrders', poId)) as { warehouseId: string; lines: { lineNumber: number; productId: string; unit: string; quantityOrdered: number }[] };
      const line = po.lines.find((l) => l.unit === 'COIL');
      expect(line, 'PO-2008 has a line in coils').toBeDefined();
      const { lineNumber, productId } = line as { lineNumber: number; productId: string };
      const { number } = (await client.get('products', productId)) as { number: string };
      const before = await onHandRow(server, clerk, 'WH-MAIN', number);

      // 1.3333 coils × 15.24 = 20.319492 m → 20.3195; then 0.6667 more makes 2 coils = 30.48 m, so 10.1605.
      for (const quantity of [1.3333, 0.6667]) {
        const doc = receiptDoc({ purchaseOrderId: poId, warehouseId: po.warehouseId, receivedAt: new Date().toISOString(), lines: [{ lineNumber, productId, quantity, unit: 'COIL' }] });
        expect(await client.post('receipts', doc)).toMatchObject({ status: 'posted' });
      }
      const after = await onHandRow(server, clerk, 'WH-MAIN', number);
      expect(unitsOf(after?.onHand) - unitsOf(before?.onHand)).toBe(unitsOf(30.48));
      expect(unitsOf(before?.onOrder) - unitsOf(after?.onOrder)).toBe(unitsOf(30.48));
    });
  });
}
