/**
 * The inbound sync with the levels run after its maps: levels need the
 * warehouses and products the maps link, so a round first syncs them, then
 * (every FIELDSTOCK_ERP_LEVELS_INTERVAL_MS; 0: only on demand) reads the
 * ERP's levels. It rides the sync's timer, so with the sync on demand only
 * (interval 0) levels run only on demand too.
 */
import type { Registry } from 'prom-client';
import { ErpSyncService, type ErpSyncOptions } from '../sync/service.js';
import type { SyncDeps, SyncLog } from '../sync/deps.js';
import type { MapSet } from '../maps/types.js';
import type { ErpLevelsService } from './service.js';

export class ErpSyncWithLevels extends ErpSyncService {
  /** 0: the first round after start runs levels (catching up on what changed while the backend was down). */
  #lastLevels = 0;
  readonly #log: SyncLog;

  constructor(
    deps: Omit<SyncDeps, 'maps' | 'overlapMs' | 'pageSize'>,
    set: MapSet,
    options: ErpSyncOptions,
    registry: Registry | undefined,
    readonly levels: ErpLevelsService,
    private readonly levelsIntervalMs: number,
  ) {
    super(deps, set, options, registry);
    this.#log = deps.log;
  }

  override async round(): Promise<void> {
    await super.round();
    if (this.levelsIntervalMs <= 0 || Date.now() - this.#lastLevels < this.levelsIntervalMs) return;
    this.#lastLevels = Date.now();
    try {
      const run = await this.levels.run();
      const skipped = run.warehouses.filter((w) => w.skipped);
      if (skipped.length > 0) this.#log.warn({ runId: run.runId, skipped: skipped.map((w) => ({ warehouse: w.warehouseCode, ...w.skipped })) }, 'ERP levels: some warehouses were left for the next run');
    } catch (error) {
      // A failed run is the next round's to retry; the sync goes on.
      this.#log.error({ err: error }, 'ERP levels run failed');
    }
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.levels.idle();
  }
}

/** The levels of a sync service started with them (undefined for adapters without levels, or no ERP). */
export function erpLevelsOf(sync: ErpSyncService | undefined): ErpLevelsService | undefined {
  return sync instanceof ErpSyncWithLevels ? sync.levels : undefined;
}
