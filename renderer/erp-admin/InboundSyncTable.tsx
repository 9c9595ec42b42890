import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { SyncMapStatus, SyncRun } from './erp-wire.js';

/**
 * ERP → Fieldstock per map: the last finished run's counts and the last
 * error. "Queued for the ERP" is the other way: an initial run of a two-way
 * map queues the local records the ERP lacks, to be created there.
 */
export function InboundSyncTable({ maps }: { maps: readonly SyncMapStatus[] }) {
  return (
    <Table size="small">
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>Inbound sync from the ERP, per map</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Map</TableHeaderCell>
          <TableHeaderCell>Last run</TableHeaderCell>
          <TableHeaderCell>Processed</TableHeaderCell>
          <TableHeaderCell>Created</TableHeaderCell>
          <TableHeaderCell>Updated</TableHeaderCell>
          <TableHeaderCell>Skipped</TableHeaderCell>
          <TableHeaderCell>Queued for the ERP</TableHeaderCell>
          <TableHeaderCell>Mismatches</TableHeaderCell>
          <TableHeaderCell>Last error</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {maps.map((m) => (
          <TableRow key={m.map}>
            <TableCell>{m.map}</TableCell>
            <TableCell>{describeRun(m)}</TableCell>
            <TableCell>{m.lastRun?.processed ?? '—'}</TableCell>
            <TableCell>{m.lastRun?.created ?? '—'}</TableCell>
            <TableCell>{m.lastRun?.updated ?? '—'}</TableCell>
            <TableCell>{m.lastRun?.skipped ?? '—'}</TableCell>
            <TableCell>{m.lastRun?.queuedForErp ?? '—'}</TableCell>
            <TableCell>{m.lastRun ? m.lastRun.mismatches.length : '—'}</TableCell>
            <TableCell>{m.lastError ? `${m.lastError.code}: ${m.lastError.message}` : 'None'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function describeRun(m: SyncMapStatus): string {
  if (!m.inbound) return `Not synced${m.reason ? `: ${m.reason}` : ''}`;
  if (m.running) return `Running (${m.running.kind}, ${m.running.processed} so far)`;
  return m.lastRun ? finished(m.lastRun) : 'Never ran';
}

function finished(run: SyncRun): string {
  const when = run.finishedAt ? new Date(run.finishedAt).toLocaleString() : 'unfinished';
  return `${run.kind}, ${when}${run.error ? ' (failed)' : ''}`;
}
