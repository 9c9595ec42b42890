import { Button, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { formatUnits, type Units } from '../../shared/decimal.js';
import type { HistoryStep } from './use-history.js';

const useStyles = makeStyles({
  numeric: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  id: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, wordBreak: 'break-all' },
  note: { color: tokens.colorNeutralForeground3 },
});

const TYPE_LABELS: Record<string, string> = {
  adjustment: 'Adjustment',
  count: 'Count',
  consumption: 'Consumption',
  receipt: 'Receipt',
};

/** A transfer line leaves the journal's own warehouse and enters toWarehouseId. */
export function movementType(step: HistoryStep): string {
  const { journal, line } = step.movement;
  if (journal.journalName === 'transfer') return line.warehouseId === journal.warehouseId ? 'Transfer out' : 'Transfer in';
  return TYPE_LABELS[journal.journalName] ?? journal.journalName;
}

export function signedUnits(value: Units): string {
  return value > 0 ? `+${formatUnits(value)}` : formatUnits(value);
}

/** What was asked for, where it is not simply the change: the counted level, or a change a later count absorbed. */
export function requestedText(step: HistoryStep): string {
  const { journal, requested, quantity } = step.movement;
  if (requested === null) return '';
  if (journal.journalName === 'count') return `Counted ${formatUnits(requested)}`;
  if (quantity === 0) return `${signedUnits(requested)} (already in a later count)`;
  return signedUnits(requested);
}

export function HistoryTable({ steps, label, onOpenReceipt }: { steps: readonly HistoryStep[]; label: string; onOpenReceipt(receiptId: string): void }) {
  const styles = useStyles();
  return (
    <Table aria-label={label} size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Date</TableHeaderCell>
          <TableHeaderCell>Type</TableHeaderCell>
          <TableHeaderCell className={styles.numeric}>Change</TableHeaderCell>
          <TableHeaderCell>Requested</TableHeaderCell>
          <TableHeaderCell className={styles.numeric}>On hand after</TableHeaderCell>
          <TableHeaderCell>Source document</TableHeaderCell>
          <TableHeaderCell>ERP status</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {steps.map((step) => {
          const { journal, line, occurredAt, quantity, status } = step.movement;
          return (
            <TableRow key={`${journal.id}:${line.lineNumber}`}>
              <TableCell>{occurredAt ? new Date(occurredAt).toLocaleString() : 'Unknown'}</TableCell>
              <TableCell>{movementType(step)}</TableCell>
              <TableCell className={styles.numeric}>{signedUnits(quantity)}</TableCell>
              <TableCell>
                <Text className={styles.note}>{requestedText(step)}</Text>
              </TableCell>
              <TableCell className={styles.numeric}>{formatUnits(step.after)}</TableCell>
              <TableCell>
                {journal.sourceCollection === 'receipts' && journal.sourceId ? (
                  <Button appearance="transparent" size="small" onClick={() => onOpenReceipt(journal.sourceId ?? '')} aria-label={`Open receipt ${journal.sourceId}`}>
                    <span className={styles.id}>{journal.sourceId}</span>
                  </Button>
                ) : (
                  <span className={styles.id}>{journal.sourceId ?? '—'}</span>
                )}
              </TableCell>
              <TableCell>{status.label}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
