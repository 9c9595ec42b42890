/**
 * How each of our journal names reaches Tryton.
 *
 * - adjustment, consumption, count: stock moves between the warehouse's
 *   storage location and its Lost and Found, in (positive) or out (negative).
 *   A count is delivered the same way, NOT as a stock.inventory: an
 *   aggregated count line holds the sum of the changes our counts applied
 *   (counted level minus our level then), not a counted level, and a Tryton
 *   inventory wants the counted level and moves the difference to ITS own
 *   level. Sending "Tryton's level + our change" would be a made-up count
 *   that silently absorbs any difference between the two systems. The
 *   moves we send are exactly the ones a confirmed inventory would make
 *   (storage ↔ the warehouse's Lost and Found), for exactly our change.
 * - transfer: moves from one warehouse's storage to the other's.
 * - receipt: not sent. A receipt reaches Tryton through its purchase order (an
 *   incoming shipment received against the PO's moves, which also marks the
 *   PO received); sending the receipt journal too would count the stock
 *   twice. Its lines are marked create-error `erp-not-supported` with that
 *   reason, visible and retryable, until that flow takes them.
 */

export type JournalKind = 'stock' | 'transfer';

export type KindResult = { ok: true; kind: JournalKind } | { ok: false; code: string; message: string };

const STOCK = new Set(['adjustment', 'consumption', 'count']);

export function journalKind(journalName: string, hasToWarehouse: boolean): KindResult {
  if (STOCK.has(journalName)) return { ok: true, kind: 'stock' };
  if (journalName === 'transfer') {
    if (hasToWarehouse) return { ok: true, kind: 'transfer' };
    return { ok: false, code: 'invalid-request', message: 'A transfer journal without a receiving warehouse cannot be sent to Tryton.' };
  }
  if (journalName === 'receipt') {
    return {
      ok: false,
      code: 'erp-not-supported',
      message:
        'Receipts reach Tryton through their purchase order (an incoming shipment against its moves), not as stock moves; that flow is not connected yet, so this line was not sent (sending it as moves would count the receipt twice).',
    };
  }
  return { ok: false, code: 'erp-not-supported', message: `Journals named "${journalName}" have no Tryton mapping; nothing was sent.` };
}
