/**
 * Start-up of the ERP side of the backend: with an ERP configured, the maps
 * are loaded and validated first (a broken map refuses the start, with every
 * problem listed), then the connector is made through the adapter registry.
 * No network call happens here: an ERP that is down at start is a failed
 * sync run, retried on the next round, not a backend that will not start.
 */
import type { Config } from '../../config.js';
import type { AppContext } from '../../context.js';
import type { ErpConnector, ErpReceiptFlow } from '../connector.js';
import { loadMapsOrThrow } from '../maps/index.js';
import type { MapSet } from '../maps/types.js';
import type { OutboxHandlers } from '../outbox/handlers.js';
import type { OutboxLog } from '../outbox/worker.js';
import { createErpConnector } from '../registry.js';
import type { SyncLog } from './deps.js';
import { registerErpOutbound, type ErpOutbound } from './outbound/register.js';
import { ErpSyncService } from './service.js';
import { ErpLevelsService } from '../levels/service.js';
import { levelSourceFor } from '../levels/source.js';
import { ErpSyncWithLevels } from '../levels/with-sync.js';

export interface ErpRuntime {
  connector: ErpConnector;
  maps: MapSet;
}

/** The connector and maps, or undefined with FIELDSTOCK_ERP=none; throws MapConfigError for broken maps. */
export async function openErp(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<ErpRuntime | undefined> {
  if (config.erp === 'none') return undefined;
  const maps = loadMapsOrThrow(config.erpSync.mapsDir);
  const connector = await createErpConnector(config, env);
  return { connector, maps };
}

/** The inbound sync over the app's store, with its timer started (FIELDSTOCK_ERP_SYNC_INTERVAL_MS; 0: on demand only). */
export function startErpSync(ctx: Pick<AppContext, 'config' | 'store' | 'notifier' | 'registry' | 'metrics'>, erp: ErpRuntime, log: SyncLog): ErpSyncService {
  const { intervalMs, overlapMs, reconcileIntervalMs } = ctx.config.erpSync;
  const deps = { store: ctx.store, notifier: ctx.notifier, connector: erp.connector, registry: ctx.registry, log };
  // Levels from the ERP for externally maintained warehouses run after the maps of a round (server/erp/levels/).
  const source = levelSourceFor(erp.connector);
  const levels = source ? new ErpLevelsService({ ...deps, maps: erp.maps, source, ledger: ctx.config.ledger }) : undefined;
  const options = { intervalMs, overlapMs, reconcileIntervalMs };
  const service = levels
    ? new ErpSyncWithLevels(deps, erp.maps, options, ctx.metrics.registry, levels, ctx.config.erpLevels.intervalMs)
    : new ErpSyncService(deps, erp.maps, options, ctx.metrics.registry);
  service.start();
  return service;
}

/**
 * Receipts to the ERP, where the adapter delivers them (Tryton): the
 * ledger's receipt hook, which queues them in the posting transaction, and
 * the outbox handler, on the app's handlers. Undefined for adapters without receipts.
 */
export function wireErpReceipts(erp: ErpRuntime, handlers: OutboxHandlers, log: OutboxLog): ErpReceiptFlow | undefined {
  return erp.connector.registerReceipts?.(handlers, log);
}

/**
 * Fieldstock → ERP for two-way maps (warehouses): pushed changes are queued
 * through ctx.onPushWritten and delivered by outbox handlers. Call unregister on close.
 */
export function wireErpOutbound(ctx: Pick<AppContext, 'config' | 'store' | 'notifier' | 'registry' | 'onPushWritten' | 'outboxHandlers'>, erp: ErpRuntime, log: SyncLog): ErpOutbound {
  const deps = { store: ctx.store, notifier: ctx.notifier, connector: erp.connector, registry: ctx.registry, log, overlapMs: ctx.config.erpSync.overlapMs, pageSize: 100 };
  const outbound = registerErpOutbound(deps, erp.maps, ctx.outboxHandlers);
  ctx.onPushWritten = outbound.onPushWritten;
  return {
    ...outbound,
    unregister() {
      ctx.onPushWritten = undefined;
      outbound.unregister();
    },
  };
}
