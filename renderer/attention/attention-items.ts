/**
 * "Needs attention", apart from React: the rejected documents this user can
 * see, newest first, minus those a later document says it corrects. A
 * rejected document is never edited or deleted; it leaves the list only when
 * a correction names it, on every device that has both. Apart from those:
 * posted documents the ERP refused (erpError), which no device fixes.
 */
import type { DeepReadonly } from 'rxdb';
import type { InventoryTransaction, Receipt } from '../../shared/collections.js';
import type { DocumentStatus } from '../../shared/schemas/common.js';
import { correctedId } from '../transactions/correction.js';

export type AttentionItem =
  | { kind: 'transaction'; id: string; at: string; error: { code: string; message: string }; doc: DeepReadonly<InventoryTransaction> }
  | { kind: 'receipt'; id: string; at: string; error: { code: string; message: string }; doc: DeepReadonly<Receipt> };

export interface Correction {
  id: string;
  status: DocumentStatus;
  journalId?: string | undefined;
  error?: { code: string; message: string } | undefined;
}

export interface Attention {
  /** Rejected and not corrected: what the user still has to deal with. */
  open: AttentionItem[];
  /** Rejected and corrected by a later document, with that document. */
  resolved: { item: AttentionItem; by: Correction }[];
  /**
   * Posted here but refused by the ERP (erpError), newest first, `error`
   * being the ERP's. Not a local rejection: the stock moved in Fieldstock;
   * the fix is in the ERP, or an admin's retry. Leaves when the backend clears the mark.
   */
  refusedByErp: AttentionItem[];
}

const NO_REASON = { code: 'unknown', message: 'The server gave no reason.' };

function newestFirst(a: AttentionItem, b: AttentionItem): number {
  return a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? -1 : 1;
}

/**
 * `rejected*` may hold documents of any status (only rejected ones count);
 * `corrections` are documents that may name a rejected one (correctedId);
 * `erpRefused` may hold any documents (only posted ones with erpError count).
 */
export function gatherAttention(
  rejectedTransactions: readonly DeepReadonly<InventoryTransaction>[],
  rejectedReceipts: readonly DeepReadonly<Receipt>[],
  corrections: readonly (DeepReadonly<InventoryTransaction> | DeepReadonly<Receipt>)[],
  erpRefused: { transactions: readonly DeepReadonly<InventoryTransaction>[]; receipts: readonly DeepReadonly<Receipt>[] } = { transactions: [], receipts: [] },
): Attention {
  const correctedBy = new Map<string, Correction>();
  for (const doc of corrections) {
    const target = correctedId(doc);
    // The first correction that names it is enough; a rejected correction shows up as its own item.
    if (target && !correctedBy.has(target)) correctedBy.set(target, { id: doc.id, status: doc.status, journalId: doc.journalId, error: doc.error });
  }
  const items: AttentionItem[] = [
    ...rejectedTransactions.filter((t) => t.status === 'rejected').map((doc): AttentionItem => ({ kind: 'transaction', id: doc.id, at: doc.occurredAt, error: doc.error ?? NO_REASON, doc })),
    ...rejectedReceipts.filter((r) => r.status === 'rejected').map((doc): AttentionItem => ({ kind: 'receipt', id: doc.id, at: doc.receivedAt, error: doc.error ?? NO_REASON, doc })),
  ].sort(newestFirst);
  const refusedByErp: AttentionItem[] = [
    ...erpRefused.transactions.flatMap((doc): AttentionItem[] => (doc.status === 'posted' && doc.erpError ? [{ kind: 'transaction', id: doc.id, at: doc.occurredAt, error: doc.erpError, doc }] : [])),
    ...erpRefused.receipts.flatMap((doc): AttentionItem[] => (doc.status === 'posted' && doc.erpError ? [{ kind: 'receipt', id: doc.id, at: doc.receivedAt, error: doc.erpError, doc }] : [])),
  ].sort(newestFirst);
  const attention: Attention = { open: [], resolved: [], refusedByErp };
  for (const item of items) {
    const by = correctedBy.get(item.id);
    if (by) attention.resolved.push({ item, by });
    else attention.open.push(item);
  }
  return attention;
}
