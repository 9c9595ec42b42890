import { makeStyles, Spinner, Text, Title3, tokens } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { formatUnits } from '../../shared/decimal.js';
import { useUi } from '../app/ui-store.js';
import { plain$, useLiveQuery } from '../db/use-live-query.js';
import { ExportPanel } from '../export/ExportPanel.js';
import { ReceiptView } from '../receipt-print/ReceiptView.js';
import type { ActiveSession } from '../session/controller.js';
import { defaultWarehouseId, warehousesInScope } from '../warehouses/scope.js';
import { useWarehouses } from '../warehouses/use-warehouses.js';
import { NoWarehouseInScope, WarehousePicker } from '../warehouses/WarehousePicker.js';
import { HistoryTable } from './HistoryTable.js';
import { onHandSeries } from './on-hand-over-time.js';
import { OnHandChart } from './OnHandChart.js';
import { ProductPicker, productLabel } from './ProductPicker.js';
import { useProductHistory } from './use-history.js';

const useStyles = makeStyles({
  screen: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '64rem' },
  controls: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'flex-start' },
  product: { minWidth: '20rem', flexGrow: 1, maxWidth: '32rem' },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  empty: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, paddingBlock: tokens.spacingVerticalM },
});

/** One product's posted movements in one warehouse: a chart of on hand over time and the journal lines behind it. */
export function HistoryScreen({ session }: { session: Pick<ActiveSession, 'db' | 'user'> }) {
  const styles = useStyles();
  const { db, user } = session;
  const warehouses = useWarehouses(db);
  // Every product, inactive ones too: their history does not end when they are retired.
  const products = useLiveQuery(() => plain$(db.products.find({ sort: [{ number: 'asc' }] })), [db]);
  const focus = useUi((s) => s.historyFocus);
  const setFocus = useUi((s) => s.setHistoryFocus);
  const [openReceiptId, setOpenReceiptId] = useState<string | null>(null);

  const inScope = useMemo(() => warehousesInScope(warehouses ?? [], user), [warehouses, user]);
  const warehouse = inScope.find((w) => w.id === focus.warehouseId) ?? inScope.find((w) => w.id === defaultWarehouseId(inScope));
  const product = focus.productId ? products?.find((p) => p.id === focus.productId) : undefined;
  const history = useProductHistory(db, warehouse?.id ?? null, product?.id ?? null);

  if (openReceiptId) return <ReceiptView db={db} receiptId={openReceiptId} onClose={() => setOpenReceiptId(null)} />;

  return (
    <section aria-labelledby="history-title" className={styles.screen}>
      <Title3 as="h2" id="history-title">
        History
      </Title3>
      {!warehouses || !products ? (
        <Spinner label="Loading…" />
      ) : !warehouse ? (
        <NoWarehouseInScope what="History" />
      ) : (
        <>
          <div className={styles.controls}>
            <WarehousePicker warehouses={inScope} selected={warehouse} onSelect={(warehouseId) => setFocus({ warehouseId })} />
            <ProductPicker className={styles.product} products={products} productId={product?.id ?? null} onChange={(productId) => setFocus({ productId })} />
          </div>
          {!product ? (
            <div className={styles.empty}>
              <Text weight="semibold">Choose a product to see its movements in {warehouse.code}.</Text>
              <Text>Every posted adjustment, transfer, count, consumption and receipt is listed, with on hand after each.</Text>
            </div>
          ) : !history ? (
            <Spinner label="Loading movements…" />
          ) : (
            <ProductHistoryView
              subject={`${product.number} in ${warehouse.code}`}
              productName={productLabel(product)}
              unit={product.unit}
              history={history}
              onOpenReceipt={setOpenReceiptId}
            />
          )}
          <ExportPanel db={db} warehouse={warehouse} />
        </>
      )}
    </section>
  );
}

function ProductHistoryView({
  subject,
  productName,
  unit,
  history,
  onOpenReceipt,
}: {
  subject: string;
  productName: string;
  unit: string;
  history: NonNullable<ReturnType<typeof useProductHistory>>;
  onOpenReceipt(receiptId: string): void;
}) {
  const styles = useStyles();
  // "Now" is when the history last changed: a re-render alone must not move the chart's end.
  const points = useMemo(() => onHandSeries(history.steps, history.current, Date.now()), [history]);
  return (
    <>
      <Text>
        {productName}: <Text weight="semibold">{`${formatUnits(history.current)} ${unit}`}</Text> on hand now, as last synced from the server.
      </Text>
      {history.steps.length === 0 ? (
        <div className={styles.empty} role="status">
          <Text weight="semibold">No movements yet.</Text>
          <Text>
            {subject} has no posted movements on this device. Adjustments, transfers, counts and receipts appear here once the server has posted them and the device
            has synced.
          </Text>
        </div>
      ) : (
        <>
          <section aria-labelledby="history-chart-title" className={styles.section}>
            <Title3 as="h3" id="history-chart-title">
              On hand over time
            </Title3>
            <OnHandChart points={points} subject={subject} movements={history.steps.length} />
          </section>
          <section aria-labelledby="history-table-title" className={styles.section}>
            <Title3 as="h3" id="history-table-title">
              Movements
            </Title3>
            <HistoryTable steps={history.steps} label={`Movements of ${subject}`} onOpenReceipt={onOpenReceipt} />
          </section>
        </>
      )}
    </>
  );
}
