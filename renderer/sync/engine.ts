/**
 * Replicates the nine collections of one signed-in user's database with the
 * backend, live, and reports how that goes as a SyncStatus.
 *
 * Offline handling follows notes from RxDB 17.6: the replications are never
 * paused (pause()/start() can drop writes while pushes fail); handlers simply
 * fail and RxDB retries them, with a growing delay here; on sign-out they are
 * cancelled, and a new engine is made for the next session.
 */
import type { RxReplicationPullStreamItem } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { map, Subscription, type Observable } from 'rxjs';
import { COLLECTION_NAMES, type CollectionDocuments, type CollectionName, type WireDocument } from '../../shared/collections.js';
import type { FieldstockPlatform } from '../../shared/platform.js';
import type { ReplicationCheckpoint, StreamEvent } from '../../shared/wire.js';
import type { FieldstockDatabase } from '../db/database.js';
import type { AccessTokenSource } from '../session/tokens.js';
import { Backoff } from './backoff.js';
import { describeSyncError } from './errors.js';
import { multiplexStream, pullHandler, pushHandler, SyncHttpError, type Endpoint } from './http-replication.js';
import { pendingUploads$ } from './pending.js';
import { SyncStatusStore, type SyncStatus } from './status.js';

/** Collections a device writes; the others are written by the ERP, admins or the backend. */
export const PUSHED_COLLECTIONS: ReadonlySet<CollectionName> = new Set(['inventoryTransactions', 'receipts', 'customerAssets']);

/** Each collection's document type on the wire, for the shared stream. */
type WireDocuments = { [C in CollectionName]: WireDocument<C> };

export interface SyncEngineOptions {
  db: FieldstockDatabase;
  serverUrl: string;
  tokens: AccessTokenSource;
  platform: Pick<FieldstockPlatform, 'on'>;
  fetch?: typeof fetch;
  /** RxDB's fixed wait before retrying a failed request (ms). */
  retryTimeMs?: number;
  /** The growing wait added on consecutive failures (ms). */
  backoff?: { minMs: number; maxMs: number };
  pullBatchSize?: number;
  now?: () => Date;
}

type Replication = RxReplicationState<unknown, ReplicationCheckpoint>;

export interface SyncEngine {
  readonly status$: Observable<SyncStatus>;
  status(): SyncStatus;
  /** Pull everything changed since the checkpoints and push what is waiting, now. */
  reSync(): void;
  /** Resolves when every collection finished its first sync since the engine started. */
  awaitInitialSync(): Promise<void>;
  /** Resolves when nothing waits to be pulled or pushed (tests, and "sync now" buttons). */
  awaitInSync(): Promise<void>;
  readonly replications: ReadonlyMap<CollectionName, Replication>;
  /** Cancels every replication and request. The engine cannot be restarted: make a new one. */
  stop(): Promise<void>;
}

