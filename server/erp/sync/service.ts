/**
 * The inbound ERP sync of one backend instance: runs each inbound map's
 * change feed on a timer (initial sweep first, then changes since the
 * cursor), reconciles deletions less often, and answers the admin API.
 * One run per map at a time; a failed run is logged, counted and stored as
 * the map's last error, and never stops the timer or the server.
 */
import type { Registry } from 'prom-client';
import { startAggregationTimer, type AggregationTimer } from '../../ledger/aggregation/timer.js';
import { isErpError } from '../errors.js';
import type { EntityMap, MapSet } from '../maps/types.js';
import type { SyncDeps } from './deps.js';
import { inboundMaps, inboundReason } from './inbound-maps.js';
import { queueUnlinkedForErp } from './outbound/initial.js';
import { outboundMaps } from './outbound/maps.js';
import { createSyncMetrics, type SyncMetrics } from './metrics.js';
import { reconcile } from './reconcile.js';
import { readSyncState, writeSyncState } from './state.js';
import { sweep } from './sweep.js';
import type { MapSyncStatus, RunKind, RunSummary, SyncStatus } from '../../../shared/erp/sync-wire.js';
import { emptySummary } from './types.js';

export interface ErpSyncOptions {
  /** Between the end of one round and the start of the next; 0: only on demand. */
  intervalMs: number;
  overlapMs: number;
  /** How often a round also reconciles deletions; 0: only on demand. */
  reconcileIntervalMs: number;
  pageSize?: number;
}

export class UnknownSyncMapError extends Error {
  constructor(
    readonly map: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'UnknownSyncMapError';
  }
}

export class ErpSyncService {
  readonly #deps: SyncDeps;
  readonly #set: MapSet;
  readonly #inbound: EntityMap[];
  /** Two-way maps: their initial runs also queue what only Fieldstock has for the ERP. */
  readonly #outbound: ReadonlySet<string>;
  readonly #options: ErpSyncOptions;
  readonly #metrics: SyncMetrics;
  readonly #running = new Map<string, RunSummary>();
  readonly #tails = new Map<string, Promise<unknown>>();
  readonly #errorCounts = new Map<string, number>();
  #timer: AggregationTimer | undefined;
  #lastReconcile = Date.now();

  constructor(deps: Omit<SyncDeps, 'maps' | 'overlapMs' | 'pageSize'>, set: MapSet, options: ErpSyncOptions, registry?: Registry) {
    this.#set = set;
    this.#options = options;
    this.#deps = { ...deps, maps: new Map(set.maps.map((m) => [m.name, m])), overlapMs: options.overlapMs, pageSize: options.pageSize ?? 100 };
    this.#inbound = inboundMaps(set);
    this.#outbound = new Set(outboundMaps(set).map((m) => m.name));
    this.#metrics = createSyncMetrics(registry);
  }

  /** The maps this sync applies, in the order a round runs them. */
  get inbound(): readonly EntityMap[] {
    return this.#inbound;
  }

  /** Starts the rounds: the first one right away (a new connection's initial runs should not wait an interval), then every interval. */
  start(): void {
    if (this.#timer) return;
    this.#timer = startAggregationTimer(
      this.#options.intervalMs,
      () => this.round(),
      (error) => this.#deps.log.error({ err: error }, 'ERP sync round failed'),
    );
    this.#timer.wake();
  }

