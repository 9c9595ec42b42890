// Customer assets both ways with Tryton lots (stock.lot), against a real trytond: a lot made
// in Tryton reaches a technician as an asset linked to its product (named after it, with the
// placeholder customer); an asset a technician adds becomes one lot with its number and
// product, once, however often its delivery is repeated; edits on either side arrive once and
// their re-reads are echoes (nothing queued back, nothing written); what Tryton does not hold
// (name, customer, location) stays in the app; an asset without a serial number stays in the
// app; a lot deleted in Tryton leaves its asset inactive after reconciliation, never deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerAsset } from '../../shared/collections.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import type { OutboxRunResult } from '../../server/erp/outbox/worker.js';
import type { ErpValue } from '../../server/erp/values.js';
import { describeIfPg } from '../helpers/postgres.js';
import { pullAll, type Engine, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { push, type Doc } from './api-support.js';
import { changeSequence, deliverOutbox, runMap, startOutboxServer } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;
type Asset = CustomerAsset & { _deleted?: boolean };

const PLACEHOLDER_CUSTOMER = '(customer not set: lot from the ERP)';

describeIfTryton('customer assets sync both ways with Tryton lots', () => {
  const tryton = useTrytonServer();
  for (const engine of ['sqlite', 'postgres'] as const satisfies readonly Engine[]) {
    (engine === 'postgres' ? describeIfPg : describe)(engine, () => assets(engine));
  }

  function assets(engine: Engine): void {
    let rpc: TrytonRpc;
    let company: PurchasingCompany;
    let server: TestServer;
    let tech: string;
    let productDocId: string;
    let trytonLot: number;

    beforeAll(async () => {
      // Each engine starts from Tryton's pristine database.
      await tryton.reset();
      rpc = new TrytonRpc(tryton.rpcOptions());
      company = await buildPurchasingCompany(rpc);
      server = await startOutboxServer(tryton, { engine });
      expect(await runMap(server, 'warehouses')).toMatchObject({ failed: 0 });
      expect(await runMap(server, 'products')).toMatchObject({ created: 1, failed: 0 });
      const admin = await server.token('admin');
      productDocId = String((await pullAll<Doc>(server, admin, 'products')).find((p) => p.number === company.productCode)?.id);
      const warehouse = (await pullAll<Doc>(server, admin, 'warehouses'))[0];
      await server.fieldstock.ctx.auth.createUser({ username: 'lot-tech', password: 'lot-tech-password', role: 'technician', warehouseCodes: [String(warehouse?.code)] }, [String(warehouse?.id)]);
      tech = (await server.login('lot-tech', 'lot-tech-password')).accessToken;
    });
    afterAll(async () => {
      await server?.close();
      await rpc?.logout();
    });

    const deliver = (): Promise<OutboxRunResult> => deliverOutbox(server);
    const items = () => server.fieldstock.ctx.store.db.selectFrom('erp_outbox').select(['document_id', 'status']).where('map_name', '=', 'customer-assets').orderBy('seq').execute();
    const asset = async (serialNumber: string): Promise<Asset | undefined> => (await pullAll<Asset>(server, tech, 'customerAssets')).find((a) => a.serialNumber === serialNumber);
    const lotsNumbered = async (number: string): Promise<Row[]> => (await rpc.model('stock.lot', 'search_read', [[['number', '=', number]], 0, null, [['id', 'ASC']], ['number', 'product']])) as Row[];
    const techEdit = async (before: Asset, change: Partial<Asset>): Promise<void> => {
      const r = await push(server, tech, 'customerAssets', [{ assumedMasterState: before as unknown as Doc, newDocumentState: { ...before, ...change } as unknown as Doc }]);
      expect(r.status).toBe(200);
      expect(r.body).toEqual([]);
    };
    /** The next inbound run reads its own write again: an echo, nothing written. */
    const expectEcho = async (): Promise<void> => {
      const sequence = await changeSequence(server);
      const run = await runMap(server, 'customer-assets');
      expect(run).toMatchObject({ updated: 0, created: 0, failed: 0, conflicts: [] });
      expect(run.echoes).toBeGreaterThanOrEqual(1);
      expect(await changeSequence(server)).toBe(sequence);
    };

    it('brings a lot made in Tryton to a technician as a customer asset linked to its product', async () => {
      const [created] = (await rpc.model('stock.lot', 'create', [[{ number: 'SN-TRY-1', product: company.productId }]])) as number[];
      trytonLot = created ?? 0;
      const run = await runMap(server, 'customer-assets');
      expect(run).toMatchObject({ kind: 'initial', created: 1, failed: 0 });
      expect(await asset('SN-TRY-1')).toMatchObject({ name: 'Widget', customerName: PLACEHOLDER_CUSTOMER, productId: productDocId, active: true, _deleted: false });
      await expectEcho();
    });

    let appAsset: Asset;
    it("makes an asset a technician adds at a customer site a lot with its number and product, once, however often it is delivered", async () => {
      appAsset = { id: `asset-${engine}-1`, name: 'Rooftop unit', customerName: 'Smith & Co', serialNumber: 'SN-APP-1', productId: productDocId, location: 'Roof, north side', active: true, _deleted: false };
      const pushed = await push(server, tech, 'customerAssets', [{ assumedMasterState: null, newDocumentState: appAsset as unknown as Doc }]);
      expect(pushed.body).toEqual([]);
      // The same document pushed again (a device retrying) is already there: no second change, no second item.
      await push(server, tech, 'customerAssets', [{ assumedMasterState: null, newDocumentState: appAsset as unknown as Doc }]);
      expect(await items()).toEqual([{ document_id: appAsset.id, status: 'pending' }]);

      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect(await lotsNumbered('SN-APP-1')).toEqual([expect.objectContaining({ number: 'SN-APP-1', product: company.productId })]);

      // A delivery whose outcome was lost (crash after Tryton created the lot): run it again without the link.
      await server.fieldstock.ctx.store.db.deleteFrom('erp_record_links').where('map', '=', 'customer-assets').where('local_id', '=', appAsset.id).execute();
      await server.fieldstock.ctx.store.db.updateTable('erp_outbox').set({ status: 'pending', next_attempt_at: 0 }).where('document_id', '=', appAsset.id).execute();
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect(await lotsNumbered('SN-APP-1')).toHaveLength(1);

      // The lot comes back as an echo: the technician's name, customer and location stay.
      await expectEcho();
      expect(await asset('SN-APP-1')).toMatchObject({ id: appAsset.id, name: 'Rooftop unit', customerName: 'Smith & Co', location: 'Roof, north side', productId: productDocId, active: true });
    });

    it('applies a lot renumbered in Tryton once, queueing nothing back', async () => {
      const queued = (await items()).length;
      await rpc.model('stock.lot', 'write', [[trytonLot], { number: 'SN-TRY-1B' }]);
      expect(await runMap(server, 'customer-assets')).toMatchObject({ kind: 'changes', updated: 1, failed: 0, conflicts: [] });
      expect(await asset('SN-TRY-1B')).toMatchObject({ name: 'Widget', customerName: PLACEHOLDER_CUSTOMER, active: true });
      expect(await asset('SN-TRY-1')).toBeUndefined();
      expect(await items()).toHaveLength(queued);
      expect(await deliver()).toMatchObject({ claimed: 0 });
      await expectEcho();
    });

    it('sends a serial number corrected in the app to its lot once; app-only fields (customer, location, name) send nothing', async () => {
      const before = await asset('SN-APP-1');
      if (!before) throw new Error('no asset SN-APP-1');
      await techEdit(before, { serialNumber: 'SN-APP-1X' });
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect(await lotsNumbered('SN-APP-1X')).toEqual([expect.objectContaining({ product: company.productId })]);
      expect(await lotsNumbered('SN-APP-1')).toEqual([]);
      await expectEcho();

      const queued = (await items()).length;
      const corrected = await asset('SN-APP-1X');
      if (!corrected) throw new Error('no asset SN-APP-1X');
      await techEdit(corrected, { customerName: 'Smith & Sons', location: 'Basement', name: 'Rooftop unit 2' });
      expect(await items()).toHaveLength(queued);
      await expectEcho();
      expect(await asset('SN-APP-1X')).toMatchObject({ customerName: 'Smith & Sons', location: 'Basement', name: 'Rooftop unit 2' });
    });

    it('keeps an asset without a serial number in the app: nothing is queued and no lot is made', async () => {
      const lots = ((await rpc.model('stock.lot', 'search', [[]])) as number[]).length;
      const queued = (await items()).length;
      const plain = { id: `asset-${engine}-2`, name: 'Old boiler', customerName: 'Jones', active: true, _deleted: false };
      expect((await push(server, tech, 'customerAssets', [{ assumedMasterState: null, newDocumentState: plain }])).body).toEqual([]);
      expect(await items()).toHaveLength(queued);
      expect(await deliver()).toMatchObject({ claimed: 0 });
      expect((await rpc.model('stock.lot', 'search', [[]])) as number[]).toHaveLength(lots);
    });

    it('marks the asset of a lot deleted in Tryton inactive after reconciliation, never deleted', async () => {
      await rpc.model('stock.lot', 'delete', [[trytonLot]]);
      // Deletions leave no trace in a change feed.
      expect(await runMap(server, 'customer-assets')).toMatchObject({ updated: 0, failed: 0 });
      const gone = await asset('SN-TRY-1B');
      expect(gone).toMatchObject({ active: true });

      const reconciled = await runMap(server, 'customer-assets', 'reconcile');
      expect(reconciled).toMatchObject({ kind: 'reconcile', removed: 1 });
      expect(reconciled.removals).toEqual([{ erpId: String(trytonLot), localId: gone?.id, action: 'deactivated', message: expect.any(String) }]);
      expect(await asset('SN-TRY-1B')).toMatchObject({ active: false, _deleted: false });
      // The technician's asset keeps its lot.
      expect(await asset('SN-APP-1X')).toMatchObject({ active: true });
    });
  }
});
