// The initial sync creates what is missing in the direction each map allows: connected to a
// Tryton that has only its own warehouse (given the demo's WH-MAIN code), the demo backend's
// initial runs link WH-MAIN, bring Tryton's records in, and queue the warehouses, trucks,
// payment terms, ship-via and asset categories only Fieldstock has; the outbox creates each in
// Tryton once (a warehouse with its locations, a payment term with its remainder line, a
// carrier with its party). Customer assets without a product in Tryton are left alone. A second
// initial run queues nothing and creates nothing twice; the following change runs are echoes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import type { OutboxRunResult } from '../../server/erp/outbox/worker.js';
import type { ErpValue } from '../../server/erp/values.js';
import { type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { changeSequence, deliverOutbox, runMap, startOutboxServer } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;

const DEMO_WAREHOUSES = ['TRUCK-1', 'TRUCK-2', 'TRUCK-3', 'WH-MAIN', 'WH-NORTH'];

describeIfTryton('initial sync both ways: what only Fieldstock has is created in Tryton once', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let server: TestServer;

  beforeAll(async () => {
    rpc = new TrytonRpc(tryton.rpcOptions());
    const [own] = (await rpc.model('stock.location', 'search', [[['type', '=', 'warehouse']], 0, 1, [['id', 'ASC']]])) as number[];
    await rpc.model('stock.location', 'write', [[own ?? 0], { code: 'WH-MAIN' }]);
    server = await startOutboxServer(tryton, { demo: true });
  });
  afterAll(async () => {
    await server?.close();
    await rpc?.logout();
  });

  const deliverAll = (): Promise<OutboxRunResult> => deliverOutbox(server, { batchSize: 100 });
  const read = async (model: string, domain: ErpValue[], fields: string[]): Promise<Row[]> =>
    (await rpc.model(model, 'search_read', [domain, 0, null, [['id', 'ASC']], fields], { active_test: false })) as Row[];
  const warehouseCodes = async () => (await read('stock.location', [['type', '=', 'warehouse']], ['code'])).map((r) => String(r.code)).sort();
  const queued = (map: string) =>
    server.fieldstock.ctx.store.db.selectFrom('erp_outbox').select(['document_id', 'dedupe_key', 'status']).where('map_name', '=', map).execute();

  it('queues the local-only records of two-way maps, and the outbox creates each in Tryton with what Tryton needs', async () => {
    const warehouses = await runMap(server, 'warehouses', 'initial');
    expect(warehouses).toMatchObject({ kind: 'initial', linked: 1, failed: 0, queuedForErp: 4 });
    const payment = await runMap(server, 'payment-terms', 'initial');
    expect(payment).toMatchObject({ failed: 0, queuedForErp: 2 });
    const shipVia = await runMap(server, 'ship-via', 'initial');
    expect(shipVia).toMatchObject({ failed: 0, queuedForErp: 2 });
    const categories = await runMap(server, 'asset-categories', 'initial');
    expect(categories).toMatchObject({ failed: 0, queuedForErp: 3 });
    // The demo's assets name no product: nothing Tryton could hold as a lot.
    const assets = await runMap(server, 'customer-assets', 'initial');
    expect(assets).toMatchObject({ failed: 0, queuedForErp: 0 });
    expect((await queued('warehouses')).every((i) => i.dedupe_key.startsWith('initial:warehouses:'))).toBe(true);
    expect(await warehouseCodes()).toEqual(['WH-MAIN']);

    expect(await deliverAll()).toMatchObject({ done: 11, poisoned: 0, retried: 0 });
    expect(await warehouseCodes()).toEqual(DEMO_WAREHOUSES);
    const truck = (await read('stock.location', [['code', '=', 'TRUCK-2']], ['name', 'storage_location.code', 'lost_found_location.type']))[0];
    // Its storage zone, and the Lost and Found our adjustments and counts move from and to.
    expect(truck).toMatchObject({ name: 'Truck 2 (Ben)', 'storage_location.': { code: 'TRUCK-2-STORAGE' }, 'lost_found_location.': { type: 'lost_found' } });
    expect((await read('account.invoice.payment_term', [], ['name'])).map((r) => r.name).sort()).toEqual(['NET30', 'NET60']);
    expect((await read('carrier', [], ['party.code'])).map((r) => (r['party.'] as Row | null)?.code).sort()).toEqual(['EXPRESS', 'GROUND']);
    expect((await read('product.category', [], ['name'])).map((r) => r.name).sort()).toEqual(['ELEC', 'HVAC', 'PLUMB']);
  });

  it('a second initial run queues nothing and creates nothing twice; change runs after it are echoes', async () => {
    for (const map of ['warehouses', 'payment-terms', 'ship-via', 'asset-categories']) {
      const again = await runMap(server, map, 'initial');
      expect(again, map).toMatchObject({ queuedForErp: 0, created: 0, failed: 0 });
    }
    expect(await deliverAll()).toMatchObject({ claimed: 0 });
    expect(await warehouseCodes()).toEqual(DEMO_WAREHOUSES);
    expect(await read('account.invoice.payment_term', [], ['name'])).toHaveLength(2);

    const seq = await changeSequence(server);
    for (const map of ['warehouses', 'payment-terms', 'ship-via', 'asset-categories']) {
      expect(await runMap(server, map, 'changes'), map).toMatchObject({ created: 0, updated: 0, failed: 0, queuedForErp: 0 });
    }
    expect(await changeSequence(server)).toBe(seq);
  });
});
