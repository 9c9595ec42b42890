/**
 * A backend instance's outbox worker in its own process, for
 * erp-outbox-crash.test.ts to kill -9 in the middle of a delivery: it opens
 * the store (FIELDSTOCK_DATA_DIR or DATABASE_URL), delivers the map
 * OUTBOX_MAP to the ERP at OUTBOX_ERP_URL once, and prints the result.
 */
import { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import { OUTBOX_DEFAULTS } from '../../server/erp/outbox/config.js';
import { runOutboxOnce } from '../../server/erp/outbox/worker.js';
import { openStore } from '../../server/store/open.js';
import { erpHandler } from './erp-outbox-erp.js';

const env = process.env;
const store = await openStore({ dataDir: env.FIELDSTOCK_DATA_DIR ?? '', databaseUrl: env.DATABASE_URL || undefined });
const handlers = new OutboxHandlers();
handlers.register(env.OUTBOX_MAP ?? '', 'create', erpHandler(env.OUTBOX_ERP_URL ?? ''));
const result = await runOutboxOnce({ store, handlers, config: { ...OUTBOX_DEFAULTS, leaseMs: 120_000 }, callTimeoutMs: 60_000 });
process.stdout.write(`${JSON.stringify(result)}\n`);
await store.close();
