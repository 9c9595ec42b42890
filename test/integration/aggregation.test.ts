/**
 * ERP aggregation against the real backend: posted journal lines are summed
 * into ERP journals once, split at the line limit, net-zero lines are not
 * sent, transfers keep both warehouses, posting journals link to their ERP
 * line and replicate to the users in scope, the `none` sink posts, and line
 * statuses only move along the lifecycle.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { aggregateBatch } from '../../server/ledger/aggregation/aggregate.js';
import { deliverErpJournals } from '../../server/ledger/aggregation/deliver.js';
import { moveErpLineStatuses, type ErpLineMove } from '../../server/ledger/aggregation/move-status.js';
import type { ErpJournalSink } from '../../server/ledger/aggregation/sink.js';
import { writeTransaction } from '../../server/store/write.js';
import type { ErpJournal, PostingJournal } from '../../shared/schemas/journals.js';
import { adjustment, api, pullAll, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { auditAggregation, journalIdOf, runNow } from './aggregation-support.js';
import { ENGINES, describeEngine, expectErrorBody, productId, warehouseId, type Doc } from './api-support.js';

const MAX_LINES = 3;
const WH_MAIN = warehouseId('WH-MAIN');
const WH_NORTH = warehouseId('WH-NORTH');
const TRUCK_1 = warehouseId('TRUCK-1');

type Wire<T> = T & { _deleted: boolean };

for (const engine of ENGINES) {
  describeEngine(engine, 'ERP aggregation', () => {
    let server: TestServer;
    let admin: string;

    beforeAll(async () => {
      server = await startTestServer({ engine, config: { aggregation: { intervalMs: 0, maxLinesPerJournal: MAX_LINES, batchSize: 25 } } });
      admin = await server.token('admin');
    });
    afterAll(() => server?.close());

    const db = () => server.fieldstock.ctx.store.db;

    async function postAll(token: string, docs: Doc[]): Promise<string[]> {
      const r = await pushNew(server, token, 'inventoryTransactions', docs);
      expect(r.status).toBe(200);
      expect(r.body).toEqual([]);
      return Promise.all(docs.map((d) => journalIdOf(db(), String(d.id))));
    }

    async function lastJournalSeq(): Promise<number> {
      const rows = await db().selectFrom('docs').select('seq').where('collection', '=', 'journals').execute();
      return Math.max(0, ...rows.map((r) => r.seq));
    }

    async function journalDoc<T>(id: string): Promise<T> {
      const row = await db().selectFrom('docs').select('data').where('collection', '=', 'journals').where('id', '=', id).executeTakeFirstOrThrow();
      return JSON.parse(row.data) as T;
    }

    it('sums each (journal, warehouse, product) into one ERP line equal to its posting lines, and aggregates every line once', async () => {
      const docs = Array.from({ length: 60 }, (_, i) =>
        adjustment({ warehouseId: i % 2 === 0 ? WH_MAIN : WH_NORTH, productId: productId(1001 + (i % 5)), quantity: ((i % 7) - 3 || 1) * 1.25 }),
      );
      await postAll(admin, docs);
      const first = await runNow(server, admin);
      // 25 lines per batch, whole posting journals: several transactions, all in one run.
      expect(first.aggregatedLines).toBeGreaterThanOrEqual(60);
      expect(first.remainingLines).toBe(0);
      const audit = await auditAggregation(db());
      expect(audit.problems).toEqual([]);
      expect(audit.pendingLines).toBe(0);
    });

    it('a second run aggregates nothing and changes no document', async () => {
      const seq = await lastJournalSeq();
      const again = await runNow(server, admin);
      expect(again).toMatchObject({ aggregatedLines: 0, erpJournals: 0, delivered: { journals: 0 } });
      const after = await api<{ documents: Doc[] }>(server, admin, 'GET', `/api/v1/replication/journals/pull?checkpoint=${encodeURIComponent(JSON.stringify({ seq }))}`);
      expect(after.status).toBe(200);
      expect(after.body.documents).toEqual([]);
    });

    it(`splits an ERP journal at ${MAX_LINES} lines`, async () => {
      const products = Array.from({ length: 7 }, (_, i) => productId(1101 + i));
      await postAll(admin, products.map((p) => adjustment({ type: 'consumption', warehouseId: WH_NORTH, productId: p, quantity: 1 })));
      const run = await runNow(server, admin);
      expect(run.aggregatedLines).toBe(7);
      expect(run.erpJournals).toBe(3);
      const heads = await db().selectFrom('erp_journals').selectAll().where('journal_name', '=', 'consumption').where('warehouse_id', '=', WH_NORTH).execute();
      expect(heads.map((h) => h.line_count).sort()).toEqual([1, 3, 3]);
      const lines = await db().selectFrom('erp_journal_lines').select(['product_id', 'quantity']).where('journal_id', 'in', heads.map((h) => h.id)).execute();
      expect(lines.map((l) => l.product_id).sort()).toEqual([...products].sort());
      expect(lines.every((l) => Number(l.quantity) === -10_000)).toBe(true);
    });

    it('marks a line that nets to zero do-not-sync and never sends it; the other lines are posted', async () => {
      const zero = productId(1120);
      const moved = productId(1121);
      const [plus, minus, other] = await postAll(admin, [
        adjustment({ warehouseId: WH_MAIN, productId: zero, quantity: 2.5 }),
        adjustment({ warehouseId: WH_MAIN, productId: zero, quantity: -2.5 }),
        adjustment({ warehouseId: WH_MAIN, productId: moved, quantity: 4 }),
      ]);
      const run = await runNow(server, admin);
      expect(run.doNotSyncLines).toBe(1);
      const plusDoc = await journalDoc<PostingJournal>(plus as string);
      const minusDoc = await journalDoc<PostingJournal>(minus as string);
      const otherDoc = await journalDoc<PostingJournal>(other as string);
      const link = plusDoc.lines[0]?.erpJournal;
      expect(link).toBeDefined();
      expect(minusDoc.lines[0]?.erpJournal).toEqual(link);
      const erp = await journalDoc<ErpJournal>(link?.id ?? '');
      const line = erp.lines.find((l) => l.lineNumber === link?.lineNumber);
      expect(line).toMatchObject({ productId: zero, quantity: 0, sourceLineCount: 2, status: 'do-not-sync' });
      expect(line).not.toHaveProperty('erpJournalId');
      const otherLink = otherDoc.lines[0]?.erpJournal;
      const otherErp = await journalDoc<ErpJournal>(otherLink?.id ?? '');
      expect(otherErp.lines.find((l) => l.lineNumber === otherLink?.lineNumber)).toMatchObject({ productId: moved, quantity: 4, status: 'posted' });
    });

    it('an ERP journal whose every line nets to zero is do-not-sync as a whole', async () => {
      const p = productId(1130);
      await postAll(admin, [adjustment({ warehouseId: TRUCK_1, productId: p, quantity: 1 }), adjustment({ warehouseId: TRUCK_1, productId: p, quantity: -1 })]);
      const run = await runNow(server, admin);
      expect(run).toMatchObject({ aggregatedLines: 2, erpJournals: 1, doNotSyncLines: 1, delivered: { journals: 0 } });
      const head = await db().selectFrom('erp_journals').selectAll().where('warehouse_id', '=', TRUCK_1).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      expect(head.status).toBe('do-not-sync');
      expect((await journalDoc<ErpJournal>(head.id)).status).toBe('do-not-sync');
    });

    it('a transfer journal keeps both warehouses: where stock left and where it arrived', async () => {
      const p = productId(1140);
      const [first] = await postAll(admin, [
        adjustment({ type: 'transfer', warehouseId: WH_MAIN, toWarehouseId: WH_NORTH, productId: p, quantity: 3 }),
        adjustment({ type: 'transfer', warehouseId: WH_MAIN, toWarehouseId: WH_NORTH, productId: p, quantity: 2 }),
      ]);
      await runNow(server, admin);
      const posting = await journalDoc<PostingJournal>(first as string);
      expect(posting.status).toBe('aggregated');
      const [out, into] = posting.lines;
      expect(out?.erpJournal?.id).toBe(into?.erpJournal?.id);
      const erp = await journalDoc<ErpJournal>(out?.erpJournal?.id ?? '');
      expect(erp).toMatchObject({ kind: 'erp', journalName: 'transfer', warehouseId: WH_MAIN, toWarehouseId: WH_NORTH, status: 'posted' });
      expect(erp.lines.find((l) => l.lineNumber === out?.erpJournal?.lineNumber)).toMatchObject({ warehouseId: WH_MAIN, productId: p, quantity: -5, sourceLineCount: 2 });
      expect(erp.lines.find((l) => l.lineNumber === into?.erpJournal?.lineNumber)).toMatchObject({ warehouseId: WH_NORTH, productId: p, quantity: 5, sourceLineCount: 2 });
    });

    it('the aggregated posting journal and its ERP journal reach the technician of the truck by pull, and no other technician', async () => {
      const [tech1, tech2] = await Promise.all([server.token('tech1'), server.token('tech2')]);
      const tx = adjustment({ warehouseId: TRUCK_1, productId: productId(1150), quantity: 6 });
      const [journalId] = await postAll(tech1, [tx]);
      const before = await pullAll<Wire<PostingJournal>>(server, tech1, 'journals');
      expect(before.find((j) => j.id === journalId)).toMatchObject({ kind: 'posting', status: 'posted' });
      const seq = await lastJournalSeq();

      await runNow(server, admin);
      const changed = await api<{ documents: Wire<PostingJournal | ErpJournal>[] }>(
        server,
        tech1,
        'GET',
        `/api/v1/replication/journals/pull?limit=1000&checkpoint=${encodeURIComponent(JSON.stringify({ seq }))}`,
      );
      expect(changed.status).toBe(200);
      const posting = changed.body.documents.find((d) => d.id === journalId) as Wire<PostingJournal> | undefined;
      expect(posting).toMatchObject({ kind: 'posting', status: 'aggregated', sourceId: tx.id });
      const link = posting?.lines[0]?.erpJournal;
      expect(link).toEqual({ id: expect.any(String), lineNumber: expect.any(Number) });
      const erp = changed.body.documents.find((d) => d.id === link?.id) as Wire<ErpJournal> | undefined;
      expect(erp).toMatchObject({ kind: 'erp', warehouseId: TRUCK_1, status: 'posted' });
      expect(erp?.lines.find((l) => l.lineNumber === link?.lineNumber)).toMatchObject({ productId: productId(1150), quantity: 6, status: 'posted' });

      const other = await pullAll<Doc>(server, tech2, 'journals');
      expect(other.map((d) => d.id)).not.toContain(journalId);
      expect(other.map((d) => d.id)).not.toContain(link?.id);
    });

    it('the none sink posts locally: lines reach posted without ERP ids, and admins list journals by status, page by page', async () => {
      const posted = await db().selectFrom('erp_journal_lines').selectAll().where('status', '=', 'posted').execute();
      expect(posted.length).toBeGreaterThan(0);
      expect(posted.every((l) => l.erp_journal_id === null && l.erp_line_id === null)).toBe(true);
      expect(await db().selectFrom('erp_journal_lines').select('status').where('status', 'not in', ['posted', 'do-not-sync']).execute()).toEqual([]);

      const expected = await db().selectFrom('erp_journals').select('id').where('status', '=', 'posted').execute();
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const qs: URLSearchParams = new URLSearchParams({ status: 'posted', limit: '2', ...(cursor ? { cursor } : {}) });
        const page: { status: number; body: { journals: ErpJournal[]; nextCursor: string | null } } = await api<{ journals: ErpJournal[]; nextCursor: string | null }>(server, admin, 'GET', `/api/v1/admin/erp-journals?${qs.toString()}`);
        expect(page.status).toBe(200);
        expect(page.body.journals.length).toBeLessThanOrEqual(2);
        for (const j of page.body.journals) {
          expect(j.status).toBe('posted');
          expect(j.lines.length).toBeGreaterThan(0);
          seen.push(j.id);
        }
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(expected.map((e) => e.id).sort());

      const zero = await api<{ journals: ErpJournal[] }>(server, admin, 'GET', '/api/v1/admin/erp-journals?status=do-not-sync');
      expect(zero.body.journals.map((j) => j.status)).toEqual(zero.body.journals.map(() => 'do-not-sync'));
      expect(zero.body.journals.length).toBeGreaterThan(0);

      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toContain(`fieldstock_erp_journal_lines{status="posted"} ${posted.length}`);
      expect(metrics).toContain('fieldstock_erp_journal_lines{status="create-error"} 0');
      expect(metrics).toContain('fieldstock_journal_lines_awaiting_aggregation 0');
    });

    it('answers { code, message } to a bad status or cursor, and 403 to anyone but an admin', async () => {
      const badStatus = await api(server, admin, 'GET', '/api/v1/admin/erp-journals?status=shipped');
      expect(badStatus.status).toBe(400);
      expectErrorBody(badStatus.body, 'invalid-request');
      const badCursor = await api(server, admin, 'GET', '/api/v1/admin/erp-journals?cursor=not-a-cursor');
      expect(badCursor.status).toBe(400);
      expectErrorBody(badCursor.body, 'invalid-request');
      const clerk = await server.token('clerk1');
      for (const [method, path] of [
        ['GET', '/api/v1/admin/erp-journals'],
        ['POST', '/api/v1/admin/aggregation/run'],
      ] as const) {
        const r = await api(server, clerk, method, path);
        expect(r.status).toBe(403);
        expectErrorBody(r.body, 'forbidden');
        const anonymous = await api(server, undefined, method, path);
        expect(anonymous.status).toBe(401);
      }
    });

    it('refuses an illegal status move and writes nothing, all or none', async () => {
      const line = await db().selectFrom('erp_journal_lines').selectAll().where('status', '=', 'posted').executeTakeFirstOrThrow();
      const zero = await db().selectFrom('erp_journal_lines').selectAll().where('status', '=', 'do-not-sync').executeTakeFirstOrThrow();
      const docBefore = await db().selectFrom('docs').select(['seq', 'data']).where('collection', '=', 'journals').where('id', '=', line.journal_id).executeTakeFirstOrThrow();
      const attempts: ErpLineMove[][] = [
        [{ journalId: line.journal_id, lineNumber: line.line_number, to: 'sent' }],
        [{ journalId: zero.journal_id, lineNumber: zero.line_number, to: 'sent' }],
        [{ journalId: line.journal_id, lineNumber: line.line_number, to: 'post-error', error: { code: 'late', message: 'too late' } }],
      ];
      for (const moves of attempts) {
        const result = await writeTransaction(server.fieldstock.ctx.store, server.fieldstock.ctx.notifier, (w) => moveErpLineStatuses(w, moves));
        expect(result).toMatchObject({ ok: false, code: 'status-not-allowed' });
      }
      const unknown = await writeTransaction(server.fieldstock.ctx.store, undefined, (w) => moveErpLineStatuses(w, [{ journalId: 'nope', lineNumber: 1, to: 'sent' }]));
      expect(unknown).toMatchObject({ ok: false, code: 'not-found' });
      const after = await db().selectFrom('erp_journal_lines').selectAll().where('journal_id', '=', line.journal_id).where('line_number', '=', line.line_number).executeTakeFirstOrThrow();
      expect(after).toEqual(line);
      const docAfter = await db().selectFrom('docs').select(['seq', 'data']).where('collection', '=', 'journals').where('id', '=', line.journal_id).executeTakeFirstOrThrow();
      expect(docAfter).toEqual(docBefore);
    });

    it('an ERP that refuses shows create-error with its message; a retry walks sent → created-in-erp → posted with the ERP ids', async () => {
      const ctx = server.fieldstock.ctx;
      await postAll(admin, [adjustment({ warehouseId: WH_NORTH, productId: productId(1160), quantity: 9 })]);
      // Aggregate only: the `none` sink of the admin route must not deliver these.
      const batch = await aggregateBatch(ctx.store, ctx.notifier, { batchSize: 100, maxLinesPerJournal: MAX_LINES });
      expect(batch.erpJournalIds).toHaveLength(1);
      const erpId = batch.erpJournalIds[0] as string;
      const calls: string[] = [];
      const refusing: ErpJournalSink = {
        name: 'refusing',
        create: (j) => (calls.push(`create ${j.id}`), Promise.resolve({ ok: false, error: { code: 'erp-refused', message: 'Location WH-NORTH is unknown to the ERP.' } })),
        post: (j) => (calls.push(`post ${j.id}`), Promise.resolve({ ok: true })),
      };
      const delivered = await deliverErpJournals(ctx.store, ctx.notifier, refusing, 10);
      expect(delivered).toMatchObject({ journals: 1, createErrorLines: 1, postedLines: 0 });
      expect(calls).toEqual([`create ${erpId}`]);
      const failed = await journalDoc<ErpJournal>(erpId);
      expect(failed.status).toBe('create-error');
      expect(failed.lines[0]).toMatchObject({ status: 'create-error', error: { code: 'erp-refused', message: 'Location WH-NORTH is unknown to the ERP.' } });
      // Nothing else picks up an errored line: a second delivery finds nothing.
      expect((await deliverErpJournals(ctx.store, ctx.notifier, refusing, 10)).journals).toBe(0);

      const move = (moves: ErpLineMove[]) => writeTransaction(ctx.store, ctx.notifier, (w) => moveErpLineStatuses(w, moves));
      expect(await move([{ journalId: erpId, lineNumber: 1, to: 'posted' }])).toMatchObject({ ok: false, code: 'status-not-allowed' });
      expect(await move([{ journalId: erpId, lineNumber: 1, to: 'sent' }])).toMatchObject({ ok: true, moved: 1 });
      expect(await move([{ journalId: erpId, lineNumber: 1, to: 'created-in-erp', erpJournalId: 'T-41', erpLineId: 'T-41/1' }])).toMatchObject({ ok: true });
      expect(await move([{ journalId: erpId, lineNumber: 1, to: 'post-error' }])).toMatchObject({ ok: false, code: 'invalid-request' });
      expect(await move([{ journalId: erpId, lineNumber: 1, to: 'post-error', error: { code: 'erp-period-closed', message: 'Period closed.' } }])).toMatchObject({ ok: true });
      expect((await journalDoc<ErpJournal>(erpId)).status).toBe('post-error');
      expect(await move([{ journalId: erpId, lineNumber: 1, to: 'created-in-erp' }, { journalId: erpId, lineNumber: 1, to: 'posted' }])).toMatchObject({ ok: true });
      const done = await journalDoc<ErpJournal>(erpId);
      expect(done.status).toBe('posted');
      expect(done.lines[0]).toEqual({ lineNumber: 1, warehouseId: WH_NORTH, productId: productId(1160), quantity: 9, sourceLineCount: 1, status: 'posted', erpJournalId: 'T-41', erpLineId: 'T-41/1' });
      expect((await auditAggregation(ctx.store.db)).problems).toEqual([]);
    });

    it('a sink that throws on post leaves post-error with the reason, not a crash', async () => {
      const ctx = server.fieldstock.ctx;
      await postAll(admin, [adjustment({ warehouseId: WH_NORTH, productId: productId(1161), quantity: 2 })]);
      const batch = await aggregateBatch(ctx.store, ctx.notifier, { batchSize: 100, maxLinesPerJournal: MAX_LINES });
      const erpId = batch.erpJournalIds[0] as string;
      const flaky: ErpJournalSink = {
        name: 'flaky',
        create: (j) => Promise.resolve({ ok: true, erpJournalId: `E-${j.id.slice(0, 4)}`, erpLineIds: new Map(j.lines.map((l) => [l.lineNumber, `L-${l.lineNumber}`])) }),
        post: () => Promise.reject(new Error('connection reset by the ERP')),
      };
      const delivered = await deliverErpJournals(ctx.store, ctx.notifier, flaky, 10);
      expect(delivered).toMatchObject({ journals: 1, postErrorLines: 1 });
      const doc = await journalDoc<ErpJournal>(erpId);
      expect(doc.lines[0]).toMatchObject({ status: 'post-error', erpJournalId: `E-${erpId.slice(0, 4)}`, erpLineId: 'L-1', error: { message: 'connection reset by the ERP' } });
    });
  });
}
