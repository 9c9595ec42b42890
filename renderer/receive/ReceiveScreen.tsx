import { useMemo, useState } from 'react';
import { useUi } from '../app/ui-store.js';
import type { ActiveSession } from '../session/controller.js';
import { warehousesInScope } from '../warehouses/scope.js';
import { useWarehouses } from '../warehouses/use-warehouses.js';
import { OpenOrderList } from './OpenOrderList.js';
import { ReceiveCorrection } from './ReceiveCorrection.js';
import { ReceiveOrder } from './ReceiveOrder.js';

/**
 * Receiving purchase orders onsite, online or not: the open orders of the
 * user's warehouses, then one order's receiving form. Which order is open is
 * this screen's own state; leaving the screen starts from the list again.
 * "Fix" on a rejected receipt (Needs attention) opens its order directly,
 * through the UI store's receivePrefill.
 */
export function ReceiveScreen({ session }: { session: Pick<ActiveSession, 'db' | 'user'> }) {
  const { db, user } = session;
  const warehouses = useWarehouses(db);
  const inScope = useMemo(() => warehousesInScope(warehouses ?? [], user), [warehouses, user]);
  const [purchaseOrderId, setPurchaseOrderId] = useState<string | null>(null);
  const prefill = useUi((s) => s.receivePrefill);
  const navigate = useUi((s) => s.navigate);
  if (prefill) {
    // "Back" drops the prefill (navigate clears it), which leads to the list; a new Fix starts a new form.
    return <ReceiveCorrection key={prefill.correctsId} db={db} prefill={prefill} warehouses={warehouses ?? []} onBack={() => navigate('receive')} />;
  }
  if (purchaseOrderId) return <ReceiveOrder db={db} purchaseOrderId={purchaseOrderId} warehouses={warehouses ?? []} onBack={() => setPurchaseOrderId(null)} />;
  return <OpenOrderList db={db} inScope={warehouses ? inScope : []} loading={!warehouses} onOpen={setPurchaseOrderId} />;
}
