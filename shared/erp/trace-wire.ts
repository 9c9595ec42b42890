/**
 * One document followed across Fieldstock and the ERP, as the admin trace
 * route answers it (docs/api.md "Tracing a document"): the document, its
 * posting, the posting lines, the ERP journal lines they were summed into
 * (with the ERP's ids or refusal), the outbox items that carried it, and the
 * ERP records it is linked to. An integration administrator reads from it
 * whether a number reached the ERP, once, and where it is there.
 */

export interface TraceDocument {
  collection: string;
  id: string;
  /** The change sequence of its last write. */
  seq: number;
  deleted: boolean;
  /** Posting documents: waiting / posted / rejected (with the reason in `error`). */
  status: string | null;
  error: { code: string; message: string } | null;
  /** The ERP's refusal shown on the document, when it has one. */
  erpError: { code: string; message: string; at: string } | null;
}

export interface TracePosting {
  outcome: 'posted' | 'rejected';
  /** The posting journal (null for a rejection). */
  journalId: string | null;
  postedAt: string;
}

/** A posting line, and the ERP journal line it was summed into once aggregated. */
export interface TracePostingLine {
  journalId: string;
  lineNumber: number;
  journalName: string;
  warehouseId: string;
  productId: string;
  quantity: number;
  aggregation: 'pending' | 'aggregated';
  erpJournalId: string | null;
  erpLineNumber: number | null;
}

/** An ERP journal line: its status walk, and the ERP's own ids (or its refusal). */
export interface TraceErpLine {
  journalId: string;
  lineNumber: number;
  warehouseId: string;
  productId: string;
  quantity: number;
  /** How many posting lines (of all documents) it sums. */
  sourceLineCount: number;
  status: string;
  /** The ERP's document and line ids, e.g. "stock.shipment.internal,12". */
  erpJournalId: string | null;
  erpLineId: string | null;
  error: { code: string; message: string } | null;
}

export interface TraceOutboxItem {
  id: string;
  map: string;
  operation: string;
  documentId: string;
  status: string;
  attempts: number;
  erpId: string | null;
  lastError: { code: string; message: string; at: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** A link of the two-way sync: this document is that ERP record. */
export interface TraceLink {
  map: string;
  erpId: string;
  /** The ERP record's change stamp last synced. */
  erpVersion: string;
  syncedAt: string;
}

export interface DocumentTrace {
  document: TraceDocument;
  posting: TracePosting | null;
  postingLines: TracePostingLine[];
  erpLines: TraceErpLine[];
  outbox: TraceOutboxItem[];
  links: TraceLink[];
}
