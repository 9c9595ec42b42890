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
 * - receipt: not sent. A receipt against a Tryton purchase reaches Tryton
 *   through that purchase (an incoming shipment received against its moves,
 *   adapters/tryton/receipts/), and its journal lines are do-not-sync before
 *   they get here. A receipt that still arrives here is against a purchase
 *   order Tryton does not know (made in Fieldstock): there is nothing to
 *   receive it against, and moves from nowhere would hide that. Its lines are
 *   marked create-error `erp-not-supported` with that reason, visible to the
 *   administrator, who can receive the goods in Tryton by hand.
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
        "Receipts reach Tryton through their purchase order (an incoming shipment against its moves), and this receipt's purchase order is not a Tryton purchase, so there is nothing to receive it against and it was not sent. If Tryton should hold this stock, receive it there by hand.",
    };
  }
  return { ok: false, code: 'erp-not-supported', message: `Journals named "${journalName}" have no Tryton mapping; nothing was sent.` };
}
