import { useMemo } from 'react';
import type { FieldstockDatabase } from '../db/database.js';
import { plain$, useLiveQuery } from '../db/use-live-query.js';
import { CORRECTS_CATEGORY } from '../transactions/correction.js';
import { gatherAttention, type Attention } from './attention-items.js';

// Corrections say what they correct in externalReference or, when that is taken, in the note ("[corrects <id>]").
const NOTE_MARKER = { $regex: '\\[corrects ' };

/** Rejected documents on this device (what the user may read) and whether a correction resolved them, and posted ones the ERP refused, live. */
export function useAttention(db: FieldstockDatabase): Attention | undefined {
  const transactions = useLiveQuery(() => plain$(db.inventoryTransactions.find({ selector: { status: 'rejected' } })), [db]);
  const receipts = useLiveQuery(() => plain$(db.receipts.find({ selector: { status: 'rejected' } })), [db]);
  const fixes = useLiveQuery(
    () => plain$(db.inventoryTransactions.find({ selector: { $or: [{ 'externalReference.category': CORRECTS_CATEGORY }, { note: NOTE_MARKER }] } })),
    [db],
  );
  const receiptFixes = useLiveQuery(() => plain$(db.receipts.find({ selector: { note: NOTE_MARKER } })), [db]);
  // Marked by the backend when the ERP refused a posted document; gone when it is accepted.
  const refusedTransactions = useLiveQuery(() => plain$(db.inventoryTransactions.find({ selector: { status: 'posted', erpError: { $exists: true } } })), [db]);
  const refusedReceipts = useLiveQuery(() => plain$(db.receipts.find({ selector: { status: 'posted', erpError: { $exists: true } } })), [db]);
  return useMemo(() => {
    if (!transactions || !receipts || !fixes || !receiptFixes || !refusedTransactions || !refusedReceipts) return undefined;
    return gatherAttention(transactions, receipts, [...fixes, ...receiptFixes], { transactions: refusedTransactions, receipts: refusedReceipts });
  }, [transactions, receipts, fixes, receiptFixes, refusedTransactions, refusedReceipts]);
}
