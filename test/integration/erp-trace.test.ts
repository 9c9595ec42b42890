/**
 * The admin trace against the real backend (no ERP: the none sink posts ERP
 * journals locally): a transfer followed from its document through its
 * posting lines to the ERP lines they were summed into, before and after
 * aggregation; a rejected document; a master document; bad requests.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DocumentTrace } from '../../shared/erp/trace-wire.js';
import { adjustment, api, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { runNow } from './aggregation-support.js';
import { ENGINES, describeEngine, expectErrorBody, productId, warehouseId } from './api-support.js';

const WH_MAIN = warehouseId('WH-MAIN');
const TRUCK_1 = warehouseId('TRUCK-1');

for (const engine of ENGINES) {
  describeEngine(engine, 'ERP trace', () => {
    let server: TestServer;
    let admin: string;

    beforeAll(async () => {
      server = await startTestServer({ engine, config: { aggregation: { intervalMs: 0, maxLinesPerJournal: 100, batchSize: 100 } } });
      admin = await server.token('admin');
    });
    afterAll(() => server?.close());

    const trace = (collection: string, id: string) => api<DocumentTrace>(server, admin, 'GET', `/api/v1/admin/erp/trace/${collection}/${encodeURIComponent(id)}`);

    it('follows a transfer from its document to its two posting lines, then to the ERP lines they were summed into', async () => {
      const move = adjustment({ type: 'transfer', warehouseId: WH_MAIN, toWarehouseId: TRUCK_1, productId: productId(1003), quantity: 2.5 });
      // Another document on the same pair and product: the ERP lines then sum more than this transfer.
      const other = adjustment({ type: 'transfer', warehouseId: WH_MAIN, toWarehouseId: TRUCK_1, productId: productId(1003), quantity: 1 });
      expect((await pushNew(server, admin, 'inventoryTransactions', [move, other])).body).toEqual([]);

      const before = await trace('inventoryTransactions', move.id);
      expect(before.status, JSON.stringify(before.body)).toBe(200);
      expect(before.body.document).toMatchObject({ collection: 'inventoryTransactions', id: move.id, status: 'posted', error: null, erpError: null, deleted: false });
      expect(before.body.posting?.outcome).toBe('posted');
      const journalId = before.body.posting?.journalId;
      expect(journalId).toBeTruthy();
      expect(before.body.postingLines.map((l) => [l.warehouseId, l.quantity, l.aggregation])).toEqual([
        [WH_MAIN, -25_000, 'pending'],
        [TRUCK_1, 25_000, 'pending'],
      ]);
      expect(before.body.postingLines.every((l) => l.journalId === journalId && l.journalName === 'transfer' && l.erpJournalId === null)).toBe(true);
      expect(before.body.erpLines).toEqual([]);

      await runNow(server, admin);
      const after = await trace('inventoryTransactions', move.id);
      expect(after.status).toBe(200);
      expect(after.body.postingLines.every((l) => l.aggregation === 'aggregated' && l.erpJournalId !== null && l.erpLineNumber !== null)).toBe(true);
      // One ERP line per side, each holding both transfers (the trace shows how many posting lines it sums).
      expect(after.body.erpLines.map((l) => [l.warehouseId, l.quantity, l.sourceLineCount, l.status]).sort()).toEqual(
        [
          [WH_MAIN, -35_000, 2, 'posted'],
          [TRUCK_1, 35_000, 2, 'posted'],
        ].sort(),
      );
      for (const line of after.body.postingLines) {
        expect(after.body.erpLines.some((e) => e.journalId === line.erpJournalId && e.lineNumber === line.erpLineNumber)).toBe(true);
      }
      // No ERP adapter: nothing went through the outbox and nothing is linked.
      expect(after.body.outbox).toEqual([]);
      expect(after.body.links).toEqual([]);
    });

    it('shows a rejected document with its reason and no posting lines', async () => {
      const bad = adjustment({ warehouseId: WH_MAIN, productId: '00000000-0000-4000-8000-00000000dead', quantity: 1 });
      expect((await pushNew(server, admin, 'inventoryTransactions', [bad])).body).toEqual([]);
      const r = await trace('inventoryTransactions', bad.id);
      expect(r.status).toBe(200);
      expect(r.body.document.status).toBe('rejected');
      expect(r.body.document.error?.code).toBe('unknown-product');
      expect(r.body.posting).toMatchObject({ outcome: 'rejected', journalId: null });
      expect(r.body.postingLines).toEqual([]);
      expect(r.body.erpLines).toEqual([]);
    });

    it('traces a master document (no posting) and answers 404, 400 and 403 with { code, message }', async () => {
      const wh = await trace('warehouses', WH_MAIN);
      expect(wh.status).toBe(200);
      expect(wh.body).toMatchObject({ posting: null, postingLines: [], erpLines: [], outbox: [], links: [] });
      expect(wh.body.document.status).toBeNull();

      const missing = await trace('inventoryTransactions', 'no-such-document');
      expect(missing.status).toBe(404);
      expectErrorBody(missing.body, 'not-found');
      const badCollection = await trace('trucks', WH_MAIN);
      expect(badCollection.status).toBe(400);
      expectErrorBody(badCollection.body, 'invalid-request');
      // FIELDSTOCK_ERP=none has no maps to trace back from.
      const byErp = await api(server, admin, 'GET', '/api/v1/admin/erp/trace-erp/warehouses/5');
      expect(byErp.status).toBe(404);
      expectErrorBody(byErp.body, 'not-found');

      const clerk = await server.token('clerk1');
      const forbidden = await api(server, clerk, 'GET', `/api/v1/admin/erp/trace/warehouses/${WH_MAIN}`);
      expect(forbidden.status).toBe(403);
      expectErrorBody(forbidden.body, 'forbidden');
      expect((await api(server, undefined, 'GET', `/api/v1/admin/erp/trace/warehouses/${WH_MAIN}`)).status).toBe(401);
    });
  });
}
