// Two Fieldstock backends with FIELDSTOCK_ERP=tryton in one process, on one real trytond:
// both start (each registers its own journals, receipts and warehouses handlers on its own
// AppContext.outboxHandlers, so neither refuses the other), each delivers the warehouse made
// in it with its own handlers (the outcome lands in its own store), and closing one removes
// only its handlers: the other still delivers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Warehouse } from '../../shared/collections.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import type { OutboxRunResult } from '../../server/erp/outbox/worker.js';
import type { ErpValue } from '../../server/erp/values.js';
import { pullAll, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { push } from './api-support.js';
import { deliverOutbox, startOutboxServer } from './tryton-sync-support.js';

type Stored = Warehouse & { erpError?: { code: string; message: string; at: string } };

/** Among what every Tryton-backed app registers at start: its journals, its receipts, its two-way maps (warehouses the one used here). */
const APP_PAIRS = ['journals/deliver', 'receipts/receive', 'warehouses/upsert'];

describeIfTryton('ERP outbox handlers per app: two Tryton-backed backends in one process', () => {
  const tryton = useTrytonServer();
  let rpc: TrytonRpc;
  let a: TestServer | undefined;
  let b: TestServer;
  /** B's pairs at start, which A's close must leave as they are. */
  let pairsB: string[];

  beforeAll(async () => {
    await tryton.reset();
    rpc = new TrytonRpc(tryton.rpcOptions());
    // Outbox on demand (interval 0): each test decides which app's worker runs.
    a = await startOutboxServer(tryton);
    b = await startOutboxServer(tryton);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await rpc?.logout();
  });

  const pairsOf = (server: TestServer) =>
    server.fieldstock.ctx.outboxHandlers
      .pairs()
      .map((p) => `${p.map}/${p.operation}`)
      .sort();
  /** One run of the app's worker, with the app's handlers, as its timer would make it. */
  const deliver = (server: TestServer): Promise<OutboxRunResult> => deliverOutbox(server);
  const makeTruck = async (server: TestServer, code: string): Promise<void> => {
    const truck = { id: `w-${code.toLowerCase()}`, code, name: `Truck ${code}`, kind: 'truck', externallyMaintained: false, allowNegativeStock: false, active: true, _deleted: false };
    const r = await push(server, await server.token('admin'), 'warehouses', [{ assumedMasterState: null, newDocumentState: truck }]);
    expect(r.status).toBe(200);
    expect(r.body).toEqual([]);
  };
  const trytonWarehouses = async (codes: string[]): Promise<string[]> => {
    const rows = (await rpc.model('stock.location', 'search_read', [[['code', 'in', codes], ['type', '=', 'warehouse']], 0, null, [['code', 'ASC']], ['code']])) as Record<string, ErpValue>[];
    return rows.map((r) => String(r.code));
  };
  const outboxOf = (server: TestServer) => server.fieldstock.ctx.store.db.selectFrom('erp_outbox').select(['document_id', 'status']).where('map_name', '=', 'warehouses').orderBy('seq').execute();
  const warehouse = async (server: TestServer, code: string): Promise<Stored | undefined> =>
    (await pullAll<Stored>(server, await server.token('admin'), 'warehouses')).find((w) => w.code === code);

  it('both start with their own handlers, and each delivers its own items with them', async () => {
    if (!a) throw new Error('server A did not start');
    expect(a.fieldstock.ctx.outboxHandlers).not.toBe(b.fieldstock.ctx.outboxHandlers);
    pairsB = pairsOf(b);
    expect(pairsB).toEqual(expect.arrayContaining(APP_PAIRS));
    expect(pairsOf(a)).toEqual(pairsB);

    await makeTruck(a, 'TRUCK-A');
    await makeTruck(b, 'TRUCK-B');
    // A's worker claims only A's item (its store), B's only B's.
    expect(await deliver(a)).toMatchObject({ claimed: 1, done: 1, poisoned: 0 });
    expect(await trytonWarehouses(['TRUCK-A', 'TRUCK-B'])).toEqual(['TRUCK-A']);
    expect(await deliver(b)).toMatchObject({ claimed: 1, done: 1, poisoned: 0 });
    expect(await trytonWarehouses(['TRUCK-A', 'TRUCK-B'])).toEqual(['TRUCK-A', 'TRUCK-B']);
    expect(await outboxOf(a)).toEqual([{ document_id: 'w-truck-a', status: 'done' }]);
    expect(await outboxOf(b)).toEqual([{ document_id: 'w-truck-b', status: 'done' }]);
    expect(await warehouse(a, 'TRUCK-A')).toMatchObject({ code: 'TRUCK-A' });
    expect(await warehouse(a, 'TRUCK-B')).toBeUndefined();
  });

  it("closing one app removes its handlers only: the other's still deliver", async () => {
    if (!a) throw new Error('server A did not start');
    const handlersA = a.fieldstock.ctx.outboxHandlers;
    await a.close();
    a = undefined;
    expect(handlersA.pairs()).toEqual([]);
    expect(pairsOf(b)).toEqual(pairsB);

    await makeTruck(b, 'TRUCK-C');
    expect(await deliver(b)).toMatchObject({ claimed: 1, done: 1, poisoned: 0 });
    expect(await trytonWarehouses(['TRUCK-C'])).toEqual(['TRUCK-C']);
    expect((await warehouse(b, 'TRUCK-C'))?.erpError).toBeUndefined();
  });
});
