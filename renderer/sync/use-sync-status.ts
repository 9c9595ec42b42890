import { useObservable } from '../app/use-observable.js';
import type { SyncEngine } from './engine.js';
import type { SyncStatus } from './status.js';

export function useSyncStatus(engine: SyncEngine): SyncStatus {
  return useObservable(engine.status$, engine.status());
}
