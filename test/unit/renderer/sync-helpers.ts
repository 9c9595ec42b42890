import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { filter, firstValueFrom, timeout, type Observable } from 'rxjs';
import type { SyncTuning } from '../../../renderer/session/controller.js';

/** Long enough for a push, a posting and a stream event on a busy 2-core machine. */
export const WAIT_MS = 20_000;

/** Short delays so failures and retries happen within a test. */
export const FAST_SYNC: SyncTuning = { retryTimeMs: 100, backoff: { minMs: 100, maxMs: 1_000 } };

/**
 * Dexie, the storage the app uses in browsers, over an in-memory IndexedDB.
 * One factory is one device's disk: databases survive close and reopen on it.
 */
export function deviceStorage(): () => RxStorage<unknown, unknown> {
  const indexedDB = new IDBFactory();
  return () => getRxStorageDexie({ indexedDB, IDBKeyRange });
}

/** The first value of `source$` that satisfies `predicate`, or a failure saying what was awaited and what was last seen. */
export async function waitFor<T>(source$: Observable<T>, predicate: (value: T) => boolean, what: string, ms = WAIT_MS): Promise<T> {
  let last: T | undefined;
  try {
    return await firstValueFrom(
      source$.pipe(
        filter((value) => {
          last = value;
          return predicate(value);
        }),
        timeout({ first: ms }),
      ),
    );
  } catch (error) {
    throw new Error(`gave up waiting for ${what}; last seen: ${JSON.stringify(last)}`, { cause: error });
  }
}
