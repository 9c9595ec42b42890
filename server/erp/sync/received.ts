/**
 * Fieldstock is the master of what it received until the receipt flow has
 * reported it to the ERP: while the ERP still says an order is open
 * (Tryton: processing), the app's partially-received or received state stays.
 * Received quantities are never mapped from the ERP at all (merge.ts keeps
 * the line fields the map does not own).
 */
import type { EntityMap } from '../maps/types.js';

const APP_RECEIVING_STATES = new Set(['partially-received', 'received']);

export function keepReceivedState(map: EntityMap, existing: Record<string, unknown>, next: Record<string, unknown>): Record<string, unknown> {
  if (map.collection !== 'purchaseOrders') return next;
  if (next.status === 'open' && typeof existing.status === 'string' && APP_RECEIVING_STATES.has(existing.status)) {
    return { ...next, status: existing.status };
  }
  return next;
}
