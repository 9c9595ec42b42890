import { Badge, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3, tokens } from '@fluentui/react-components';
import type { DeepReadonly } from 'rxdb';
import type { Receipt } from '../../shared/collections.js';
import { formatUnits, units } from '../../shared/decimal.js';
import { ErpRefusalNote } from '../transactions/ErpRefusalNote.js';
import type { ReceiveLine } from './receive-lines.js';

const useStyles = makeStyles({ section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS } });

/** Every receipt of the order with its sync state: waiting to upload, posted (and refused by the ERP, if it was), or rejected with the server's reason. */
export function ReceiptHistory({ receipts, lines }: { receipts: readonly DeepReadonly<Receipt>[] | undefined; lines: readonly ReceiveLine[] }) {
  const styles = useStyles();
  const byLine = new Map(lines.map((l) => [l.lineNumber, l]));
  return (
    <section aria-labelledby="receipts-title" className={styles.section}>
      <Title3 as="h3" id="receipts-title">
        Receipts for this PO
      </Title3>
      {!receipts || receipts.length === 0 ? (
        <Text as="p">No receipts for this order yet.</Text>
      ) : (
        <Table aria-labelledby="receipts-title" size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Received</TableHeaderCell>
              <TableHeaderCell>Lines</TableHeaderCell>
              <TableHeaderCell>Note</TableHeaderCell>
              <TableHeaderCell>State</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {receipts.map((r) => (
              <TableRow key={r.id}>
                <TableCell>{new Date(r.receivedAt).toLocaleString()}</TableCell>
                <TableCell>
                  {r.lines
                    .map((l) => `Line ${l.lineNumber} ${byLine.get(l.lineNumber)?.productNumber ?? l.productId}: ${quantityText(l.quantity)} ${l.unit ?? byLine.get(l.lineNumber)?.unit ?? ''}`.trimEnd())
                    .join('; ')}
                </TableCell>
                <TableCell>{r.note ?? ''}</TableCell>
                <TableCell>
                  <ReceiptState receipt={r} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}

function ReceiptState({ receipt }: { receipt: DeepReadonly<Receipt> }) {
  switch (receipt.status) {
    case 'pending':
      return <Badge color="warning">Waiting to upload</Badge>;
    case 'posted':
      return (
        <span>
          <Badge color="success">Posted</Badge>
          {receipt.erpError && <ErpRefusalNote error={receipt.erpError} />}
        </span>
      );
    case 'rejected':
      return (
        <span>
          <Badge color="danger">Rejected</Badge> <Text size={200}>{receipt.error?.message ?? 'The server gave no reason.'}</Text>
        </span>
      );
  }
}

function quantityText(quantity: number): string {
  try {
    return formatUnits(units(quantity));
  } catch {
    return String(quantity);
  }
}
