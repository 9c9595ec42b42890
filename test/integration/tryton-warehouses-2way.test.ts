// Warehouses both ways against a real trytond: an admin's rename in Fieldstock is queued in
// the push and delivered to Tryton's stock.location, and the next inbound run sees its own
// write as an echo (no document written, no new sequence); a rename in Tryton arrives in
// Fieldstock and queues nothing back (no loop); a warehouse changed on both sides is settled
// by the map's policy (erp-wins: Tryton's value is written locally); a change Tryton refuses
// (an empty name, which it requires) is shown on the warehouse with Tryton's message while
// the other items are delivered, and a corrected change clears it. A warehouse made in the app
// reaches Tryton with the input, output and storage locations Tryton requires; one Tryton
// refuses (a blank name) shows the refusal until corrected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../../shared/collections.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import type { OutboxRunResult } from '../../server/erp/outbox/worker.js';
import type { ErpValue } from '../../server/erp/values.js';
import { describeIfPg } from '../helpers/postgres.js';
import { pullAll, type Engine, type TestServer } from '../helpers/server.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { push, type Doc } from './api-support.js';
import { changeSequence, deliverOutbox, runMap, startOutboxServer } from './tryton-sync-support.js';

type Row = Record<string, ErpValue>;
type Stored = Warehouse & { erpError?: { code: string; message: string; at: string } };

