/**
 * Wires Fieldstock → ERP for the two-way maps: an outbox handler (with its
 * outcome hooks) per map, and the push hook that queues pushed changes.
 * Only called with an ERP configured; returns what undoes it on close.
 */
import type { PushWritten } from '../../../replication/push.js';
import type { OutboxHandlers } from '../../outbox/handlers.js';
import type { SyncDeps } from '../deps.js';
import { outboundHandler, type WrittenByItem } from './deliver.js';
import { outboundEnqueuer } from './enqueue-change.js';
import { outboundHooks } from './hooks.js';
import { OUTBOUND_OPERATION, outboundMaps } from './maps.js';
import type { MapSet } from '../../maps/types.js';

export interface ErpOutbound {
  /** The maps whose pushed changes go to the ERP. */
  maps: string[];
  onPushWritten: PushWritten;
  unregister(): void;
}

/** Registers one handler per two-way map on `handlers`, the app's (AppContext.outboxHandlers). */
export function registerErpOutbound(deps: Omit<SyncDeps, 'maps'>, set: MapSet, handlers: OutboxHandlers): ErpOutbound {
  const maps = outboundMaps(set);
  const all = new Map(set.maps.map((m) => [m.name, m]));
  const written: WrittenByItem = new Map();
  const undo: (() => void)[] = [];
  for (const map of maps) {
    const policy = deps.registry.get(map.collection);
    if (!policy) throw new Error(`collection ${map.collection} is not registered`);
    undo.push(handlers.register(map.name, OUTBOUND_OPERATION, outboundHandler({ ...deps, maps: all }, map, written), outboundHooks(map, policy, written)));
  }
  return {
    maps: maps.map((m) => m.name),
    onPushWritten: outboundEnqueuer(maps),
    unregister: () => {
      for (const u of undo) u();
    },
  };
}
