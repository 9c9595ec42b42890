import { Button, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useMemo, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { formatUnits } from '../../shared/decimal.js';
import { PendingBadge } from './PendingBadge.js';
import type { StockRow } from './stock-rows.js';

/** Fixed, so the virtualizer never measures; 48 px is a comfortable target for a gloved finger. */
export const ROW_HEIGHT = 48;
const OVERSCAN = 8;

const COLUMNS = ['Product number', 'Name', 'Unit', 'On hand', 'On order', 'Ordered', 'Pending on this device', 'On hand with pending', 'Actions'] as const;
const NUMERIC = new Set<string>(['On hand', 'On order', 'Ordered', 'On hand with pending']);

const useStyles = makeStyles({
  // The grid scrolls sideways as a whole (header and body together) and its body scrolls down.
  grid: {
    flexGrow: 1,
    minHeight: '16rem',
    overflowX: 'auto',
    overflowY: 'hidden',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    ':focus-visible': { outline: `3px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '1px' },
  },
  inner: { minWidth: '60rem', height: '100%', display: 'flex', flexDirection: 'column' },
  body: { flexGrow: 1, overflowY: 'auto', minHeight: 0 },
  row: {
    display: 'grid',
    gridTemplateColumns: 'minmax(6.5rem, 1fr) minmax(10rem, 3fr) 3.5rem repeat(3, 4.5rem) 8.5rem 5.5rem 12.5rem',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
    paddingInline: tokens.spacingHorizontalM,
    boxSizing: 'border-box',
    height: `${ROW_HEIGHT}px`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke3}`,
    cursor: 'default',
  },
  // Headers wrap ("On hand with pending" in two lines) rather than being cut off.
  header: { fontWeight: tokens.fontWeightSemibold, backgroundColor: tokens.colorNeutralBackground3, height: 'auto', minHeight: `${ROW_HEIGHT}px`, paddingBlock: tokens.spacingVerticalXS },
  headerCell: { whiteSpace: 'normal', lineHeight: tokens.lineHeightBase200 },
  bodyRow: { position: 'absolute', top: 0, left: 0, width: '100%', ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover } },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
  // Shown only while the grid has focus, so the keyboard user sees where Enter goes.
  focusedRow: { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  cell: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  numeric: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  changed: { fontWeight: tokens.fontWeightSemibold },
  action: { minHeight: '40px', minWidth: '5.5rem' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalXS },
});

export interface StockGridProps {
  rows: readonly StockRow[];
  /** The accessible name ("Stock"); the e2e tests find the grid by it. */
  label: string;
  onAdjust(row: StockRow): void;
  /** Opens the row's journal history (the "History" button, or H on the selected row). */
  onHistory?(row: StockRow): void;
  gridRef?: Ref<HTMLDivElement>;
}

/** A virtualized ARIA grid: only the visible rows are in the DOM, arrows move the selection, Enter opens the adjustment. */
export function StockGrid({ rows, label, onAdjust, onHistory, gridRef }: StockGridProps) {
  const styles = useStyles();
  const id = useId();
  const scrollRef = useRef<HTMLDivElement>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [focused, setFocused] = useState(false);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN });

  // Selection follows the product, not the position, so it survives a search or a sync.
  const found = useMemo(() => (selectedId === null ? -1 : rows.findIndex((r) => r.productId === selectedId)), [rows, selectedId]);
  const active = found === -1 ? (rows.length > 0 ? 0 : -1) : found;
  const items = virtualizer.getVirtualItems();
  const activeRendered = items.some((item) => item.index === active);

  const select = (index: number) => {
    const row = rows[index];
    if (!row) return;
    setSelectedId(row.productId);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 0) / ROW_HEIGHT) - 1);
    const moves: Record<string, () => number> = {
      ArrowDown: () => Math.min(active + 1, rows.length - 1),
      ArrowUp: () => Math.max(active - 1, 0),
      PageDown: () => Math.min(active + page, rows.length - 1),
      PageUp: () => Math.max(active - page, 0),
      Home: () => 0,
      End: () => rows.length - 1,
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      select(move());
    } else if (event.key === 'Enter') {
      const row = rows[active];
      if (!row) return;
      event.preventDefault();
      onAdjust(row);
    } else if ((event.key === 'h' || event.key === 'H') && onHistory && !event.ctrlKey && !event.metaKey && !event.altKey) {
      const row = rows[active];
      if (!row) return;
      event.preventDefault();
      onHistory(row);
    }
  };

  return (
    <div
      ref={gridRef}
      role="grid"
      aria-label={label}
      // The header is row 1; the data rows are 2 … n + 1 (ARIA counts every row of the grid).
      aria-rowcount={rows.length + 1}
      aria-colcount={COLUMNS.length}
      aria-readonly
      aria-keyshortcuts={onHistory ? 'Enter H' : 'Enter'}
      aria-activedescendant={activeRendered ? `${id}-row-${active}` : undefined}
      tabIndex={0}
      className={styles.grid}
      onKeyDown={onKeyDown}
      onFocus={() => setFocused(true)}
      onBlur={() => setFocused(false)}
    >
      <div className={styles.inner}>
        <div role="rowgroup">
          <div role="row" aria-rowindex={1} className={mergeClasses(styles.row, styles.header)}>
            {COLUMNS.map((name, i) => (
              <div key={name} role="columnheader" aria-colindex={i + 1} className={mergeClasses(styles.cell, styles.headerCell, NUMERIC.has(name) && styles.numeric)}>
                {name}
              </div>
            ))}
          </div>
        </div>
        {/* tabIndex -1: the grid is the single tab stop; browsers would otherwise make the scroller focusable. */}
        <div ref={scrollRef} role="rowgroup" className={styles.body} tabIndex={-1}>
          <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
            {items.map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              const isActive = item.index === active;
              const pendingShown = row.pending !== null;
              return (
                <div
                  key={row.productId}
                  id={`${id}-row-${item.index}`}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={isActive}
                  className={mergeClasses(styles.row, styles.bodyRow, isActive && styles.selected, isActive && focused && styles.focusedRow)}
                  style={{ transform: `translateY(${item.start}px)` }}
                  onClick={() => setSelectedId(row.productId)}
                >
                  <div role="gridcell" aria-colindex={1} className={styles.cell}>
                    {row.number}
                  </div>
                  <div role="gridcell" aria-colindex={2} className={styles.cell} title={row.name}>
                    {row.name}
                  </div>
                  <div role="gridcell" aria-colindex={3} className={styles.cell}>
                    {row.unit}
                  </div>
                  <div role="gridcell" aria-colindex={4} className={mergeClasses(styles.cell, styles.numeric)}>
                    {formatUnits(row.onHand)}
                  </div>
                  <div role="gridcell" aria-colindex={5} className={mergeClasses(styles.cell, styles.numeric)}>
                    {formatUnits(row.onOrder)}
                  </div>
                  <div role="gridcell" aria-colindex={6} className={mergeClasses(styles.cell, styles.numeric)}>
                    {formatUnits(row.ordered)}
                  </div>
                  <div role="gridcell" aria-colindex={7} className={styles.cell}>
                    <PendingBadge change={row.pending} />
                  </div>
                  <div role="gridcell" aria-colindex={8} className={mergeClasses(styles.cell, styles.numeric, pendingShown && styles.changed)}>
                    {formatUnits(row.onHandWithPending)}
                  </div>
                  <div role="gridcell" aria-colindex={9} className={styles.actions}>
                    {/* Not a tab stop inside the grid (Enter on the row does the same); still a large target for touch. */}
                    <Button className={styles.action} tabIndex={-1} aria-label={`Adjust ${row.number}`} onClick={() => onAdjust(row)}>
                      Adjust
                    </Button>
                    {onHistory && (
                      <Button className={styles.action} tabIndex={-1} aria-label={`History of ${row.number}`} onClick={() => onHistory(row)}>
                        History
                      </Button>
                    )}
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
