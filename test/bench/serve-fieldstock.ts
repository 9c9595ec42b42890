/**
 * Bench server process: the real Fieldstock backend (buildApp) on a fresh
 * SQLite folder or PostgreSQL database, seeded through writeTransaction.
 * Started by test/bench/run.ts with an IPC channel; not for direct use.
 *
 * Environment:
 *   BENCH_DATABASE_URL   PostgreSQL database (empty: SQLite in a temp folder)
 *   BENCH_INVENTORY_DOCS N bench inventory documents to seed (0: none)
 *   BENCH_DEMO           "1": seed the demo data (users tech1..3, clerk1, ...)
 *   BENCH_POSTING        "1": seed the posting bench's world and its user (test/bench/posting-data.ts)
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../server/app.js';
import { ensureAdmin } from '../../server/auth/bootstrap.js';
import { loadConfig, type Config } from '../../server/config.js';
import { demoWarehouses } from '../../server/demo/data.js';
import { seedDemo } from '../../server/demo/seed.js';
import { inventoryDocWrite } from '../../server/ledger/state.js';
import { writeTransaction } from '../../server/store/write.js';
import { tempDir } from '../helpers/tmp.js';
import { benchData } from './data.js';
import { BENCH_ADMIN_PASSWORD, BENCH_CLERK, BENCH_CLERK_PASSWORD, type FieldstockStats } from './constants.js';
import { auditPosting } from './posting-audit.js';
import { POSTING_PASSWORD, POSTING_USER, postingWorld, seedPostingWorld } from './posting-data.js';
import { sendReady, serveParent } from './process.js';

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_INVENTORY_DOCS ?? '0');
  const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
  const dir = databaseUrl ? undefined : tempDir('bench-sqlite');
  const config: Config = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    dataDir: dir?.path ?? '',
    databaseUrl,
    adminPassword: BENCH_ADMIN_PASSWORD,
    logLevel: 'silent',
  };
  const fieldstock = await buildApp({ config, logger: false });
  const { store, notifier, auth } = fieldstock.ctx;
  await ensureAdmin(store, auth, BENCH_ADMIN_PASSWORD);
  if (process.env.BENCH_DEMO === '1') await seedDemo(store, notifier, auth);
  const world = process.env.BENCH_POSTING === '1' ? postingWorld() : undefined;
  if (world) {
    await seedPostingWorld(store, world);
    await auth.createUser(
      { username: POSTING_USER, password: POSTING_PASSWORD, role: 'warehouse', warehouseCodes: world.warehouses.map((w) => w.code) },
      world.warehouses.map((w) => w.id),
    );
  }

  const seedStarted = performance.now();
  if (n > 0) {
    const data = benchData(n);
    await writeTransaction(store, notifier, async (w) => {
      for (const d of data.warehouses) w.put({ collection: 'warehouses', id: d.id, data: { ...d, _deleted: false }, scopeA: null, scopeB: null });
      for (const d of data.products) w.put({ collection: 'products', id: d.id, data: { ...d, _deleted: false }, scopeA: null, scopeB: null });
      for (let i = 0; i < data.levels.length; i += 400) {
        await w.trx
          .insertInto('onhand')
          .values(
            data.levels.slice(i, i + 400).map((l) => ({
              warehouse_id: l.warehouseId,
              product_id: l.productId,
              on_hand: l.onHand,
              on_order: l.onOrder,
              ordered: l.ordered,
              last_count_at: null,
            })),
          )
          .execute();
      }
      // The same document writes the ledger makes (inventoryDocWrite), so the stored JSON is the real one.
      for (const l of data.levels) w.put(inventoryDocWrite(l));
    });
    // A warehouse clerk whose scope is every bench warehouse: pulls go through the read-scope filter.
    await auth.createUser(
      { username: BENCH_CLERK, password: BENCH_CLERK_PASSWORD, role: 'warehouse', warehouseCodes: data.warehouses.map((w) => w.code) },
      data.warehouses.map((w) => w.id),
    );
  }
  const seedMs = performance.now() - seedStarted;

  await fieldstock.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = fieldstock.app.server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await fieldstock.close();
      dir?.cleanup();
    })());

  serveParent(
    {
      async postingAudit(expected: unknown) {
        if (!world) throw new Error('postingAudit needs BENCH_POSTING=1');
        return auditPosting(store.db, world.opening, Number(expected));
      },
      async stats(): Promise<FieldstockStats> {
        const postings = await store.db
          .selectFrom('postings')
          .select(['outcome', (eb) => eb.fn.countAll<number>().as('count')])
          .where('source_collection', '=', 'inventoryTransactions')
          .groupBy('outcome')
          .execute();
        const lines = await store.db.selectFrom('journal_lines').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
        const levels = await store.db
          .selectFrom('onhand')
          .select(['warehouse_id', 'product_id', 'on_hand'])
          .where(
            'warehouse_id',
            'in',
            demoWarehouses.map((w) => w.id),
          )
          .execute();
        const docs = await store.db
          .selectFrom('docs')
          .select(['collection', (eb) => eb.fn.countAll<number>().as('count')])
          .groupBy('collection')
          .execute();
        return {
          postedInventoryTransactions: Number(postings.find((p) => p.outcome === 'posted')?.count ?? 0),
          rejectedInventoryTransactions: Number(postings.find((p) => p.outcome === 'rejected')?.count ?? 0),
          journalLines: Number(lines.count),
          onHand: Object.fromEntries(levels.map((l) => [`${l.warehouse_id}~${l.product_id}`, Number(l.on_hand)])),
          docsByCollection: Object.fromEntries(docs.map((d) => [d.collection, Number(d.count)])),
        };
      },
    },
    close,
  );
  sendReady({ type: 'ready', url: `http://127.0.0.1:${port}`, seedMs, engine: store.engine });
}

main().catch((error: unknown) => {
  console.error('serve-fieldstock failed:', error);
  process.exit(1);
});