describeIfTryton('warehouses sync both ways with Tryton', () => {
  const tryton = useTrytonServer();
  for (const engine of ['sqlite', 'postgres'] as const satisfies readonly Engine[]) {
    (engine === 'postgres' ? describeIfPg : describe)(engine, () => twoWay(engine));
  }

  function twoWay(engine: Engine): void {
    let rpc: TrytonRpc;
    let server: TestServer;
    let locationA: number;
    let locationB: number;

    beforeAll(async () => {
      // Each engine starts from Tryton's pristine database.
      await tryton.reset();
      rpc = new TrytonRpc(tryton.rpcOptions());
      const [first] = (await rpc.model('stock.location', 'search', [[['type', '=', 'warehouse']], 0, 1, [['id', 'ASC']]])) as number[];
      locationA = first ?? 0;
      await rpc.model('stock.location', 'write', [[locationA], { code: 'WH-A', name: 'Depot A' }]);
      const zones = (await rpc.model('stock.location', 'create', [
        [
          { name: 'B input', type: 'storage' },
          { name: 'B output', type: 'storage' },
          { name: 'B storage', type: 'storage' },
        ],
      ])) as number[];
      const [b] = (await rpc.model('stock.location', 'create', [
        [{ name: 'Depot B', code: 'WH-B', type: 'warehouse', input_location: zones[0] ?? 0, output_location: zones[1] ?? 0, storage_location: zones[2] ?? 0 }],
      ])) as number[];
      locationB = b ?? 0;
      // Inbound on demand, outbox on demand: each test decides when either runs.
      server = await startOutboxServer(tryton, { engine });
      const initial = await runMap(server, 'warehouses');
      expect(initial).toMatchObject({ created: 2, failed: 0 });
    });
    afterAll(async () => {
      await server?.close();
      await rpc?.logout();
    });

    const deliver = (): Promise<OutboxRunResult> => deliverOutbox(server);
    const items = () =>
      server.fieldstock.ctx.store.db.selectFrom('erp_outbox').select(['document_id', 'dedupe_key', 'status', 'last_error_code']).where('map_name', '=', 'warehouses').orderBy('seq').execute();
    const warehouse = async (code: string): Promise<Stored> => {
      const found = (await pullAll<Stored>(server, await server.token('admin'), 'warehouses')).find((w) => w.code === code);
      if (!found) throw new Error(`no warehouse ${code}`);
      return found;
    };
    const trytonName = async (id: number): Promise<unknown> => ((await rpc.model('stock.location', 'read', [[id], ['name']])) as Row[])[0]?.name;
    const adminEdit = async (code: string, change: Partial<Stored>): Promise<void> => {
      const before = await warehouse(code);
      const r = await push(server, await server.token('admin'), 'warehouses', [{ assumedMasterState: before as unknown as Doc, newDocumentState: { ...before, ...change } as unknown as Doc }]);
      expect(r.status).toBe(200);
      expect(r.body).toEqual([]);
    };

    it('an admin rename reaches Tryton, and the next inbound run writes nothing (no echo)', async () => {
      await adminEdit('WH-A', { name: 'Depot A (north yard)' });
      const queued = await items();
      expect(queued).toEqual([expect.objectContaining({ status: 'pending', dedupe_key: expect.stringMatching(/^warehouses:.+:\d+$/) })]);

      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect(await trytonName(locationA)).toBe('Depot A (north yard)');

      const seq = await changeSequence(server);
      const run = await runMap(server, 'warehouses');
      expect(run).toMatchObject({ updated: 0, created: 0, failed: 0, conflicts: [] });
      expect(run.echoes).toBeGreaterThanOrEqual(1);
      expect(await changeSequence(server)).toBe(seq);
    });

    it('a rename in Tryton arrives in Fieldstock and queues nothing back (no loop)', async () => {
      const before = (await items()).length;
      await rpc.model('stock.location', 'write', [[locationB], { name: 'Depot B (leased)' }]);
      const run = await runMap(server, 'warehouses');
      expect(run).toMatchObject({ updated: 1, failed: 0, conflicts: [] });
      expect((await warehouse('WH-B')).name).toBe('Depot B (leased)');
      expect(await items()).toHaveLength(before);
      expect(await deliver()).toMatchObject({ claimed: 0 });
    });

    it('a warehouse changed on both sides is settled by the map policy (erp-wins): Tryton keeps its value and it is written locally', async () => {
      await rpc.model('stock.location', 'write', [[locationA], { name: 'Depot A (renamed in Tryton)' }]);
      await adminEdit('WH-A', { name: 'Depot A (renamed in Fieldstock)' });
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect(await trytonName(locationA)).toBe('Depot A (renamed in Tryton)');
      expect((await warehouse('WH-A')).name).toBe('Depot A (renamed in Tryton)');
      // Settled: the next inbound run has nothing to apply and finds no conflict left.
      const seq = await changeSequence(server);
      const run = await runMap(server, 'warehouses');
      expect(run).toMatchObject({ updated: 0, failed: 0, conflicts: [] });
      expect(await changeSequence(server)).toBe(seq);
    });

    const zonesOf = async (code: string) => {
      const [row] = (await rpc.model('stock.location', 'search_read', [[['code', '=', code], ['type', '=', 'warehouse']], 0, null, null, ['name', 'input_location.code', 'output_location.code', 'storage_location.code', 'input_location.parent', 'storage_location.parent']])) as Row[];
      return row;
    };

    it('a warehouse made in Fieldstock reaches Tryton with its input, output and storage locations; the next inbound run sees it as an echo', async () => {
      const truck = { id: `w-${engine}-truck9`, code: 'TRUCK-9', name: 'Truck 9', kind: 'truck', externallyMaintained: false, allowNegativeStock: false, active: true, _deleted: false };
      const r = await push(server, await server.token('admin'), 'warehouses', [{ assumedMasterState: null, newDocumentState: truck }]);
      expect(r.body).toEqual([]);
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      const made = await zonesOf('TRUCK-9');
      expect(made).toMatchObject({
        name: 'Truck 9',
        'input_location.': { code: 'TRUCK-9-IN', parent: made?.id },
        'output_location.': { code: 'TRUCK-9-OUT' },
        'storage_location.': { code: 'TRUCK-9-STORAGE', parent: made?.id },
      });
      expect((await warehouse('TRUCK-9')).erpError).toBeUndefined();
      const seq = await changeSequence(server);
      const run = await runMap(server, 'warehouses');
      expect(run).toMatchObject({ created: 0, updated: 0, failed: 0, conflicts: [] });
      expect(await changeSequence(server)).toBe(seq);
    });

    it('a new warehouse Tryton refuses (no name after the trim) shows the refusal; the corrected change creates it, reusing the locations made on the way', async () => {
      const truck = { id: `w-${engine}-truck8`, code: 'TRUCK-8', name: '   ', kind: 'truck', externallyMaintained: false, allowNegativeStock: false, active: true, _deleted: false };
      const r = await push(server, await server.token('admin'), 'warehouses', [{ assumedMasterState: null, newDocumentState: truck }]);
      expect(r.body).toEqual([]);
      expect(await deliver()).toMatchObject({ done: 0, poisoned: 1 });
      expect((await warehouse('TRUCK-8')).erpError).toEqual({ code: 'erp-user-error', message: expect.stringMatching(/name/i), at: expect.any(String) });
      expect(await rpc.model('stock.location', 'search', [[['code', '=', 'TRUCK-8']]])).toEqual([]);
      const zones = await rpc.model('stock.location', 'search', [[['code', 'like', 'TRUCK-8-%']], 0, null, [['code', 'ASC']]]);
      expect(zones).toHaveLength(3);

      await adminEdit('TRUCK-8', { name: 'Truck 8' });
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect(await deliver()).toMatchObject({ poisoned: 0 });
      expect(await zonesOf('TRUCK-8')).toMatchObject({ name: 'Truck 8', 'input_location.': { code: 'TRUCK-8-IN' } });
      expect(await rpc.model('stock.location', 'search', [[['code', 'like', 'TRUCK-8-%']], 0, null, [['code', 'ASC']]])).toEqual(zones);
      expect((await warehouse('TRUCK-8')).erpError).toBeUndefined();
    });

    it('a change Tryton refuses shows on the warehouse with its message; the other items are delivered; a corrected change clears it', async () => {
      // Blank after the map's trim: Tryton requires a name.
      await adminEdit('WH-A', { name: '   ' });
      await adminEdit('WH-B', { name: 'Depot B (own lease)' });
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 1 });
      expect(await trytonName(locationB)).toBe('Depot B (own lease)');
      expect(await trytonName(locationA)).toBe('Depot A (renamed in Tryton)');
      const refused = await warehouse('WH-A');
      expect(refused.erpError).toEqual({ code: 'erp-user-error', message: expect.stringMatching(/name/i), at: expect.any(String) });
      expect((await items()).filter((i) => i.status === 'poison' && i.document_id === refused.id)).toEqual([expect.objectContaining({ last_error_code: 'erp-user-error' })]);

      // The corrected change re-arms the refused item, which delivers the warehouse as it is now; the new item after it finds nothing left to write.
      await adminEdit('WH-A', { name: 'Depot A (fixed)' });
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      expect(await trytonName(locationA)).toBe('Depot A (fixed)');
      expect(await deliver()).toMatchObject({ done: 1, poisoned: 0 });
      const ofA = (await items()).filter((i) => i.document_id === refused.id);
      expect(ofA.map((i) => i.status)).toEqual(Array(ofA.length).fill('done'));
      const fixed = await warehouse('WH-A');
      expect(fixed.erpError).toBeUndefined();
      // Clearing the refusal is not a change to send, nor one the inbound run takes for a conflict.
      const seq = await changeSequence(server);
      const run = await runMap(server, 'warehouses');
      expect(run).toMatchObject({ updated: 0, failed: 0, conflicts: [] });
      expect(await changeSequence(server)).toBe(seq);
    });
  }
});
