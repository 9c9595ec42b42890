import { Button, Field, makeStyles, SearchBox, Spinner, Text, Title3, tokens } from '@fluentui/react-components';
import { useMemo, useRef, type KeyboardEvent } from 'react';
import { useUi } from '../app/ui-store.js';
import type { ActiveSession } from '../session/controller.js';
import { defaultWarehouseId, warehousesInScope } from '../warehouses/scope.js';
import { useWarehouses } from '../warehouses/use-warehouses.js';
import { NoWarehouseInScope, WarehousePicker } from '../warehouses/WarehousePicker.js';
import { StockGrid } from './StockGrid.js';
import { filterRows } from './stock-rows.js';
import { useDebouncedValue } from './use-debounced-value.js';
import { useStockRows } from './use-stock-rows.js';

/** Long enough to skip the intermediate keystrokes, short enough to feel immediate. */
const SEARCH_DEBOUNCE_MS = 150;

const useStyles = makeStyles({
  screen: { height: '100%', minHeight: '28rem', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  controls: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'flex-start' },
  search: { minWidth: '20rem', flexGrow: 1, maxWidth: '32rem' },
  // Touch targets for gloves.
  control: { minHeight: '44px' },
  empty: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalL },
});

/** Stock of one warehouse or truck in the user's scope, with this device's pending changes beside the server's numbers. */
export function StockScreen({ session }: { session: Pick<ActiveSession, 'db' | 'user'> }) {
  const styles = useStyles();
  const { db, user } = session;
  const warehouses = useWarehouses(db);
  const filter = useUi((s) => s.stockFilter);
  const setStockFilter = useUi((s) => s.setStockFilter);
  const openAdjust = useUi((s) => s.openAdjust);
  const showHistory = useUi((s) => s.showHistory);
  const gridRef = useRef<HTMLDivElement>(null);

  const inScope = useMemo(() => warehousesInScope(warehouses ?? [], user), [warehouses, user]);
  // A remembered warehouse that left the scope (or another user's choice) falls back to the default.
  const warehouse = inScope.find((w) => w.id === filter.warehouseId) ?? inScope.find((w) => w.id === defaultWarehouseId(inScope));
  const stock = useStockRows(db, warehouse?.id ?? null);
  const query = useDebouncedValue(filter.text, SEARCH_DEBOUNCE_MS);
  const visible = useMemo(() => (stock ? filterRows(stock, query) : []), [stock, query]);

  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // From the search straight into the results, as in a combobox.
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      gridRef.current?.focus();
    }
  };

  return (
    <section aria-labelledby="stock-title" className={styles.screen}>
      <Title3 as="h2" id="stock-title">
        Stock
      </Title3>
      {!warehouses ? (
        <Spinner label="Loading warehouses…" />
      ) : !warehouse ? (
        <NoWarehouseInScope what="Stock" />
      ) : (
        <>
          <div className={styles.controls}>
            <WarehousePicker warehouses={inScope} selected={warehouse} onSelect={(warehouseId) => setStockFilter({ warehouseId })} />
            <Field label="Search products" hint="Product number, name or barcode" className={styles.search}>
              <SearchBox
                className={styles.control}
                value={filter.text}
                onChange={(_, data) => setStockFilter({ text: data.value })}
                onKeyDown={onSearchKeyDown}
              />
            </Field>
          </div>
          {!stock ? (
            <Spinner label="Loading stock…" />
          ) : stock.rows.length === 0 ? (
            <div className={styles.empty}>
              <Text weight="semibold">No stock recorded for {warehouse.code} — {warehouse.name}.</Text>
              <Text>Products appear here when stock is received, transferred in or adjusted.</Text>
            </div>
          ) : visible.length === 0 ? (
            <div className={styles.empty} role="status">
              <Text weight="semibold">No product matches “{query.trim()}” in {warehouse.code} — {warehouse.name}.</Text>
              <Text>Search looks in product numbers, names and barcodes.</Text>
              <Button className={styles.control} onClick={() => setStockFilter({ text: '' })}>
                Clear search
              </Button>
            </div>
          ) : (
            <>
              <Text aria-live="polite">
                {visible.length === stock.rows.length
                  ? `${stock.rows.length.toLocaleString()} products`
                  : `${visible.length.toLocaleString()} of ${stock.rows.length.toLocaleString()} products`}
              </Text>
              <StockGrid
                rows={visible}
                label="Stock"
                gridRef={gridRef}
                onAdjust={(row) => openAdjust({ warehouseId: warehouse.id, productId: row.productId })}
                onHistory={(row) => showHistory({ warehouseId: warehouse.id, productId: row.productId })}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}