export function startSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { db, tokens, platform } = options;
  const serverUrl = options.serverUrl.replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const status = new SyncStatusStore();
  const backoff = new Backoff(options.backoff?.minMs ?? 1_000, options.backoff?.maxMs ?? 60_000);
  const abort = new AbortController();
  const subscriptions = new Subscription();
  const replications = new Map<CollectionName, Replication>();
  const firstSyncDone = new Set<CollectionName>();
  let stopped = false;
  let stopping: Promise<void> | null = null;

  const baseFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  // Every request of this engine ends when it stops (sign-out), streams included.
  const engineFetch: typeof fetch = (input, init) =>
    baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, abort.signal]) : abort.signal });

  const endpoint = (collection: CollectionName, onToken?: (token: string) => void): Endpoint => ({
    baseUrl: serverUrl,
    collection,
    fetch: engineFetch,
    accessToken: async () => {
      const token = await tokens.token();
      onToken?.(token);
      return token;
    },
  });

  /** One request with the session's token, refreshed once on a 401; its outcome goes into the status. */
  async function exchange<T>(collection: CollectionName, run: (ep: Endpoint) => Promise<T>): Promise<T> {
    await backoff.wait();
    if (stopped) throw new Error('sync stopped');
    try {
      let used = '';
      const ep = endpoint(collection, (token) => (used = token));
      let result: T;
      try {
        result = await run(ep);
      } catch (error) {
        if (!(error instanceof SyncHttpError && error.status === 401) || stopped) throw error;
        await tokens.afterRejected(used);
        result = await run(ep);
      }
      backoff.succeeded();
      status.succeed(collection, now().toISOString());
      return result;
    } catch (error) {
      if (!stopped) {
        backoff.failed();
        const described = describeSyncError(error);
        status.fail({ code: described.code, message: described.message, collection, at: now().toISOString() }, described.offline);
      }
      // RxDB retries after retryTime; nothing is lost, the documents wait in the local database.
      throw error;
    }
  }

  /**
   * Every collection is live over this one connection: a browser holds at
   * most six per server, so a stream per collection would starve pulls and
   * pushes. Postings reach inventory and journals through it too.
   */
  const live = multiplexStream<WireDocuments>({ baseUrl: serverUrl, fetch: engineFetch, accessToken: () => tokens.token() }, COLLECTION_NAMES);

  function replicate<C extends CollectionName>(name: C): RxReplicationState<CollectionDocuments[C], ReplicationCheckpoint> {
    type Wire = WireDocument<C>;
    const stream$: Observable<RxReplicationPullStreamItem<CollectionDocuments[C], ReplicationCheckpoint>> = live.of(name).pipe(
      map((event: StreamEvent<Wire>) => (event === 'RESYNC' || event.checkpoint === null ? 'RESYNC' : { documents: event.documents, checkpoint: event.checkpoint })),
    );
    return replicateRxCollection<CollectionDocuments[C], ReplicationCheckpoint>({
      // Checkpoints are stored under this name: one per server (the database is already per user).
      replicationIdentifier: `fieldstock:${serverUrl}:${name}`,
      collection: db[name],
      live: true,
      retryTime: options.retryTimeMs ?? 2_000,
      // Every window syncs on its own; leader election would leave a window without sync while another sleeps.
      waitForLeadership: false,
      // RxDB would pause() hidden windows' replications, which can drop writes (notes/rxdb-replication.md).
      toggleOnDocumentVisible: false,
      autoStart: true,
      pull: {
        batchSize: options.pullBatchSize ?? 1000,
        handler: async (checkpoint, batchSize) => {
          const page = await exchange(name, (ep) => pullHandler<Wire>(ep)(checkpoint, batchSize));
          if (!firstSyncDone.has(name) && page.documents.length > 0) {
            status.update((s) => ({
              firstSync: { ...s.firstSync, received: { ...s.firstSync.received, [name]: s.firstSync.received[name] + page.documents.length } },
            }));
          }
          return page;
        },
        stream$,
      },
      push: PUSHED_COLLECTIONS.has(name)
        ? {
            batchSize: 100,
            handler: (rows) => exchange(name, (ep) => pushHandler<Wire>(ep)(rows)),
          }
        : undefined,
    });
  }

  for (const name of COLLECTION_NAMES) {
    const state = replicate(name);
    // The map holds replications of different document types; only their common, type-free methods are used.
    replications.set(name, state as unknown as Replication);
    subscriptions.add(
      state.error$.subscribe((error) => {
        // Request failures were already recorded by exchange(), with the server's code.
        if (stopped || error.code === 'RC_PULL' || error.code === 'RC_PUSH') return;
        status.fail({ code: error.code, message: error.message, collection: name, at: now().toISOString() }, false);
      }),
    );
    state
      .awaitInitialReplication()
      .then(() => {
        if (stopped) return;
        firstSyncDone.add(name);
        status.update((s) => {
          const completed = [...s.firstSync.completed, name];
          return { firstSync: { ...s.firstSync, completed, done: completed.length === COLLECTION_NAMES.length } };
        });
      })
      .catch(() => {
        // Cancelled before its first sync completed: nothing to report.
      });
  }

  subscriptions.add(pendingUploads$(db).subscribe((pendingUploads) => status.update(() => ({ pendingUploads }))));
  // Only a first sync into an empty database deserves a progress bar; a restart just catches up.
  Promise.all(COLLECTION_NAMES.map((name) => db[name].count().exec()))
    .then((counts) => status.update((s) => ({ firstSync: { ...s.firstSync, emptyAtStart: counts.every((n) => n === 0) } })))
    .catch(() => {
      // The database was closed (sign-out) before the counts came back.
    });

  const reSyncAll = () => {
    if (stopped) return;
    for (const replication of replications.values()) replication.reSync();
  };
  const wake = () => {
    backoff.reset();
    // Otherwise the stream stays down for the rest of its backoff (up to 30 s), and live changes wait for it.
    live.reconnectNow();
    reSyncAll();
  };
  const unlisten = [
    platform.on('online', () => {
      status.update(() => ({ connection: 'connecting' }));
      wake();
    }),
    platform.on('resume', wake),
    platform.on('offline', () => status.update(() => ({ connection: 'offline' }))),
  ];

  return {
    status$: status.status$,
    status: () => status.get(),
    reSync: wake,
    async awaitInitialSync() {
      await Promise.all([...replications.values()].map((r) => r.awaitInitialReplication()));
    },
    async awaitInSync() {
      await Promise.all([...replications.values()].map((r) => r.awaitInSync()));
    },
    replications,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        for (const off of unlisten) off();
        subscriptions.unsubscribe();
        abort.abort();
        backoff.reset();
        await Promise.all([...replications.values()].map((r) => r.cancel()));
        status.stop();
      })();
      return stopping;
    },
  };
}
