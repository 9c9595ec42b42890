import { Badge, Button, makeStyles, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, tokens } from '@fluentui/react-components';
import { useRef, type KeyboardEvent } from 'react';
import { formatKm } from './distance.js';
import type { ListedWarehouse } from './warehouse-list.js';

const useStyles = makeStyles({
  row: { cursor: 'pointer' },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  // Large enough for a gloved finger; the code is what the user scans for.
  pick: { minHeight: '44px', minWidth: '6rem', justifyContent: 'flex-start', fontWeight: tokens.fontWeightSemibold },
  numeric: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
});

/**
 * A table of warehouses. The code in each row is a button that shows the
 * details; the buttons are one tab stop, and the arrow keys move between them.
 */
export function WarehouseTable({
  listed,
  selectedId,
  onSelect,
  mine,
  showDistance,
}: {
  listed: readonly ListedWarehouse[];
  selectedId: string | null;
  onSelect(id: string): void;
  mine: ReadonlySet<string>;
  showDistance: boolean;
}) {
  const styles = useStyles();
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const selectedIndex = listed.findIndex((l) => l.warehouse.id === selectedId);

  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = listed.length - 1;
    const target = { ArrowDown: Math.min(index + 1, last), ArrowUp: Math.max(index - 1, 0), Home: 0, End: last }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    const id = listed[target]?.warehouse.id;
    if (!id) return;
    onSelect(id);
    buttons.current.get(id)?.focus();
  };

  return (
    <Table aria-label="Warehouses" aria-rowcount={listed.length + 1}>
      <TableHeader>
        <TableRow aria-rowindex={1}>
          <TableHeaderCell>Code</TableHeaderCell>
          <TableHeaderCell>Name</TableHeaderCell>
          <TableHeaderCell>Kind</TableHeaderCell>
          <TableHeaderCell>Address</TableHeaderCell>
          {showDistance && <TableHeaderCell className={styles.numeric}>Distance</TableHeaderCell>}
        </TableRow>
      </TableHeader>
      <TableBody>
        {listed.map(({ warehouse: w, distanceKm }, index) => {
          const selected = w.id === selectedId;
          // Roving tab stop: the selected row's button, or the first one before anything is selected.
          const tabStop = selected || (selectedIndex === -1 && index === 0);
          return (
            <TableRow
              key={w.id}
              aria-rowindex={index + 2}
              aria-current={selected ? 'true' : undefined}
              className={selected ? `${styles.row} ${styles.selected}` : styles.row}
              // The whole row is a touch target; the button is how keyboards and screen readers select.
              onClick={() => onSelect(w.id)}
            >
              <TableCell>
                <Button
                  ref={(element: HTMLButtonElement | null) => {
                    if (element) buttons.current.set(w.id, element);
                    else buttons.current.delete(w.id);
                  }}
                  appearance="subtle"
                  className={styles.pick}
                  tabIndex={tabStop ? 0 : -1}
                  aria-current={selected ? 'true' : undefined}
                  onClick={() => onSelect(w.id)}
                  onKeyDown={(event) => onKeyDown(event, index)}
                >
                  {w.code}
                </Button>
              </TableCell>
              <TableCell>
                {w.name} {mine.has(w.id) && <Badge appearance="tint">yours</Badge>}
              </TableCell>
              <TableCell>{w.kind === 'truck' ? 'Truck' : 'Warehouse'}</TableCell>
              <TableCell>{w.address ?? ''}</TableCell>
              {showDistance && <TableCell className={styles.numeric}>{distanceKm === null ? 'No coordinates' : formatKm(distanceKm)}</TableCell>}
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
