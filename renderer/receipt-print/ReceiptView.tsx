import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
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
import { ArrowDownload20Regular, ArrowLeft24Regular, Print20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { DeepReadonly } from 'rxdb';
import { formatUnits, parseQuantity } from '../../shared/decimal.js';
import type { Receipt } from '../../shared/collections.js';
import { useServices } from '../app/services.js';
import type { FieldstockDatabase } from '../db/database.js';
import { CSV_MIME_TYPE } from '../export/csv.js';
import { exportReceipt } from '../export/export-data.js';
import { receiptFileStem } from '../export/file-name.js';
import { receiptLineUnit } from '../export/receipt-csv.js';
import { RECEIPT_PRINT_CSS } from './print-styles.js';
import { useReceiptDetails, type ReceiptDetails } from './use-receipt.js';

const useStyles = makeStyles({
  view: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '56rem' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  control: { minHeight: '44px' },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold },
  detail: { margin: 0 },
  numeric: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
});

export const RECEIPT_STATUS_LABELS: Record<DeepReadonly<Receipt>['status'], string> = {
  pending: 'Waiting to upload',
  posted: 'Posted',
  rejected: 'Rejected',
};

function quantityText(value: number): string {
  const parsed = parseQuantity(value);
  return parsed.ok ? formatUnits(parsed.units) : String(value);
}

type Outcome = { kind: 'failed'; message: string } | { kind: 'done'; message: string } | null;

/** A receipt laid out for printing: the desktop app saves it as a PDF, a browser opens its print dialog. */
export function ReceiptView({ db, receiptId, onClose }: { db: FieldstockDatabase; receiptId: string; onClose(): void }) {
  const styles = useStyles();
  const details = useReceiptDetails(db, receiptId);
  return (
    <div className={styles.view}>
      <div className={styles.actions} data-print="hide">
        <Button className={styles.control} icon={<ArrowLeft24Regular />} onClick={onClose}>
          Back to history
        </Button>
      </div>
      {details === undefined ? (
        <Spinner label="Loading receipt…" />
      ) : details === null ? (
        <MessageBar intent="warning">
          <MessageBarBody>Receipt {receiptId} is not on this device. It may belong to a warehouse outside your scope.</MessageBarBody>
        </MessageBar>
      ) : (
        <PrintableReceipt db={db} details={details} />
      )}
    </div>
  );
}

function PrintableReceipt({ db, details }: { db: FieldstockDatabase; details: ReceiptDetails }) {
  const styles = useStyles();
  const { platform } = useServices();
  const { receipt, order, warehouse, products } = details;
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const orderNumber = order?.number ?? receipt.purchaseOrderId;
  const stem = receiptFileStem(orderNumber, receipt.id);
  const lookups = { purchaseOrders: new Map(order ? [[order.id, order]] : []), productUnits: new Map([...products].map(([id, p]) => [id, p.unit])) };

  const act = async (what: string, action: () => Promise<string | null>) => {
    setBusy(true);
    setOutcome(null);
    try {
      const message = await action();
      if (message) setOutcome({ kind: 'done', message });
    } catch (error) {
      setOutcome({ kind: 'failed', message: `${what} did not work: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(false);
    }
  };
  const print = () =>
    act('Printing', async () => {
      await platform.printPage(stem);
      return null;
    });
  const exportCsv = () =>
    act('The export', async () => {
      const file = await exportReceipt(db, receipt);
      await platform.exportFile(`${stem}.csv`, file.content, CSV_MIME_TYPE);
      return `Receipt exported as ${stem}.csv.`;
    });

  const titleId = `receipt-title-${receipt.id}`;
  return (
    <article aria-labelledby={titleId}>
      {/* Only while a receipt is open: printing any other screen keeps its own layout. */}
      <style media="print">{RECEIPT_PRINT_CSS}</style>
      <div className={styles.actions} data-print="hide">
        <Button className={styles.control} appearance="primary" icon={<Print20Regular />} disabled={busy} onClick={() => void print()}>
          Print
        </Button>
        <Button className={styles.control} icon={<ArrowDownload20Regular />} disabled={busy} onClick={() => void exportCsv()}>
          Export receipt (CSV)
        </Button>
      </div>
      {outcome && (
        <div data-print="hide">
          <MessageBar intent={outcome.kind === 'failed' ? 'error' : 'success'} role={outcome.kind === 'failed' ? 'alert' : 'status'}>
            <MessageBarBody>{outcome.message}</MessageBarBody>
          </MessageBar>
        </div>
      )}
      <Title3 as="h2" id={titleId}>
        Receipt for purchase order {orderNumber}
      </Title3>
      <dl className={styles.facts}>
        <dt className={styles.term}>Vendor</dt>
        <dd className={styles.detail}>{order?.vendorName ?? 'Not on this device'}</dd>
        <dt className={styles.term}>Warehouse</dt>
        <dd className={styles.detail}>{warehouse ? `${warehouse.code} — ${warehouse.name}` : receipt.warehouseId}</dd>
        <dt className={styles.term}>Received at</dt>
        <dd className={styles.detail}>{new Date(receipt.receivedAt).toLocaleString()}</dd>
        <dt className={styles.term}>Receipt</dt>
        <dd className={styles.detail}>{receipt.id}</dd>
        <dt className={styles.term}>Status</dt>
        <dd className={styles.detail}>
          {RECEIPT_STATUS_LABELS[receipt.status]}
          {receipt.error ? ` — ${receipt.error.message}` : ''}
        </dd>
        {receipt.note ? (
          <>
            <dt className={styles.term}>Note</dt>
            <dd className={styles.detail}>{receipt.note}</dd>
          </>
        ) : null}
      </dl>
      <Table aria-label={`Lines of the receipt for ${orderNumber}`} size="small">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>Line</TableHeaderCell>
            <TableHeaderCell>Product</TableHeaderCell>
            <TableHeaderCell className={styles.numeric}>Quantity</TableHeaderCell>
            <TableHeaderCell>Unit</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {[...receipt.lines]
            .sort((a, b) => a.lineNumber - b.lineNumber)
            .map((line) => {
              const product = products.get(line.productId);
              return (
                <TableRow key={line.lineNumber}>
                  <TableCell>{line.lineNumber}</TableCell>
                  <TableCell>{product ? `${product.number} — ${product.name}` : line.productId}</TableCell>
                  <TableCell className={styles.numeric}>{quantityText(line.quantity)}</TableCell>
                  <TableCell>{receiptLineUnit(receipt, line, lookups) ?? ''}</TableCell>
                  <TableCell>{RECEIPT_STATUS_LABELS[receipt.status]}</TableCell>
                </TableRow>
              );
            })}
        </TableBody>
      </Table>
      <Text size={200}>
        {receipt.lines.length === 1 ? '1 line' : `${receipt.lines.length} lines`} · printed {new Date().toLocaleString()}
      </Text>
    </article>
  );
}
