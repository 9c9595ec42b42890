/**
 * Over-receipt tolerance over the push/pull API (docs/api.md "Over-receipt
 * tolerance"): the limit is ordered × (100 + percent) / 100 rounded down to 4
 * decimals, exactly at the limit passes and 0.0001 beyond is rejected; the
 * product's percent wins over the vendor's (referenceData kind "vendor" by the
 * PO's vendorCode), which wins over the configured default. A rejected
 * receipt moves nothing.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LedgerClient } from '../helpers/ledger-client.js';
import { productDoc, purchaseOrderDoc, receiptDoc, seedDocs, updateDoc, vendorDoc, warehouseDoc } from '../helpers/ledger-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { describeEngine, ENGINES } from './api-support.js';

/** The configured default, distinct from 0 so that falling back to it is visible. */
const DEFAULT_PERCENT = 2;

interface Scenario {
  productTolerance?: number;
  /** 'none': the PO has no vendorCode; 'unlisted': a vendorCode without reference data. */
  vendor?: { tolerance?: number; active?: boolean } | 'none' | 'unlisted';
  ordered: number;
  unit?: string;
  factor?: number;
}

for (const engine of ENGINES) {
  describeEngine(engine, 'over-receipt tolerance', () => {
    let server: TestServer;
    let admin: string;
    let client: LedgerClient;
    const warehouse = warehouseDoc();

    beforeAll(async () => {
      server = await startTestServer({ engine, demo: false, config: { ledger: { overReceiptTolerancePercent: DEFAULT_PERCENT } } });
      admin = await server.token('admin');
      client = new LedgerClient(server.url, admin);
      await seedDocs(server.url, admin, 'warehouses', [warehouse]);
    });
    afterAll(() => server?.close());

    async function scenario(s: Scenario) {
      const unit = s.unit ?? 'EA';
      const product = productDoc({
        ...(s.productTolerance !== undefined ? { overReceiptTolerancePercent: s.productTolerance } : {}),
        ...(s.factor !== undefined ? { unitConversions: [{ unit, factor: s.factor }] } : {}),
      });
      await seedDocs(server.url, admin, 'products', [product]);
      let vendorCode: string | undefined;
      if (s.vendor === 'unlisted') vendorCode = `UNLISTED-${product.number}`;
      else if (s.vendor !== undefined && s.vendor !== 'none') {
        const vendor = vendorDoc({ ...(s.vendor.tolerance !== undefined ? { overReceiptTolerancePercent: s.vendor.tolerance } : {}), active: s.vendor.active ?? true });
        await seedDocs(server.url, admin, 'referenceData', [vendor]);
        vendorCode = vendor.code;
      }
      const po = purchaseOrderDoc({ warehouseId: warehouse.id, ...(vendorCode ? { vendorCode } : {}), lines: [{ productId: product.id, quantityOrdered: s.ordered, unit }] });
      await seedDocs(server.url, admin, 'purchaseOrders', [po]);

      /** Receives `quantities` (one receipt, one line each) and returns the master state as pulled. */
      const receive = async (...quantities: number[]) =>
        client.post(
          'receipts',
          receiptDoc({
            purchaseOrderId: po.id,
            warehouseId: warehouse.id,
            receivedAt: new Date().toISOString(),
            lines: quantities.map((quantity) => ({ lineNumber: 1, productId: product.id, quantity })),
          }),
        );
      const received = async () => {
        const pulled = (await client.get('purchaseOrders', po.id)) as { status: string; lines: { quantityReceived: number }[] };
        return { status: pulled.status, quantityReceived: pulled.lines[0]?.quantityReceived };
      };
      return { product, po, receive, received, onHand: () => client.onHand(warehouse.id, product.id) };
    }

    const overReceipt = { status: 'rejected', error: { code: 'over-receipt', message: expect.any(String) } };

    /** One 0.0001 beyond `limit` is rejected and moves nothing; exactly `limit` posts and completes the PO. */
    async function expectLimit(s: Scenario, limit: number): Promise<void> {
      const sc = await scenario(s);
      const beyond = Math.round(limit * 10_000 + 1) / 10_000;
      expect(await sc.receive(beyond)).toMatchObject(overReceipt);
      expect(await sc.received()).toEqual({ status: 'open', quantityReceived: 0 });
      expect(await sc.onHand()).toBe(0);
      expect(await sc.receive(limit)).toMatchObject({ status: 'posted' });
      expect(await sc.received()).toEqual({ status: 'received', quantityReceived: limit });
    }

    it('uses the configured default when neither product nor vendor sets a tolerance', async () => {
      await expectLimit({ ordered: 10, vendor: 'none' }, 10.2);
      await expectLimit({ ordered: 10, vendor: 'unlisted' }, 10.2);
      await expectLimit({ ordered: 10, vendor: {} }, 10.2);
    });

    it("uses the vendor's tolerance over the default, and ignores an inactive vendor", async () => {
      await expectLimit({ ordered: 10, vendor: { tolerance: 5 } }, 10.5);
      await expectLimit({ ordered: 10, vendor: { tolerance: 5, active: false } }, 10.2);
    });

    it("uses the product's tolerance over the vendor's, even when it is 0", async () => {
      await expectLimit({ ordered: 10, productTolerance: 10, vendor: { tolerance: 5 } }, 11);
      await expectLimit({ ordered: 10, productTolerance: 0, vendor: { tolerance: 5 } }, 10);
      await expectLimit({ ordered: 10, productTolerance: 2.5, vendor: 'none' }, 10.25);
    });

    it('rounds the limit down to 4 decimals', async () => {
      // 3.3333 × 1.1 = 3.66663: 3.6666 is the most that may arrive.
      await expectLimit({ ordered: 3.3333, vendor: { tolerance: 10 } }, 3.6666);
    });

    it('measures the tolerance in the purchase unit, and converts only what was accepted', async () => {
      // 10 BOX of 2.5 each, 10 %: 11 BOX (27.5 each) at most.
      const sc = await scenario({ ordered: 10, unit: 'BOX', factor: 2.5, productTolerance: 10 });
      expect(await sc.receive(11.0001)).toMatchObject(overReceipt);
      expect(await sc.onHand()).toBe(0);
      expect(await sc.receive(11)).toMatchObject({ status: 'posted' });
      expect(await sc.onHand()).toBe(27.5);
    });

    it('adds partial receipts and several lines for one PO line before comparing with the limit', async () => {
      const sc = await scenario({ ordered: 10, vendor: 'none' });
      expect(await sc.receive(6)).toMatchObject({ status: 'posted' });
      expect(await sc.received()).toEqual({ status: 'partially-received', quantityReceived: 6 });
      // Two lines for the same PO line in one receipt count together.
      expect(await sc.receive(2, 2.2001)).toMatchObject(overReceipt);
      expect(await sc.receive(4.2001)).toMatchObject(overReceipt);
      expect(await sc.received()).toEqual({ status: 'partially-received', quantityReceived: 6 });
      expect(await sc.onHand()).toBe(6);
      expect(await sc.receive(2, 2.2)).toMatchObject({ status: 'posted' });
      expect(await sc.received()).toEqual({ status: 'received', quantityReceived: 10.2 });
      expect(await sc.onHand()).toBe(10.2);
      // A received PO takes nothing more, not even within what would have been the tolerance.
      expect(await sc.receive(0.0001)).toMatchObject({ status: 'rejected', error: { code: 'po-not-open' } });
    });

    it("takes a vendor's changed tolerance into account for the next receipt", async () => {
      const vendor = vendorDoc({ overReceiptTolerancePercent: 5 });
      await seedDocs(server.url, admin, 'referenceData', [vendor]);
      const product = productDoc();
      await seedDocs(server.url, admin, 'products', [product]);
      const po = purchaseOrderDoc({ warehouseId: warehouse.id, vendorCode: vendor.code, lines: [{ productId: product.id, quantityOrdered: 10, unit: 'EA' }] });
      await seedDocs(server.url, admin, 'purchaseOrders', [po]);
      const receive = (quantity: number) =>
        client.post('receipts', receiptDoc({ purchaseOrderId: po.id, warehouseId: warehouse.id, receivedAt: new Date().toISOString(), lines: [{ lineNumber: 1, productId: product.id, quantity }] }));

      expect(await receive(10.8)).toMatchObject(overReceipt);
      await updateDoc(server.url, admin, 'referenceData', vendor, { ...vendor, overReceiptTolerancePercent: 8 });
      expect(await receive(10.8001)).toMatchObject(overReceipt);
      expect(await receive(10.8)).toMatchObject({ status: 'posted' });
    });
  });
}
