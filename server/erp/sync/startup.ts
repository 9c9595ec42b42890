/**
 * Start-up of the ERP side of the backend: with an ERP configured, the maps
 * are loaded and validated first (a broken map refuses the start, with every
 * problem listed), then the connector is made through the adapter registry.
 * No network call happens here: an ERP that is down at start is a failed
 * sync run, retried on the next round, not a backend that will not start.
 */
import type { Config } from '../../config.js';
import type { AppContext } from '../../context.js';
import type { ErpConnector } from '../connector.js';
import { loadMapsOrThrow } from '../maps/index.js';
import type { MapSet } from '../maps/types.js';
import { createErpConnector } from '../registry.js';
import type { SyncLog } from './deps.js';
import { ErpSyncService } from './service.js';

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
  const service = new ErpSyncService(
    { store: ctx.store, notifier: ctx.notifier, connector: erp.connector, registry: ctx.registry, log },
    erp.maps,
    { intervalMs, overlapMs, reconcileIntervalMs },
    ctx.metrics.registry,
  );
  service.start();
  return service;
}
