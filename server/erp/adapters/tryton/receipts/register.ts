/**
 * Wires receipts to Tryton: the ledger hook that queues them and the outbox
 * handler that delivers them. The posted receipt stays posted whatever
 * Tryton answers (the goods did arrive); a refusal leaves the item poison
 * with Tryton's message as its last error, in the admin outbox.
 */
import type { ReceiptPostedHook } from '../../../../ledger/post.js';
import { registerOutboxHandler } from '../../../outbox/handlers.js';
import type { OutboxLog } from '../../../outbox/worker.js';
import { KeyedLock } from '../references.js';
import type { TrytonRpc } from '../rpc.js';
import { deliverReceipt } from './deliver.js';
import { enqueueTrytonReceipt } from './enqueue.js';
import { RECEIPTS_MAP, RECEIVE_OPERATION } from './payload.js';

export interface TrytonReceipts {
  onReceiptPosted: ReceiptPostedHook;
  /** Removes the outbox handler (the app's close). */
  unregister(): void;
}

export function registerTrytonReceipts(rpc: TrytonRpc, log: OutboxLog): TrytonReceipts {
  const lock = new KeyedLock();
  const unregister = registerOutboxHandler(
    RECEIPTS_MAP,
    RECEIVE_OPERATION,
    async (item) => ({ erpId: String(await deliverReceipt(rpc, lock, item.payload)) }),
    {
      onDone: async (_writer, item, erpId) => {
        log.info({ outboxItem: item.id, purchaseOrderId: item.documentId, shipment: erpId }, `Receipt reached Tryton as incoming shipment ${erpId ?? '?'}`);
      },
      onPoison: async (_writer, item, error) => {
        log.warn({ outboxItem: item.id, purchaseOrderId: item.documentId, code: error.code }, `Tryton refused a receipt (it stays posted in Fieldstock): ${error.message}`);
      },
    },
  );
  return { onReceiptPosted: enqueueTrytonReceipt, unregister };
}
