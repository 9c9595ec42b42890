import { Badge, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3 } from '@fluentui/react-components';
import type { ActiveSession } from '../session/controller.js';
import { useWarehouses } from './use-warehouses.js';

/** A first, simple list; the warehouse screen (nearby, stock per site) comes in a later step. */
export function WarehousesScreen({ session }: { session: ActiveSession }) {
  const warehouses = useWarehouses(session.db);
  const mine = new Set(session.user?.warehouseIds ?? []);
  return (
    <section aria-labelledby="warehouses-title">
      <Title3 as="h2" id="warehouses-title">
        Warehouses and trucks
      </Title3>
      {!warehouses ? (
        <Spinner label="Loading warehouses…" />
      ) : warehouses.length === 0 ? (
        <Text>No warehouses on this device yet. They appear after the first sync.</Text>
      ) : (
        <Table aria-labelledby="warehouses-title" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Code</TableHeaderCell>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Kind</TableHeaderCell>
              <TableHeaderCell>Address</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {warehouses.map((w) => (
              <TableRow key={w.id}>
                <TableCell>{w.code}</TableCell>
                <TableCell>
                  {w.name} {mine.has(w.id) && <Badge appearance="tint">yours</Badge>}
                </TableCell>
                <TableCell>{w.kind === 'truck' ? 'Truck' : 'Warehouse'}</TableCell>
                <TableCell>{w.address ?? ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