  /** Stops the timer and waits for runs in progress (the store closes after). */
  async stop(): Promise<void> {
    await this.#timer?.stop();
    this.#timer = undefined;
    await Promise.allSettled([...this.#tails.values()]);
  }

  /** One round: every inbound map's changes (its initial sweep if it never ran), then reconciliation when due. */
  async round(): Promise<void> {
    for (const map of this.#inbound) await this.run(map.name);
    const due = this.#options.reconcileIntervalMs > 0 && Date.now() - this.#lastReconcile >= this.#options.reconcileIntervalMs;
    if (!due) return;
    this.#lastReconcile = Date.now();
    for (const map of this.#inbound) await this.run(map.name, 'reconcile');
  }

  /** Runs one map now (after a run of it in progress); the kind defaults to changes, or initial before the first sweep. */
  run(mapName: string, kind?: RunKind): Promise<RunSummary> {
    const map = this.#mapOrThrow(mapName);
    const previous = this.#tails.get(map.name) ?? Promise.resolve();
    const current = previous.then(() => this.#runNow(map, kind));
    const tail = current.catch(() => undefined);
    this.#tails.set(map.name, tail);
    void tail.finally(() => {
      if (this.#tails.get(map.name) === tail) this.#tails.delete(map.name);
    });
    return current;
  }

  async status(): Promise<SyncStatus> {
    const maps: MapSyncStatus[] = [];
    for (const map of this.#set.maps) {
      const state = await readSyncState(this.#deps.store.db, map.name);
      const reason = inboundReason(map);
      maps.push({
        map: map.name,
        collection: map.collection,
        model: map.model,
        direction: map.direction,
        enabled: map.enabled,
        inbound: reason === null,
        reason,
        running: this.#running.get(map.name) ?? null,
        cursor: state.cursor,
        lastRun: state.lastRun,
        lastReconciledAt: state.lastReconciledAt === null ? null : new Date(state.lastReconciledAt).toISOString(),
        lastError: state.lastError,
        errorCount: this.#errorCounts.get(map.name) ?? 0,
      });
    }
    return {
      adapter: this.#deps.connector.name,
      enabled: true,
      intervalMs: this.#options.intervalMs,
      overlapMs: this.#options.overlapMs,
      reconcileIntervalMs: this.#options.reconcileIntervalMs,
      maps,
    };
  }

  #mapOrThrow(name: string): EntityMap {
    const map = this.#deps.maps.get(name);
    if (!map) throw new UnknownSyncMapError(name, `There is no ERP map named "${name}" (maps: ${[...this.#deps.maps.keys()].join(', ')}).`);
    const reason = inboundReason(map);
    if (reason !== null) throw new UnknownSyncMapError(name, `Map "${name}" is not synced from the ERP: ${reason}.`);
    return map;
  }

  async #runNow(map: EntityMap, requested: RunKind | undefined): Promise<RunSummary> {
    const state = await readSyncState(this.#deps.store.db, map.name);
    const kind: RunKind = requested ?? (state.cursor === null ? 'initial' : 'changes');
    const summary = emptySummary(kind);
    this.#running.set(map.name, summary);
    try {
      if (kind === 'reconcile') await reconcile(this.#deps, map, summary);
      else await sweep(this.#deps, map, summary);
      if (kind === 'initial' && this.#outbound.has(map.name)) await queueUnlinkedForErp(this.#deps, map, summary);
      summary.finishedAt = new Date().toISOString();
      await writeSyncState(this.#deps.store.db, map.name, { lastRun: summary, ...(kind === 'reconcile' ? { lastReconciledAt: Date.now() } : {}) });
      if (summary.created + summary.updated + summary.linked + summary.failed + summary.removed + summary.queuedForErp > 0) {
        this.#deps.log.info({ map: map.name, ...counts(summary) }, `ERP sync: ${kind} run of ${map.name} done`);
      }
    } catch (error) {
      summary.finishedAt = new Date().toISOString();
      summary.error = { code: isErpError(error) ? error.code : 'internal-error', message: error instanceof Error ? error.message : String(error) };
      this.#errorCounts.set(map.name, (this.#errorCounts.get(map.name) ?? 0) + 1);
      this.#deps.log.error({ map: map.name, kind, err: error }, `ERP sync: ${kind} run of ${map.name} failed`);
      // Storing the failure may fail too (the store is what broke): the log above has it.
      await writeSyncState(this.#deps.store.db, map.name, { lastRun: summary, lastError: { ...summary.error, at: summary.finishedAt } }).catch(() => undefined);
    } finally {
      this.#running.delete(map.name);
      this.#metrics.observe(map.name, summary);
    }
    return summary;
  }
}

function counts(s: RunSummary) {
  const { mismatches, conflicts, failures: _failures, removals: _removals, ...rest } = s;
  return { ...rest, mismatches: mismatches.length, conflicts: conflicts.length };
}
