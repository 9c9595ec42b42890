// Initial sync against a real trytond and a backend that already has demo data: records
// with the same integration key are linked (local ids kept), a key whose values differ is
// reported as a mismatch and settled by the map's policy (erp-wins), records only Tryton
// has are created locally, and a second run writes nothing. On SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoId } from '../../server/demo/data.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import { ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import { describeIfPg } from '../helpers/postgres.js';
import { pullAll, type Engine, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { units as toUnits } from '../../shared/decimal.js';
import { buildPurchasingCompany, createConfirmedPurchase, type ConfirmedPurchase, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import type { Doc } from './api-support.js';
import { changeSequence, runMap, startSyncServer, syncStatus } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;

describeIfTryton('initial ERP sync with Tryton over existing local data', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let company: PurchasingCompany;
  let purchase: ConfirmedPurchase;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    company = await buildPurchasingCompany(rpc);
    // Tryton's warehouse is our TRUCK-1 exactly (a truck: the demo gives it no address).
    await rpc.model('stock.location', 'write', [[company.warehouseId], { code: 'TRUCK-1', name: 'Truck 1 (Ana)' }]);
    // TRUCK-2 exists on both sides under another name: the deliberate mismatch.
    const zones = (await rpc.model('stock.location', 'create', [
      [
        { name: 'T2 input', type: 'storage' },
        { name: 'T2 output', type: 'storage' },
        { name: 'T2 storage', type: 'storage' },
      ],
    ])) as number[];
    await rpc.model('stock.location', 'create', [
      [{ name: 'Truck 2 (Ben, leased)', code: 'TRUCK-2', type: 'warehouse', input_location: zones[0] ?? 0, output_location: zones[1] ?? 0, storage_location: zones[2] ?? 0 }],
    ]);
    // Demo product P-1001 ("Copper elbow 1/4 in", stocked in EA) as Tryton has it.
    const [units] = (await rpc.model('product.uom', 'read', [[company.unitId], ['category']])) as Row[];
    const [each] = (await rpc.model('product.uom', 'create', [[{ name: 'Each', symbol: 'EA', category: units?.category ?? null, rate: 1, factor: 1, rounding: 1, digits: 0 }]])) as number[];
    await rpc.model('product.template', 'create', [
      [{ name: 'Copper elbow 1/4 in', type: 'goods', default_uom: each ?? 0, list_price: ErpDecimal.parse('4'), products: [['create', [{ suffix_code: 'P-1001' }]]] }],
    ]);
    // A purchase for Tryton's warehouse, which is TRUCK-1 here.
    purchase = await createConfirmedPurchase(rpc, company, [{ quantity: 4, unitPrice: toUnits('1.5') }]);
  });
  afterAll(() => rpc?.logout());

  for (const engine of ['sqlite', 'postgres'] as const satisfies readonly Engine[]) {
    (engine === 'postgres' ? describeIfPg : describe)(engine, () => initialSync(engine));
  }

  function initialSync(engine: Engine): void {
    let server: TestServer;
    beforeAll(async () => {
      server = await startSyncServer(tryton, { demo: true, engine });
    });
    afterAll(() => server?.close());

    const pulled = async (collection: string) => pullAll<Doc>(server, await server.token('admin'), collection);

    it('links warehouses by code, keeps local ids, reports the one that differs and settles it by policy', async () => {
      const run = await runMap(server, 'warehouses');
      expect(run).toMatchObject({ kind: 'initial', total: 2, linked: 2, created: 0, updated: 1, unchanged: 1, failed: 0 });
      expect(run.mismatches).toEqual([
        {
          erpId: expect.any(String),
          localId: demoId('TRUCK-2'),
          key: 'TRUCK-2',
          fields: [{ field: 'name', local: 'Truck 2 (Ben)', erp: 'Truck 2 (Ben, leased)' }],
          resolution: expect.stringContaining('updated from the ERP (policy erp-wins'),
        },
      ]);
      const warehouses = await pulled('warehouses');
      expect(warehouses.find((w) => w.id === demoId('TRUCK-2'))).toMatchObject({ code: 'TRUCK-2', name: 'Truck 2 (Ben, leased)', kind: 'truck', externallyMaintained: false });
      expect(warehouses.find((w) => w.id === demoId('TRUCK-1'))).toMatchObject({ name: 'Truck 1 (Ana)', kind: 'truck' });
      // Local-only warehouses are not touched, and nothing was duplicated.
      expect(warehouses.find((w) => w.id === demoId('WH-MAIN'))).toMatchObject({ name: 'Main warehouse', address: '1200 Harbor Ave SW, Seattle, WA' });
      expect(warehouses.filter((w) => w.code === 'TRUCK-2')).toHaveLength(1);
    });

    it('links products by number and creates the ones only Tryton has', async () => {
      const run = await runMap(server, 'products');
      expect(run).toMatchObject({ kind: 'initial', total: 2, linked: 1, created: 1, updated: 0, unchanged: 1, failed: 0, mismatches: [] });
      const products = await pulled('products');
      // The demo product keeps what the map does not bring (barcodes, purchase units).
      expect(products.find((p) => p.id === demoId('P-1001'))).toMatchObject({ number: 'P-1001', name: 'Copper elbow 1/4 in', unit: 'EA', unitConversions: [{ unit: 'BOX', factor: 25 }], barcodes: [expect.any(String)] });
      expect(products.find((p) => p.number === company.productCode)).toMatchObject({ name: 'Widget', unit: 'u', active: true });
      expect(products.filter((p) => p.number === 'P-1001')).toHaveLength(1);
    });

    it('brings the purchase to the demo technician of TRUCK-1, pointing at the linked truck and product', async () => {
      const run = await runMap(server, 'purchase-orders');
      expect(run).toMatchObject({ kind: 'initial', created: 1, failed: 0 });
      const orders = await pullAll<Doc>(server, await server.token('tech1'), 'purchaseOrders');
      const order = orders.find((o) => o.number === purchase.number);
      const widget = (await pulled('products')).find((p) => p.number === company.productCode);
      expect(order).toMatchObject({ warehouseId: demoId('TRUCK-1'), status: 'open', lines: [{ lineNumber: purchase.lineIds[0], productId: widget?.id, quantityOrdered: 4, quantityReceived: 0, unit: 'u' }] });
    });

    it('lists the mismatch in the admin status, and a second run changes nothing', async () => {
      const status = await syncStatus(server);
      const warehouses = status.maps.find((m) => m.map === 'warehouses');
      expect(warehouses?.lastRun?.mismatches.map((m) => m.key)).toEqual(['TRUCK-2']);
      expect(warehouses?.cursor).toEqual(expect.any(String));

      const sequence = await changeSequence(server);
      for (const map of ['warehouses', 'products', 'purchase-orders']) {
        const again = await runMap(server, map);
        expect(again).toMatchObject({ kind: 'changes', created: 0, updated: 0, linked: 0, failed: 0 });
      }
      expect(await changeSequence(server)).toBe(sequence);
    });
  }
});
