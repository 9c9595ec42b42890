import {
  Badge,
  Button,
  Field,
  makeStyles,
  SearchBox,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title3,
  tokens,
} from '@fluentui/react-components';
import type { DeepReadonly } from 'rxdb';
import { useMemo, useState } from 'react';
import type { Warehouse } from '../../shared/collections.js';
import type { FieldstockDatabase } from '../db/database.js';
import { openOrderRows } from './open-orders.js';
import { useReceivableOrders } from './use-receive-data.js';

const useStyles = makeStyles({
  screen: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  search: { maxWidth: '32rem' },
  // Touch targets for gloves.
  control: { minHeight: '44px' },
  empty: { display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: tokens.spacingVerticalS, paddingBlock: tokens.spacingVerticalL },
});

/** Open and partially received purchase orders for the user's warehouses, searchable by PO number or vendor. */
export function OpenOrderList({
  db,
  inScope,
  loading,
  onOpen,
}: {
  db: FieldstockDatabase;
  inScope: readonly DeepReadonly<Warehouse>[];
  /** The warehouses are not read yet: no "nothing here" before they are. */
  loading: boolean;
  onOpen: (purchaseOrderId: string) => void;
}) {
  const styles = useStyles();
  const orders = useReceivableOrders(db);
  const [query, setQuery] = useState('');
  const all = useMemo(() => openOrderRows(orders ?? [], inScope, ''), [orders, inScope]);
  const visible = useMemo(() => (query.trim() ? openOrderRows(orders ?? [], inScope, query) : all), [orders, inScope, query, all]);
  const scopeText = inScope.length > 0 ? inScope.map((w) => w.code).join(', ') : 'none yet';

  return (
    <section aria-labelledby="receive-title" className={styles.screen}>
      <Title3 as="h2" id="receive-title">
        Receive
      </Title3>
      {!orders || loading ? (
        <Spinner label="Loading purchase orders…" />
      ) : all.length === 0 ? (
        <div className={styles.empty}>
          <Text weight="semibold">No open purchase orders for your warehouses ({scopeText}).</Text>
          <Text>A purchase order appears here when it is sent to one of them and this device has synced. Receiving works offline once it is here.</Text>
        </div>
      ) : (
        <>
          <Field label="Search purchase orders" hint="PO number or vendor" className={styles.search}>
            <SearchBox className={styles.control} value={query} onChange={(_, data) => setQuery(data.value)} />
          </Field>
          {visible.length === 0 ? (
            <div className={styles.empty} role="status">
              <Text weight="semibold">No open purchase order matches “{query.trim()}”.</Text>
              <Text>Search looks in PO numbers and vendor names.</Text>
              <Button className={styles.control} onClick={() => setQuery('')}>
                Clear search
              </Button>
            </div>
          ) : (
            <Table aria-label="Open purchase orders" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>PO number</TableHeaderCell>
                  <TableHeaderCell>Vendor</TableHeaderCell>
                  <TableHeaderCell>Deliver to</TableHeaderCell>
                  <TableHeaderCell>Expected</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Action</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {visible.map((row) => (
                  <TableRow key={row.id}>
                    <TableCell>{row.number}</TableCell>
                    <TableCell>{row.vendorName}</TableCell>
                    <TableCell>{row.warehouseLabel}</TableCell>
                    <TableCell>{row.expectedDate ? new Date(row.expectedDate).toLocaleDateString() : 'Not given'}</TableCell>
                    <TableCell>
                      <Badge appearance="tint" color={row.status === 'open' ? 'informative' : 'warning'}>
                        {row.status === 'open' ? 'Open' : 'Partially received'}
                      </Badge>
                    </TableCell>
                    <TableCell>
                      <Button className={styles.control} onClick={() => onOpen(row.id)} aria-label={`Receive ${row.number}`}>
                        Receive
                      </Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </>
      )}
    </section>
  );
}
