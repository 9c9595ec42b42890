import { makeStyles, MessageBar, MessageBarBody, Spinner, Title2, tokens } from '@fluentui/react-components';
import { useMemo } from 'react';
import type { DeepReadonly } from 'rxdb';
import { map } from 'rxjs';
import type { InventoryTransaction } from '../../shared/collections.js';
import { useUi, type MovePrefill } from '../app/ui-store.js';
import { useLiveQuery } from '../db/use-live-query.js';
import type { ActiveSession } from '../session/controller.js';
import { useWarehouses } from '../warehouses/use-warehouses.js';
import { draftFromRejected } from './correction.js';
import { emptyDraft } from './move-draft.js';
import { MoveForm, type Correcting } from './MoveForm.js';
import { RecentTransactions } from './RecentTransactions.js';
import { useProductMap, useReasonCodes } from './use-move-data.js';

const useStyles = makeStyles({
  layout: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, maxWidth: '760px' },
});

/** Adjust, count, transfer and record parts used: the everyday stock moves, all working offline. */
export function MovesScreen({ session }: { session: Pick<ActiveSession, 'db' | 'user'> }) {
  const styles = useStyles();
  const { db } = session;
  const warehouses = useWarehouses(db);
  const products = useProductMap(db);
  const reasons = useReasonCodes(db);
  const prefill = useUi((s) => s.movePrefill);
  const correctsId = prefill?.correctsId ?? '';
  // A fix starts from the rejected document itself, read by id from the local database.
  const rejected = useLiveQuery(
    () => db.inventoryTransactions.findOne(correctsId || '-').$.pipe(map((doc) => ({ id: correctsId, doc: doc?.toJSON() ?? null }))),
    [db, correctsId],
  );
  const start = useMemo(() => startingPoint(prefill, rejected), [prefill, rejected]);
  const warehouseMap = useMemo(() => new Map((warehouses ?? []).map((w) => [w.id, w])), [warehouses]);

  return (
    <div className={styles.layout}>
      <Title2 as="h2">Stock moves</Title2>
      {!warehouses || !products || !reasons || start === 'loading' ? (
        <Spinner label="Loading…" />
      ) : (
        <>
          {start.missing && (
            <MessageBar intent="warning" role="alert">
              <MessageBarBody>The rejected document to fix is not on this device any more; start a new move instead.</MessageBarBody>
            </MessageBar>
          )}
          {/* A new prefill (a stock row's Adjust, a Fix) starts the form afresh. */}
          <MoveForm
            key={start.key}
            session={session}
            initial={start.draft}
            correcting={start.correcting}
            warehouses={warehouses}
            products={products}
            reasons={reasons}
          />
          <RecentTransactions db={db} products={products} warehouses={warehouseMap} />
        </>
      )}
    </div>
  );
}

type Rejected = { id: string; doc: DeepReadonly<InventoryTransaction> | null } | undefined;

function startingPoint(prefill: MovePrefill | null, rejected: Rejected) {
  const correctsId = prefill?.correctsId ?? '';
  if (correctsId && (!rejected || rejected.id !== correctsId)) return 'loading' as const;
  const doc = correctsId ? (rejected?.doc ?? null) : null;
  if (doc) {
    const correcting: Correcting = { id: doc.id, reason: doc.error?.message ?? 'rejected by the server' };
    return { key: `fix:${doc.id}`, draft: draftFromRejected(doc), correcting, missing: false };
  }
  const draft = emptyDraft(prefill?.type ?? 'adjustment', prefill?.warehouseId ?? '', prefill?.productId ?? '');
  return { key: `new:${prefill?.type ?? ''}:${prefill?.warehouseId ?? ''}:${prefill?.productId ?? ''}`, draft, correcting: null, missing: Boolean(correctsId) };
}
