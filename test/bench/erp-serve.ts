/**
 * ERP bench server process: the real Fieldstock backend (buildApp) on a fresh
 * SQLite folder, configured from the environment as an operator would
 * (FIELDSTOCK_ERP=tryton, FIELDSTOCK_TRYTON_*, FIELDSTOCK_AGGREGATION_INTERVAL_MS),
 * seeded with the demo data and the ERP bench products. Started by
 * test/bench/erp.ts with an IPC channel; not for direct use.
 *
 * The bench counts the HTTP requests this process sends to Tryton by wrapping
 * this process's global fetch (the connector's transport) here, in bench code.
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../server/app.js';
import { ensureAdmin } from '../../server/auth/bootstrap.js';
import { loadConfig, type Config } from '../../server/config.js';
import { seedDemo } from '../../server/demo/seed.js';
import { aggregateBatch } from '../../server/ledger/aggregation/aggregate.js';
import { deliverErpJournals } from '../../server/ledger/aggregation/deliver.js';
import { sinkFor } from '../../server/ledger/aggregation/sink.js';
import { writeTransaction } from '../../server/store/write.js';
import { tempDir } from '../helpers/tmp.js';
import { BENCH_ADMIN_PASSWORD } from './constants.js';
import { erpBenchProducts, type AggregateResult, type DeliverResult, type ErpLineRow } from './erp-data.js';
import { sendReady, serveParent } from './process.js';

/** Journals per delivery round, as the server's own aggregation run takes them. */
const DELIVERY_JOURNALS_PER_ROUND = 50;

const trytonUrl = process.env.FIELDSTOCK_TRYTON_URL ?? '';
let trytonCalls = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const target = input instanceof Request ? input.url : String(input);
  if (trytonUrl && target.startsWith(trytonUrl)) trytonCalls += 1;
  return realFetch(input, init);
};

async function main(): Promise<void> {
  const dir = tempDir('bench-erp');
  const config: Config = {
    ...loadConfig(process.env),
    host: '127.0.0.1',
    port: 0,
    dataDir: dir.path,
    databaseUrl: undefined,
    adminPassword: BENCH_ADMIN_PASSWORD,
    logLevel: 'silent',
  };
  const fieldstock = await buildApp({ config, logger: false });
  const { store, notifier, auth } = fieldstock.ctx;
  const seedStarted = performance.now();
  await ensureAdmin(store, auth, BENCH_ADMIN_PASSWORD);
  await seedDemo(store, notifier, auth);
  await writeTransaction(store, notifier, async (w) => {
    for (const p of erpBenchProducts()) w.put({ collection: 'products', id: p.id, data: { ...p, _deleted: false }, scopeA: null, scopeB: null });
  });
  const seedMs = performance.now() - seedStarted;

  await fieldstock.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = fieldstock.app.server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await fieldstock.close();
      dir.cleanup();
    })());

  serveParent(
    {
      /** Every posting line waiting, into ERP journals (the first half of an aggregation run). */
      async aggregate(): Promise<AggregateResult> {
        const result: AggregateResult = { ms: 0, lines: 0, erpJournals: 0, erpLines: 0 };
        const started = performance.now();
        for (;;) {
          const batch = await aggregateBatch(store, notifier, config.aggregation);
          if (batch.lines === 0) break;
          result.lines += batch.lines;
          result.erpJournals += batch.erpJournals;
          result.erpLines += batch.erpLines;
        }
        result.ms = performance.now() - started;
        return result;
      },
      /** Every `created` ERP journal through the configured sink, create then post (the second half). */
      async deliver(): Promise<DeliverResult> {
        const sink = await sinkFor(config, fieldstock.ctx.erp?.connector);
        if (!sink) throw new Error(`no journal sink for FIELDSTOCK_ERP=${config.erp}`);
        const result: DeliverResult = { ms: 0, journals: 0, postedLines: 0, createErrorLines: 0, postErrorLines: 0, trytonCalls: 0 };
        const callsBefore = trytonCalls;
        const started = performance.now();
        for (;;) {
          const round = await deliverErpJournals(store, notifier, sink, DELIVERY_JOURNALS_PER_ROUND);
          if (round.journals === 0) break;
          result.journals += round.journals;
          result.postedLines += round.postedLines;
          result.createErrorLines += round.createErrorLines;
          result.postErrorLines += round.postErrorLines;
        }
        result.ms = performance.now() - started;
        result.trytonCalls = trytonCalls - callsBefore;
        return result;
      },
      async erpLines(): Promise<ErpLineRow[]> {
        const rows = await store.db.selectFrom('erp_journal_lines').select(['journal_id', 'line_number', 'status', 'erp_line_id', 'error_message']).execute();
        return rows.map((r) => ({ journalId: r.journal_id, lineNumber: r.line_number, status: r.status, erpLineId: r.erp_line_id, errorMessage: r.error_message }));
      },
    },
    close,
  );
  sendReady({ type: 'ready', url: `http://127.0.0.1:${port}`, seedMs });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
