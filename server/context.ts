import type { AuthService } from './auth/service.js';
import type { Config } from './config.js';
import type { OutboxHandlers } from './erp/outbox/handlers.js';
import type { ErpSyncService } from './erp/sync/service.js';
import type { ErpRuntime } from './erp/sync/startup.js';
import type { Metrics } from './ops/metrics.js';
import type { PushWritten } from './replication/push.js';
import type { CollectionPolicy } from './replication/registry.js';
import type { ChangeNotifier } from './store/notifier.js';
import type { Store } from './store/open.js';
import type { WriteHooks } from './store/write.js';

/** What routes need, built once at start and passed down (no globals). */
export interface AppContext {
  config: Config;
  store: Store;
  notifier: ChangeNotifier;
  auth: AuthService;
  registry: Map<string, CollectionPolicy>;
  metrics: Metrics;
  hooks: WriteHooks;
  /** The ERP connector and its validated maps; undefined with FIELDSTOCK_ERP=none. */
  erp: ErpRuntime | undefined;
  /** This app's ERP outbox handlers: the worker delivers with them, the admin status reads them (empty with FIELDSTOCK_ERP=none). */
  outboxHandlers: OutboxHandlers;
  /** The inbound ERP sync (server/erp/sync/); undefined with FIELDSTOCK_ERP=none. */
  erpSync: ErpSyncService | undefined;
  /** Queues pushed changes of two-way ERP maps (server/erp/sync/outbound/); set only while an ERP sync runs. */
  onPushWritten?: PushWritten | undefined;
  /** Streams to end on shutdown. */
  closing: { closed: boolean; handlers: Set<() => void> };
}
