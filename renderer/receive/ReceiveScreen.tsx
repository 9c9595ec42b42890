import { useMemo, useState } from 'react';
import type { ActiveSession } from '../session/controller.js';
import { warehousesInScope } from '../warehouses/scope.js';
import { useWarehouses } from '../warehouses/use-warehouses.js';
import { OpenOrderList } from './OpenOrderList.js';
import { ReceiveOrder } from './ReceiveOrder.js';

/**
 * Receiving purchase orders onsite, online or not: the open orders of the
 * user's warehouses, then one order's receiving form. Which order is open is
 * this screen's own state; leaving the screen starts from the list again.
 */
export function ReceiveScreen({ session }: { session: Pick<ActiveSession, 'db' | 'user'> }) {
  const { db, user } = session;
  const warehouses = useWarehouses(db);
  const inScope = useMemo(() => warehousesInScope(warehouses ?? [], user), [warehouses, user]);
  const [purchaseOrderId, setPurchaseOrderId] = useState<string | null>(null);
  if (purchaseOrderId) return <ReceiveOrder db={db} purchaseOrderId={purchaseOrderId} warehouses={warehouses ?? []} onBack={() => setPurchaseOrderId(null)} />;
  return <OpenOrderList db={db} inScope={warehouses ? inScope : []} loading={!warehouses} onOpen={setPurchaseOrderId} />;
}
