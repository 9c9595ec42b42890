import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3 } from '@fluentui/react-components';
import type { DeepReadonly } from 'rxdb';
import { useMemo } from 'react';
import type { InventoryTransaction, Product } from '../../shared/collections.js';
import type { FieldstockDatabase } from '../db/database.js';
import { useRecentTransactions } from './use-adjust-data.js';

/** Every document written on the device shows its sync state: waiting, posted, or rejected with the reason. */
export function RecentTransactions({ db, products }: { db: FieldstockDatabase; products: readonly DeepReadonly<Product>[] }) {
  const transactions = useRecentTransactions(db);
  const productNames = useMemo(() => new Map(products.map((p) => [p.id, `${p.number} — ${p.name}`])), [products]);
  return (
    <section aria-labelledby="recent-title">
      <Title3 as="h2" id="recent-title">
        Recent transactions
      </Title3>
      {!transactions || transactions.length === 0 ? (
        <Text as="p">No transactions on this device yet.</Text>
      ) : (
        <Table aria-labelledby="recent-title" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>When</TableHeaderCell>
              <TableHeaderCell>Product</TableHeaderCell>
              <TableHeaderCell>Quantity</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {transactions.map((t) => (
              <TableRow key={t.id}>
                <TableCell>{new Date(t.occurredAt).toLocaleString()}</TableCell>
                <TableCell>{productNames.get(t.productId) ?? t.productId}</TableCell>
                <TableCell>{t.quantity > 0 && t.type === 'adjustment' ? `+${t.quantity}` : t.quantity}</TableCell>
                <TableCell>
                  <SyncState transaction={t} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function SyncState({ transaction }: { transaction: DeepReadonly<InventoryTransaction> }) {
  switch (transaction.status) {
    case 'pending':
      return <Badge color="warning">Waiting to upload</Badge>;
    case 'posted':
      return <Badge color="success">Posted</Badge>;
    case 'rejected':
      return (
        <span>
          <Badge color="danger">Rejected</Badge> <Text size={200}>{transaction.error?.message ?? ''}</Text>
        </span>
      );
  }
}
