import { useMemo, type DependencyList } from 'react';
import type { DeepReadonly, RxDocument } from 'rxdb';
import { map, type Observable } from 'rxjs';
import { useObservable } from '../app/use-observable.js';

/** A live query's documents as plain objects: components never hold RxDocuments. */
export function plain$<T>(query: { $: Observable<RxDocument<T>[]> }): Observable<DeepReadonly<T>[]> {
  return query.$.pipe(map((docs) => docs.map((doc) => doc.toJSON())));
}

/**
 * Subscribes to the observable `make` returns while the component is mounted;
 * `undefined` until the first result. `deps` are what `make` reads.
 */
export function useLiveQuery<T>(make: () => Observable<T>, deps: DependencyList): T | undefined {
  // The caller lists what `make` reads, as with useMemo itself.
  const source$ = useMemo(make, deps);
  return useObservable<T | undefined>(source$, undefined);
}
