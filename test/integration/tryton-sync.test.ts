// ERP → Fieldstock against a real trytond: a purchase confirmed in Tryton reaches a
// technician of its warehouse through pull (with the warehouse and product it refers to),
// raises on order and can be received; what Fieldstock received survives the next sync;
// a rename in Tryton arrives once and its re-read is an echo; a deleted product becomes
// inactive on reconciliation, never deleted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { units } from '../../shared/decimal.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import { ErpDate, ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import { api, pullAll, pushNew, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, createConfirmedPurchase, type ConfirmedPurchase, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { onHandRow, push, type Doc } from './api-support.js';
import { changeSequence, runMap, startSyncServer, syncStatus } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;
interface PoLine {
  lineNumber: number;
  productId: string;
  quantityOrdered: number;
  quantityReceived: number;
  unit: string;
}

describeIfTryton('inbound ERP sync with Tryton', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let company: PurchasingCompany;
  let server: TestServer;
  let warehouseCode: string;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    company = await buildPurchasingCompany(rpc);
    const [warehouse] = (await rpc.model('stock.location', 'read', [[company.warehouseId], ['code']])) as Row[];
    warehouseCode = String(warehouse?.code);
    server = await startSyncServer(tryton);
  });
  afterAll(async () => {
    await server?.close();
    await rpc?.logout();
  });

  const docByField = async (collection: string, field: string, value: unknown, token?: string): Promise<Doc | undefined> =>
    (await pullAll<Doc>(server, token ?? (await server.token('admin')), collection)).find((d) => d[field] === value);

  let po: ConfirmedPurchase;
  let poDoc: Doc;
  let tech: string;

  it('brings a purchase confirmed in Tryton to a technician of its warehouse, with our mapped fields, and raises on order in the base unit', async () => {
    po = await createConfirmedPurchase(rpc, company, [
      { quantity: 5, unitPrice: units('2.5') },
      { quantity: 3, unitPrice: units('7.25') },
    ]);
    // Only the purchase orders map runs: the warehouse and product it refers to are synced on the way.
    const run = await runMap(server, 'purchase-orders');
    expect(run).toMatchObject({ kind: 'initial', created: 1, failed: 0, failures: [] });

    const warehouse = await docByField('warehouses', 'code', warehouseCode);
    expect(warehouse).toMatchObject({ name: 'Warehouse', kind: 'warehouse', externallyMaintained: true, allowNegativeStock: true, active: true, _deleted: false });
    const product = await docByField('products', 'number', company.productCode);
    expect(product).toMatchObject({ name: 'Widget', unit: 'u', active: true, barcodes: [], tracking: 'none' });

    const techId = await server.fieldstock.ctx.auth.createUser({ username: 'tryton-tech', password: 'tryton-tech-password', role: 'technician', warehouseCodes: [warehouseCode] }, [String(warehouse?.id)]);
    expect(techId).toEqual(expect.any(String));
    tech = (await server.login('tryton-tech', 'tryton-tech-password')).accessToken;

    const pulled = await docByField('purchaseOrders', 'number', po.number, tech);
    expect(pulled).toMatchObject({
      vendorName: 'Acme Supplies',
      vendorCode: expect.any(String),
      status: 'open',
      warehouseId: warehouse?.id,
      orderDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/),
      _deleted: false,
    });
    expect(pulled?.expectedDate).toBeUndefined();
    const lines = pulled?.lines as PoLine[];
    expect(lines.map((l) => l.lineNumber).sort()).toEqual([...po.lineIds].sort());
    expect(lines.map((l) => [l.quantityOrdered, l.quantityReceived, l.unit, l.productId])).toEqual([
      [5, 0, 'u', product?.id],
      [3, 0, 'u', product?.id],
    ]);
    poDoc = pulled as Doc;

    const level = await onHandRow(server, await server.token('admin'), warehouseCode, company.productCode);
    expect(level).toMatchObject({ onOrder: 8, onHand: 0 });
  });

  it('lets that technician receive it, and keeps what Fieldstock received when the order changes in Tryton and syncs again', async () => {
    const [first] = poDoc.lines as PoLine[];
    const receipt = {
      id: crypto.randomUUID(),
      purchaseOrderId: poDoc.id,
      warehouseId: poDoc.warehouseId,
      receivedAt: new Date().toISOString(),
      lines: [{ lineNumber: first?.lineNumber, productId: first?.productId, quantity: 2 }],
      status: 'pending',
      _deleted: false,
    };
    expect((await pushNew(server, tech, 'receipts', [receipt])).status).toBe(200);
    expect((await pullAll<Doc>(server, tech, 'receipts')).find((r) => r.id === receipt.id)).toMatchObject({ status: 'posted' });
    const admin = await server.token('admin');
    expect(await onHandRow(server, admin, warehouseCode, company.productCode)).toMatchObject({ onHand: 2, onOrder: 6 });

    // The buyer moves the delivery date in Tryton: the order changes there, its lines do not.
    await rpc.model('purchase.purchase', 'write', [[po.purchaseId], { delivery_date: ErpDate.of(2030, 1, 15) }]);
    const run = await runMap(server, 'purchase-orders');
    expect(run).toMatchObject({ kind: 'changes', updated: 1, created: 0, failed: 0 });

    const after = await docByField('purchaseOrders', 'id', poDoc.id, tech);
    expect(after).toMatchObject({ expectedDate: '2030-01-15T00:00:00.000Z', status: 'partially-received' });
    expect((after?.lines as PoLine[]).map((l) => [l.lineNumber, l.quantityReceived])).toEqual([
      [first?.lineNumber, 2],
      [(poDoc.lines as PoLine[])[1]?.lineNumber, 0],
    ]);
    expect(await onHandRow(server, admin, warehouseCode, company.productCode)).toMatchObject({ onHand: 2, onOrder: 6 });
  });

  it('renames a warehouse renamed in Tryton, once: syncing again writes nothing', async () => {
    await rpc.model('stock.location', 'write', [[company.warehouseId], { name: 'Harbor warehouse' }]);
    const renamed = await runMap(server, 'warehouses');
    expect(renamed).toMatchObject({ updated: 1, created: 0, failed: 0 });
    expect(await docByField('warehouses', 'code', warehouseCode)).toMatchObject({ name: 'Harbor warehouse', externallyMaintained: true });

    const sequence = await changeSequence(server);
    // The overlap window reads the renamed warehouse again: an echo, not a change.
    const again = await runMap(server, 'warehouses');
    expect(again).toMatchObject({ updated: 0, created: 0, unchanged: 0 });
    expect(again.echoes).toBeGreaterThanOrEqual(1);
    expect(await changeSequence(server)).toBe(sequence);
  });

  it('settles a warehouse changed on both sides since the last sync by the map\'s policy (erp-wins), and lists the conflict', async () => {
    const admin = await server.token('admin');
    const current = await docByField('warehouses', 'code', warehouseCode);
    const edited = await push(server, admin, 'warehouses', [{ assumedMasterState: current ?? null, newDocumentState: { ...current, name: 'Named in Fieldstock' } }]);
    expect(edited.body).toEqual([]);
    await rpc.model('stock.location', 'write', [[company.warehouseId], { name: 'Named in Tryton' }]);

    const run = await runMap(server, 'warehouses');
    expect(run.conflicts).toEqual([{ erpId: String(company.warehouseId), localId: current?.id, winner: 'erp', reason: expect.stringContaining('erp-wins') }]);
    const [inTryton] = (await rpc.model('stock.location', 'read', [[company.warehouseId], ['name']])) as Row[];
    expect((await docByField('warehouses', 'code', warehouseCode))?.name).toBe(inTryton?.name);
  });

  it('marks a product deactivated in Tryton inactive, and one deleted in Tryton inactive on reconciliation (never deleted)', async () => {
    const made = async (code: string): Promise<number> => {
      const [templateId] = (await rpc.model('product.template', 'create', [
        [{ name: `Gadget ${code}`, type: 'goods', default_uom: company.unitId, list_price: ErpDecimal.parse('3'), products: [['create', [{ suffix_code: code }]]] }],
      ])) as number[];
      const [template] = (await rpc.model('product.template', 'read', [[templateId ?? 0], ['products']])) as Row[];
      return (template?.products as number[])[0] ?? 0;
    };
    const paused = await made('FS-PAUSED-1');
    const gone = await made('FS-GONE-1');
    expect(await runMap(server, 'products')).toMatchObject({ created: 2, failed: 0 });

    await rpc.model('product.product', 'write', [[paused], { active: false }]);
    await rpc.model('product.product', 'delete', [[gone]]);
    const changes = await runMap(server, 'products');
    expect(changes).toMatchObject({ updated: 1, failed: 0 });
    expect(await docByField('products', 'number', 'FS-PAUSED-1')).toMatchObject({ active: false, _deleted: false });
    // Deletions leave no trace in a change feed: still active until reconciliation.
    expect(await docByField('products', 'number', 'FS-GONE-1')).toMatchObject({ active: true });

    const reconciled = await runMap(server, 'products', 'reconcile');
    expect(reconciled).toMatchObject({ kind: 'reconcile', removed: 1 });
    const goneDoc = await docByField('products', 'number', 'FS-GONE-1');
    expect(goneDoc).toMatchObject({ active: false, _deleted: false });
    expect(reconciled.removals).toEqual([{ erpId: String(gone), localId: goneDoc?.id, action: 'deactivated', message: expect.stringContaining('FS-GONE-1') }]);
    // Still linked products are left alone.
    expect(await docByField('products', 'number', company.productCode)).toMatchObject({ active: true });
  });

  it('picks up a rename of a product\'s template, which Tryton stamps on the template only, in the next changes run; an initial run then finds nothing left', async () => {
    await rpc.model('product.template', 'write', [[company.productTemplateId], { name: 'Widget, blue' }]);
    expect(await runMap(server, 'products')).toMatchObject({ kind: 'changes', updated: 1, failed: 0 });
    expect(await docByField('products', 'number', company.productCode)).toMatchObject({ name: 'Widget, blue' });

    const full = await runMap(server, 'products', 'initial');
    expect(full).toMatchObject({ kind: 'initial', updated: 0, created: 0, linked: 0, failed: 0, mismatches: [] });
    expect(await docByField('products', 'number', company.productCode)).toMatchObject({ name: 'Widget, blue' });
  });

  it('shows each map\'s cursor, last run and counts to administrators only', async () => {
    const status = await syncStatus(server);
    expect(status).toMatchObject({ adapter: 'tryton', enabled: true, intervalMs: 0, overlapMs: 5_000 });
    const byName = new Map(status.maps.map((m) => [m.map, m]));
    expect(byName.get('warehouses')).toMatchObject({ inbound: true, cursor: expect.any(String), lastRun: { kind: 'changes', conflicts: [{ winner: 'erp' }] }, running: null });
    expect(byName.get('products')?.lastRun).toMatchObject({ kind: 'initial', updated: 0 });
    expect(byName.get('products')?.lastReconciledAt).toEqual(expect.any(String));
    expect(byName.get('inventory')).toMatchObject({ inbound: false, reason: expect.stringContaining('delta journals') });
    expect(byName.get('ship-via')).toMatchObject({ inbound: true, reason: null });

    expect((await api(server, tech, 'GET', '/api/v1/admin/erp/sync')).status).toBe(403);
    const admin = await server.token('admin');
    expect((await api(server, admin, 'POST', '/api/v1/admin/erp/sync/no-such-map/run')).body).toMatchObject({ code: 'not-found' });
    expect((await api(server, admin, 'POST', '/api/v1/admin/erp/sync/inventory/run')).body).toMatchObject({ code: 'invalid-request', message: expect.stringContaining('delta journals') });
    expect((await api(server, admin, 'POST', '/api/v1/admin/erp/sync/warehouses/run?kind=everything')).status).toBe(400);
  });
});
