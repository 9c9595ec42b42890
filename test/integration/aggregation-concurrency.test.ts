/**
 * Never aggregated twice: two backend instances on one store (PostgreSQL:
 * two connection pools; SQLite: a second process on the same file) run
 * aggregation again and again while clients keep posting. Every posting line
 * ends in exactly one ERP line, the run answers add up to the lines posted,
 * and every posting journal document links each line to the ERP line that
 * really carries it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PostingJournal } from '../../shared/schemas/journals.js';
import type { LoginResponse } from '../../shared/wire.js';
import { spawnServer } from '../helpers/server-process.js';
import { ADMIN_PASSWORD, adjustment, api, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { auditAggregation, runNow, type RunAnswer } from './aggregation-support.js';
import { ENGINES, describeEngine, productId, warehouseId } from './api-support.js';

const WAREHOUSES = [warehouseId('WH-MAIN'), warehouseId('WH-NORTH')];

for (const engine of ENGINES) {
  describeEngine(engine, 'ERP aggregation from two instances at once', () => {
    let server: TestServer;
    let second: { url: string };
    let closeSecond: (() => Promise<unknown>) | undefined;
    let adminA: string;
    let adminB: string;

    beforeAll(async () => {
      // Small batches: many aggregation transactions, interleaved with the other instance's.
      server = await startTestServer({ engine, config: { aggregation: { intervalMs: 0, maxLinesPerJournal: 4, batchSize: 7 } } });
      if (engine === 'postgres') {
        const instance = await startTestServer({ engine, reuse: { databaseUrl: server.databaseUrl, dataDir: server.dataDir } });
        second = instance;
        closeSecond = () => instance.close();
      } else {
        const instance = await spawnServer({ dataDir: server.dataDir });
        second = instance;
        closeSecond = () => instance.stop();
      }
      adminA = await server.token('admin');
      const login = await api<LoginResponse>(second, undefined, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
      expect(login.status).toBe(200);
      adminB = login.body.accessToken;
    });

    afterAll(async () => {
      await closeSecond?.();
      await server?.close();
    });

    it('aggregates every posting line exactly once while both instances run it repeatedly and clients keep posting', async () => {
      const db = server.fieldstock.ctx.store.db;
      const before = (await db.selectFrom('journal_lines').select('id').execute()).length;
      const batches = Array.from({ length: 8 }, (_, b) =>
        Array.from({ length: 25 }, (_, i) =>
          adjustment({ warehouseId: WAREHOUSES[(b + i) % 2] as string, productId: productId(1001 + ((b * 25 + i) % 9)), quantity: (((b + i) % 5) - 2 || 3) * 0.5 }),
        ),
      );
      const answers: RunAnswer[] = [];
      const run = async (target: { url: string }, token: string, times: number) => {
        for (let i = 0; i < times; i++) answers.push(await runNow(target, token));
      };
      const pushes = batches.map(async (docs, b) => {
        const r = await pushNew(b % 2 === 0 ? server : second, b % 2 === 0 ? adminA : adminB, 'inventoryTransactions', docs);
        expect(r.status).toBe(200);
        expect(r.body).toEqual([]);
      });
      await Promise.all([...pushes, run(server, adminA, 4), run(second, adminB, 4), run(server, adminA, 3), run(second, adminB, 3)]);
      // Whatever was posted after the last concurrent run started.
      answers.push(await runNow(server, adminA));

      const posted = (await db.selectFrom('journal_lines').select('id').execute()).length - before;
      expect(posted).toBe(200);
      expect(answers.reduce((n, a) => n + a.aggregatedLines, 0)).toBe(posted);
      const audit = await auditAggregation(db);
      expect(audit.problems).toEqual([]);
      expect(audit.pendingLines).toBe(0);

      // Each posting journal document says what the table says, line by line.
      const links = new Map(
        (await db.selectFrom('journal_lines').select(['journal_id', 'line_number', 'erp_journal_id', 'erp_line_number']).execute()).map((l) => [
          `${l.journal_id}#${l.line_number}`,
          { id: l.erp_journal_id, lineNumber: l.erp_line_number },
        ]),
      );
      const docs = await db.selectFrom('docs').select('data').where('collection', '=', 'journals').execute();
      const postings = docs.map((d) => JSON.parse(d.data) as PostingJournal | { kind: 'erp' }).filter((d): d is PostingJournal => d.kind === 'posting');
      expect(postings.length).toBeGreaterThanOrEqual(200);
      for (const p of postings) {
        expect(p.status, p.id).toBe('aggregated');
        for (const l of p.lines) expect(l.erpJournal, `${p.id}#${l.lineNumber}`).toEqual(links.get(`${p.id}#${l.lineNumber}`));
      }
    });
  });
}
