/**
 * Wires receipts to Tryton: the ledger hook that queues them and the outbox
 * handler that delivers them. The posted receipt stays posted whatever
 * Tryton answers (the goods did arrive); a refusal leaves the item poison
 * with Tryton's message as its last error, in the admin outbox, and marks
 * the receipt with it (`erpError`, which replicates to the devices) until a
 * later delivery (an admin retry) is accepted.
 */
import type { ErpReceiptFlow } from '../../../connector.js';
import type { OutboxHandlers } from '../../../outbox/handlers.js';
import type { OutboxLog } from '../../../outbox/worker.js';
import { settleReceiptRefusal } from '../../../refusals/receipt-refusals.js';
import { KeyedLock } from '../references.js';
import type { TrytonRpc } from '../rpc.js';
import { deliverReceipt } from './deliver.js';
import { enqueueTrytonReceipt } from './enqueue.js';
import { RECEIPTS_MAP, RECEIVE_OPERATION } from './payload.js';

/** Registers the receipt delivery on `handlers`, the app's (AppContext.outboxHandlers). */
export function registerTrytonReceipts(rpc: TrytonRpc, handlers: OutboxHandlers, log: OutboxLog): ErpReceiptFlow {
  const lock = new KeyedLock();
  const unregister = handlers.register(
    RECEIPTS_MAP,
    RECEIVE_OPERATION,
    async (item) => ({ erpId: String(await deliverReceipt(rpc, lock, item.payload)) }),
    {
      onDone: async (writer, item, erpId) => {
        const receiptId = receiptIdOf(item.payload);
        if (receiptId) await settleReceiptRefusal(writer, receiptId, undefined);
        log.info({ outboxItem: item.id, purchaseOrderId: item.documentId, receiptId, shipment: erpId }, `Receipt reached Tryton as incoming shipment ${erpId ?? '?'}`);
      },
      onPoison: async (writer, item, error) => {
        const receiptId = receiptIdOf(item.payload);
        if (receiptId) await settleReceiptRefusal(writer, receiptId, error);
        log.warn({ outboxItem: item.id, purchaseOrderId: item.documentId, receiptId, code: error.code }, `Tryton refused a receipt (it stays posted in Fieldstock): ${error.message}`);
      },
    },
  );
  return { onReceiptPosted: enqueueTrytonReceipt, unregister };
}

/** The receipt an item names, read leniently: a payload too malformed to deliver may still name it, and then the receipt shows the refusal. */
function receiptIdOf(payload: unknown): string | undefined {
  const id = payload !== null && typeof payload === 'object' ? (payload as { receiptId?: unknown }).receiptId : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}
