import { combineLatest, map, type Observable } from 'rxjs';
import type { FieldstockDatabase } from '../db/database.js';

/**
 * Documents made on this device that the server has not accepted yet: the
 * server turns every pushed transaction and receipt into "posted" or
 * "rejected", so "pending" means "not uploaded".
 */
export function pendingUploads$(db: FieldstockDatabase): Observable<number> {
  const pending = { selector: { status: 'pending' } } as const;
  return combineLatest([db.inventoryTransactions.count(pending).$, db.receipts.count(pending).$]).pipe(map(([a, b]) => a + b));
}
