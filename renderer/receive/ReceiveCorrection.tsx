import { MessageBar, MessageBarBody, Spinner } from '@fluentui/react-components';
import type { DeepReadonly } from 'rxdb';
import { useState } from 'react';
import { map } from 'rxjs';
import type { Warehouse } from '../../shared/collections.js';
import type { ReceivePrefill } from '../app/ui-store.js';
import type { FieldstockDatabase } from '../db/database.js';
import { useLiveQuery } from '../db/use-live-query.js';
import { correctionFromRejected, type ReceiptCorrection } from './receipt-correction.js';
import { ReceiveOrder } from './ReceiveOrder.js';
import { usePurchaseOrder } from './use-receive-data.js';

type Start = { correction: ReceiptCorrection } | { correction: undefined; problem: string };

/**
 * "Fix" on a rejected receipt: the order's receiving form, started from the
 * rejected receipt read by id from the local database. The starting point is
 * fixed once everything is read; the order itself stays live in the form.
 */
export function ReceiveCorrection({
  db,
  prefill,
  warehouses,
  onBack,
}: {
  db: FieldstockDatabase;
  prefill: ReceivePrefill;
  warehouses: readonly DeepReadonly<Warehouse>[];
  onBack: () => void;
}) {
  const rejected = useLiveQuery(() => db.receipts.findOne(prefill.correctsId).$.pipe(map((doc) => doc?.toJSON() ?? null)), [db, prefill.correctsId]);
  const order = usePurchaseOrder(db, prefill.purchaseOrderId);
  const productKey = rejected ? [...new Set(rejected.lines.map((l) => l.productId))].sort().join('\n') : null;
  // Tagged with the ids asked for, so a result for other ids (from before the receipt was read) is never taken for this one.
  const products = useLiveQuery(
    () => db.products.find({ selector: { id: { $in: productKey ? productKey.split('\n') : [] } } }).$.pipe(map((docs) => ({ key: productKey, docs: docs.map((d) => d.toJSON()) }))),
    [db, productKey],
  );
  const [start, setStart] = useState<Start | null>(null);

  const ready = rejected !== undefined && order !== undefined && products !== undefined && products.key === productKey;
  if (!start && ready) {
    // Set during render (React re-renders at once): the form below mounts with its final starting point.
    if (!rejected || rejected.status !== 'rejected') {
      setStart({ correction: undefined, problem: rejected ? 'This receipt is not rejected, so there is nothing to correct.' : 'The rejected receipt to fix is not on this device any more.' });
    } else if (order) {
      setStart({ correction: correctionFromRejected(rejected, order, new Map(products.docs.map((p) => [p.id, p]))) });
    } else {
      // The form says the order is gone; the rejected receipt stays in Needs attention.
      setStart({ correction: { ...correctionFromRejected(rejected, { number: prefill.purchaseOrderId, lines: [] }, new Map()), dropped: [] } });
    }
  }
  if (!start) return <Spinner label="Loading the rejected receipt…" />;
  return (
    <>
      {!start.correction && (
        <MessageBar intent="warning" role="alert">
          <MessageBarBody>{start.problem} You can still receive this order as usual.</MessageBarBody>
        </MessageBar>
      )}
      <ReceiveOrder db={db} purchaseOrderId={prefill.purchaseOrderId} warehouses={warehouses} onBack={onBack} correction={start.correction} />
    </>
  );
}
