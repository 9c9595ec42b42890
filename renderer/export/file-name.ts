/**
 * Suggested file names for exports and prints. They only seed a save dialog
 * or name a download, but the desktop shell refuses anything path-like
 * (shared/ipc.ts isSafeFileName), and a warehouse code or PO number may hold
 * any character: keep letters, digits, dot, dash and underscore.
 */
import type { Period } from './period.js';

/** Most characters kept from one part (a code, a number, an id). */
const PART_MAX = 60;

export function fileNamePart(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, PART_MAX);
}

export function exportFileName(kind: string, warehouseCode: string, period: Pick<Period, 'from' | 'to'>): string {
  const range = period.from || period.to ? `-${period.from || 'start'}-to-${period.to || 'today'}` : '';
  return `${fileNamePart(kind)}-${fileNamePart(warehouseCode) || 'warehouse'}${range}.csv`;
}

/** The name of a receipt's PDF (the desktop app adds ".pdf") or of the browser's print job. */
export function receiptFileStem(orderNumber: string, receiptId: string): string {
  return `receipt-${fileNamePart(orderNumber) || 'order'}-${fileNamePart(receiptId).slice(0, 8) || 'receipt'}`;
}
