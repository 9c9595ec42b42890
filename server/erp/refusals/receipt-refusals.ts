/**
 * A receipt delivered by an adapter's own receipt flow (the ERP's incoming
 * shipment, server/erp/adapters/<name>/receipts/): the ERP's refusal marks
 * the receipt, an accepted delivery clears the mark. Called from that flow's
 * outbox hooks, inside the outcome transaction.
 */
import type { OutboxError } from '../../../shared/erp/outbox-wire.js';
import { loadDocs, type Writer } from '../../store/write.js';
import { putErpError, refusalOf } from './mark.js';

/** Marks (`error`) or clears (undefined) the receipt's erpError; false when the receipt is not in the store. */
export async function settleReceiptRefusal(writer: Writer, receiptId: string, error: OutboxError | undefined): Promise<boolean> {
  const doc = (await loadDocs(writer.trx, 'receipts', [receiptId])).get(receiptId);
  if (!doc) return false;
  putErpError(writer, 'receipts', doc, error ? refusalOf(error, writer.now) : undefined);
  return true;
}
