import { Badge, Button, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { ageInWords } from './age-words.js';
import type { MapStatus } from './erp-wire.js';

export interface MapsTableProps {
  maps: readonly MapStatus[];
  busy: string | null;
  onPause(map: string, paused: boolean): void;
  caption: string;
}

/** The outbox per map: whether it delivers, how much waits in each state, its lag and its last error. */
export function MapsTable({ maps, busy, onPause, caption }: MapsTableProps) {
  return (
    <Table size="small">
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>{caption}</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Map</TableHeaderCell>
          <TableHeaderCell>State</TableHeaderCell>
          <TableHeaderCell>Pending</TableHeaderCell>
          <TableHeaderCell>In flight</TableHeaderCell>
          <TableHeaderCell>Poison</TableHeaderCell>
          <TableHeaderCell>Done</TableHeaderCell>
          <TableHeaderCell>Oldest pending</TableHeaderCell>
          <TableHeaderCell>Last error</TableHeaderCell>
          <TableHeaderCell>Action</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {maps.map((m) => (
          <TableRow key={m.map}>
            <TableCell>{m.map}</TableCell>
            <TableCell>
              <Badge appearance="tint" color={m.paused ? 'warning' : 'success'}>
                {m.paused ? 'Paused' : 'Running'}
              </Badge>
              {m.paused && m.reason ? ` ${m.reason}` : ''}
              {m.alert ? ' · over the alert threshold' : ''}
            </TableCell>
            <TableCell>{m.depth.pending}</TableCell>
            <TableCell>{m.depth['in-flight']}</TableCell>
            <TableCell>{m.depth.poison}</TableCell>
            <TableCell>{m.depth.done}</TableCell>
            <TableCell>{ageInWords(m.oldestPendingAgeMs)}</TableCell>
            <TableCell>{m.lastError ? `${m.lastError.code}: ${m.lastError.message}` : 'None'}</TableCell>
            <TableCell>
              <Button
                size="small"
                disabled={busy !== null}
                aria-label={`${m.paused ? 'Resume' : 'Pause'} map ${m.map}`}
                onClick={() => onPause(m.map, !m.paused)}
              >
                {m.paused ? 'Resume' : 'Pause'}
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
