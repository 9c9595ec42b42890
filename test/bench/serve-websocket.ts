/**
 * Bench server process: RxDB's own replication server
 * (rxdb/plugins/replication-websocket, startWebsocketServer) on a server-side
 * RxDB database with memory storage, holding the same N inventory documents
 * as our backend. Started by test/bench/run.ts with an IPC channel.
 *
 * Environment: BENCH_INVENTORY_DOCS (N).
 */
import type { AddressInfo } from 'node:net';
import { startWebsocketServer } from 'rxdb/plugins/replication-websocket';
import { benchData } from './data.js';
import { sendReady, serveParent } from './process.js';
import { createInventoryDatabase } from './rxdb.js';

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_INVENTORY_DOCS ?? '0');
  const db = await createInventoryDatabase('bench-ws-server');
  const seedStarted = performance.now();
  const docs = benchData(n).inventory.map(({ _deleted: _d, ...doc }) => doc);
  for (let i = 0; i < docs.length; i += 10_000) {
    const result = await db.inventory.bulkInsert(docs.slice(i, i + 10_000));
    if (result.error.length > 0) throw new Error(`bulkInsert failed for ${result.error.length} documents`);
  }
  const seedMs = performance.now() - seedStarted;
  const count = await db.inventory.count().exec();
  if (count !== n) throw new Error(`websocket server holds ${count} documents, expected ${n}`);

  const server = startWebsocketServer({ database: db, host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve, reject) => {
    server.server.once('listening', () => resolve());
    server.server.once('error', reject);
  });
  const { port } = server.server.address() as AddressInfo;

  serveParent(
    {
      count: () => db.inventory.count().exec(),
    },
    async () => {
      await server.close();
      await db.close();
    },
  );
  sendReady({ type: 'ready', url: `ws://127.0.0.1:${port}`, seedMs });
}

main().catch((error: unknown) => {
  console.error('serve-websocket failed:', error);
  process.exit(1);
});
