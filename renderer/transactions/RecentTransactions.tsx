import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3 } from '@fluentui/react-components';
import type { DeepReadonly } from 'rxdb';
import type { Product, Warehouse } from '../../shared/collections.js';
import type { FieldstockDatabase } from '../db/database.js';
import { correctedId } from './correction.js';
import { MOVE_LABELS, moveQuantity, moveWhere, productLabel } from './describe-move.js';
import { SyncState } from './SyncState.js';
import { useRecentTransactions } from './use-move-data.js';

interface Props {
  db: FieldstockDatabase;
  products: ReadonlyMap<string, DeepReadonly<Product>>;
  warehouses: ReadonlyMap<string, DeepReadonly<Warehouse>>;
}

/** Every document written on the device shows its sync state: waiting, posted with its journal, or rejected with the reason. */
export function RecentTransactions({ db, products, warehouses }: Props) {
  const transactions = useRecentTransactions(db);
  return (
    <section aria-labelledby="recent-title">
      <Title3 as="h2" id="recent-title">
        Recent transactions
      </Title3>
      {!transactions || transactions.length === 0 ? (
        <Text as="p">No transactions on this device yet. What you save above appears here with its upload state.</Text>
      ) : (
        <Table aria-labelledby="recent-title" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Type</TableHeaderCell>
              <TableHeaderCell>Product</TableHeaderCell>
              <TableHeaderCell>Where</TableHeaderCell>
              <TableHeaderCell>Quantity</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {transactions.map((t) => {
              const corrects = correctedId(t);
              return (
                <TableRow key={t.id}>
                  <TableCell>{new Date(t.occurredAt).toLocaleString()}</TableCell>
                  <TableCell>
                    {MOVE_LABELS[t.type].kind}
                    {corrects && <Text size={200} title={`Corrects ${corrects}`}>{' (fix)'}</Text>}
                  </TableCell>
                  <TableCell>{productLabel(products, t.productId)}</TableCell>
                  <TableCell>{moveWhere(t, warehouses)}</TableCell>
                  <TableCell>{moveQuantity(t)}</TableCell>
                  <TableCell>
                    <SyncState doc={t} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
