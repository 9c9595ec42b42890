import { Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { OutboxItem } from './erp-wire.js';

export interface PoisonTableProps {
  items: readonly OutboxItem[];
  busy: string | null;
  onRetry(id: string): void;
}

/** Items the ERP refused for good: each waits for an admin to fix the ERP's data and retry it. */
export function PoisonTable({ items, busy, onRetry }: PoisonTableProps) {
  return (
    <Table size="small">
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>Needs a retry: items the ERP refused</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Map</TableHeaderCell>
          <TableHeaderCell>Operation</TableHeaderCell>
          <TableHeaderCell>Document</TableHeaderCell>
          <TableHeaderCell>Attempts</TableHeaderCell>
          <TableHeaderCell>Error</TableHeaderCell>
          <TableHeaderCell>Action</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((item) => (
          <TableRow key={item.id}>
            <TableCell>{item.map}</TableCell>
            <TableCell>{item.operation}</TableCell>
            <TableCell>{item.documentId}</TableCell>
            <TableCell>{item.attempts}</TableCell>
            <TableCell>{item.lastError ? `${item.lastError.code}: ${item.lastError.message}` : 'No error recorded'}</TableCell>
            <TableCell>
              <Button size="small" disabled={busy !== null} aria-label={`Retry ${item.map} ${item.operation} of ${item.documentId}`} onClick={() => onRetry(item.id)}>
                Retry
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
