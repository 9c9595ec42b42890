/**
 * The ledger's onReceiptPosted for Tryton: a receipt against an order that
 * came from a Tryton purchase is queued for Tryton in the posting
 * transaction, so the receipt and its outbox item commit together. Orders
 * made in Fieldstock (no link) have nothing to receive in Tryton.
 */
import type { PurchaseOrder } from '../../../../../shared/collections.js';
import { formatUnits, subtractUnits, units, type Units } from '../../../../../shared/decimal.js';
import type { ReceiptPostedHook } from '../../../../ledger/post.js';
import { enqueue } from '../../../outbox/enqueue.js';
import { linksByLocalId } from '../../../sync/links.js';
import { PURCHASE_ORDERS_MAP, RECEIPTS_MAP, RECEIVE_OPERATION, type ReceiptPayload } from './payload.js';

export const enqueueTrytonReceipt: ReceiptPostedHook = async (writer, receipt, po, received) => {
  const link = (await linksByLocalId(writer.trx, PURCHASE_ORDERS_MAP, [po.id])).get(po.id);
  const purchaseErpId = link && /^\d+$/.test(link.erpId) ? Number(link.erpId) : undefined;
  if (purchaseErpId === undefined || received.size === 0) return;
  const payload: ReceiptPayload = {
    receiptId: receipt.id,
    purchaseOrderId: po.id,
    purchaseErpId,
    lines: [...received].map(([lineNumber, quantity]) => {
      const beyond = beyondOrdered(po, lineNumber, quantity);
      return { lineNumber, quantity: formatUnits(quantity), ...(beyond > 0 ? { beyondOrdered: formatUnits(beyond) } : {}) };
    }),
  };
  // The order's id as the document: receipts of one order reach Tryton in posting order, each taking the moves the previous left open.
  await enqueue(writer, { map: RECEIPTS_MAP, operation: RECEIVE_OPERATION, documentId: po.id, dedupeKey: receipt.id, payload });
};

/** The part of `added` that took the line past its ordered quantity (`po` as the receipt left it). */
function beyondOrdered(po: PurchaseOrder, lineNumber: number, added: Units): Units {
  const line = po.lines.find((l) => l.lineNumber === lineNumber);
  if (!line) return 0 as Units;
  const over = subtractUnits(units(line.quantityReceived), units(line.quantityOrdered));
  return (over <= 0 ? 0 : Math.min(over, added)) as Units;
}
