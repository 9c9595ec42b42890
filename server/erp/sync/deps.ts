/** What the inbound sync works with, built once by the service. */
import type { FastifyBaseLogger } from 'fastify';
import type { CollectionPolicy } from '../../replication/registry.js';
import type { ChangeNotifier } from '../../store/notifier.js';
import type { Store } from '../../store/open.js';
import type { ErpConnector } from '../connector.js';
import type { EntityMap } from '../maps/types.js';

export type SyncLog = Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;

export interface SyncDeps {
  store: Store;
  notifier: ChangeNotifier;
  connector: ErpConnector;
  /** Every loaded map by name (references point at maps by name). */
  maps: ReadonlyMap<string, EntityMap>;
  registry: ReadonlyMap<string, CollectionPolicy>;
  log: SyncLog;
  overlapMs: number;
  /** ERP records per page. */
  pageSize: number;
}
