/**
 * Which two-way map a pushed document belongs to. A collection can have
 * several maps, each owning a slice of it through its local filter
 * (referenceData: payment terms, asset categories and ship-via by `kind`);
 * a document goes to the map(s) whose local filter it passes, and to none
 * when no map owns its slice (reason codes, units, vendors stay local).
 */
import { matches } from '../../maps/index.js';
import type { EntityMap, LocalDoc } from '../../maps/types.js';

export type MapsByCollection = ReadonlyMap<string, readonly EntityMap[]>;

export function mapsByCollection(maps: readonly EntityMap[]): MapsByCollection {
  const out = new Map<string, EntityMap[]>();
  for (const map of maps) {
    const list = out.get(map.collection);
    if (list) list.push(map);
    else out.set(map.collection, [map]);
  }
  return out;
}

/** The maps of `collection` that own `doc` (a deleted document is judged by its last state). */
export function mapsForDocument(byCollection: MapsByCollection, collection: string, doc: LocalDoc): EntityMap[] {
  return (byCollection.get(collection) ?? []).filter((map) => matches(map, 'local', doc));
}
