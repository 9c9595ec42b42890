import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { COLLECTION_NAMES, type CollectionName } from '../../shared/collections.js';

export type Connection = 'connecting' | 'online' | 'offline';

/** A sync failure as the UI shows it. `code` is the server's error code, or a client one such as "network-error". */
export interface SyncError {
  code: string;
  message: string;
  collection: CollectionName | null;
  /** ISO 8601 */
  at: string;
}

export interface FirstSyncProgress {
  /** Documents received from the server per collection until its first sync completed. */
  received: Record<CollectionName, number>;
  /** Collections whose first sync completed. */
  completed: CollectionName[];
  done: boolean;
  /** The local database had no documents when the engine started (a first sign-in here); null until known. */
  emptyAtStart: boolean | null;
}

export interface SyncStatus {
  connection: Connection;
  /** Documents written on this device that the server has not accepted yet. */
  pendingUploads: number;
  /** ISO 8601 time of the last successful exchange with the server, null before the first. */
  lastSyncedAt: string | null;
  /** The most recent failure not cleared by a later success of the same collection. */
  lastError: SyncError | null;
  firstSync: FirstSyncProgress;
  stopped: boolean;
}

export function initialSyncStatus(): SyncStatus {
  return {
    connection: 'connecting',
    pendingUploads: 0,
    lastSyncedAt: null,
    lastError: null,
    firstSync: {
      received: Object.fromEntries(COLLECTION_NAMES.map((name) => [name, 0])) as Record<CollectionName, number>,
      completed: [],
      done: false,
      emptyAtStart: null,
    },
    stopped: false,
  };
}

export function receivedTotal(progress: FirstSyncProgress): number {
  return Object.values(progress.received).reduce((sum, n) => sum + n, 0);
}

/** The engine's status as a value that only ever changes by whole replacement (React compares by identity). */
export class SyncStatusStore {
  private readonly subject = new BehaviorSubject<SyncStatus>(initialSyncStatus());
  /** Failures per collection (null: the engine itself), so one collection's success does not hide another's failure. */
  private readonly errors = new Map<CollectionName | null, SyncError>();

  readonly status$: Observable<SyncStatus> = this.subject.pipe(distinctUntilChanged());

  get(): SyncStatus {
    return this.subject.getValue();
  }

  update(change: (status: SyncStatus) => Partial<SyncStatus>): void {
    const current = this.subject.getValue();
    if (current.stopped) return;
    this.subject.next({ ...current, ...change(current) });
  }

  fail(error: SyncError, offline: boolean): void {
    this.errors.set(error.collection, error);
    this.update((s) => ({ lastError: error, connection: offline ? 'offline' : s.connection }));
  }

  succeed(collection: CollectionName, at: string): void {
    this.errors.delete(collection);
    this.errors.delete(null);
    const remaining = [...this.errors.values()].sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
    this.update(() => ({ connection: 'online', lastSyncedAt: at, lastError: remaining }));
  }

  stop(): void {
    this.subject.next({ ...this.subject.getValue(), stopped: true });
    this.subject.complete();
  }
}
