/**
 * Which maps Fieldstock writes back to the ERP: two-way maps whose records the
 * inbound sync also applies. Both halves share one link table, which is what
 * keeps a change from echoing back and forth; a two-way map without the
 * inbound half would have no links to compare against. Several maps may
 * share a collection (referenceData by kind): select.ts picks a document's.
 */
import type { EntityMap, MapSet } from '../../maps/types.js';
import { inboundReason } from '../inbound-maps.js';

export const OUTBOUND_OPERATION = 'upsert';

export function outboundMaps(set: MapSet): EntityMap[] {
  return set.maps.filter((m) => m.direction === 'both' && inboundReason(m) === null);
}
