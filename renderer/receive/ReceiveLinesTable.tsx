import { Field, Input, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, tokens } from '@fluentui/react-components';
import { formatUnits, QUANTITY_SCALE, type Units } from '../../shared/decimal.js';
import { parseEntry, type TypedQuantities } from './receipt-draft.js';
import { baseEquivalent, receivedBefore, type ReceiveLine } from './receive-lines.js';

const useStyles = makeStyles({
  // The product name takes what the fixed columns leave.
  narrow: { width: '4rem' },
  quantity: { width: '7.5rem' },
  unit: { width: '5rem' },
  entry: { width: '11rem' },
  number: { fontVariantNumeric: 'tabular-nums' },
  input: { minWidth: '8rem', minHeight: '44px' },
  pending: { display: 'block', color: tokens.colorPaletteMarigoldForeground2 },
});

const ONE = QUANTITY_SCALE as Units;

/** The PO's lines with a quantity field each; what a field shows below it says what the typed amount means in base units. */
export function ReceiveLinesTable({
  lines,
  typed,
  errors,
  disabled,
  onType,
}: {
  lines: readonly ReceiveLine[];
  typed: TypedQuantities;
  errors: Readonly<Record<number, string>>;
  disabled: boolean;
  onType: (lineNumber: number, text: string) => void;
}) {
  const styles = useStyles();
  return (
    <Table aria-label="Purchase order lines" size="small">
      <TableHeader>
        <TableRow>
          <TableHeaderCell className={styles.narrow}>Line</TableHeaderCell>
          <TableHeaderCell>Product</TableHeaderCell>
          <TableHeaderCell className={styles.quantity}>Ordered</TableHeaderCell>
          <TableHeaderCell className={styles.quantity}>Already received (incl. pending)</TableHeaderCell>
          <TableHeaderCell className={styles.quantity}>Remaining</TableHeaderCell>
          <TableHeaderCell className={styles.unit}>Unit</TableHeaderCell>
          <TableHeaderCell className={styles.entry}>Receive now</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {lines.map((line) => {
          const entry = parseEntry(typed[line.lineNumber]);
          const error = errors[line.lineNumber];
          const equivalent = baseEquivalent(line, entry.kind === 'quantity' ? entry.units : ONE);
          const unitWarning = line.conversion.ok ? null : line.conversion.problem.message;
          return (
            <TableRow key={line.lineNumber}>
              <TableCell>{line.lineNumber}</TableCell>
              <TableCell>{line.productLabel}</TableCell>
              <TableCell className={styles.number}>{formatUnits(line.ordered)}</TableCell>
              <TableCell className={styles.number}>
                {formatUnits(receivedBefore(line))}
                {line.pending > 0 && (
                  <Text size={200} className={styles.pending}>
                    incl. {formatUnits(line.pending)} waiting to upload
                  </Text>
                )}
              </TableCell>
              <TableCell className={styles.number}>{formatUnits(line.remaining)}</TableCell>
              <TableCell>{line.unit}</TableCell>
              <TableCell>
                <Field
                  validationMessage={error ?? unitWarning ?? undefined}
                  validationState={error ? 'error' : unitWarning ? 'warning' : 'none'}
                  hint={equivalent ?? undefined}
                >
                  <Input
                    className={styles.input}
                    aria-label={`Receive now, line ${line.lineNumber} ${line.productNumber} in ${line.unit}`}
                    inputMode="decimal"
                    autoComplete="off"
                    value={typed[line.lineNumber] ?? ''}
                    disabled={disabled}
                    onChange={(_, data) => onType(line.lineNumber, data.value)}
                  />
                </Field>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

