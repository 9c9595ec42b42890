/** Names shared by the bench's processes (no side effects: safe to import anywhere). */

export const BENCH_ADMIN_PASSWORD = 'bench-admin-password';
export const BENCH_CLERK = 'bench-clerk';
export const BENCH_CLERK_PASSWORD = 'bench-clerk-password';

export interface FieldstockStats {
  postedInventoryTransactions: number;
  rejectedInventoryTransactions: number;
  journalLines: number;
  /** On hand of every demo warehouse level, in scaled units, keyed "warehouseId~productId". */
  onHand: Record<string, number>;
  docsByCollection: Record<string, number>;
}
