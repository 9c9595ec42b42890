import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { useState } from 'react';
import { ConfirmResyncDialog } from './ConfirmResyncDialog.js';
import type { SyncMapStatus, SyncRunKind } from './erp-wire.js';
import { describeRun, listCount } from './sync-run-words.js';
import { SyncRunActions } from './SyncRunActions.js';

export interface InboundSyncTableProps {
  maps: readonly SyncMapStatus[];
  /** The run this screen waits for, if any. */
  syncing?: { map: string } | null;
  /** Absent: a read-only table, without the Action column. */
  onRun?: (map: string, kind?: SyncRunKind) => void;
}

/**
 * ERP → Fieldstock per map: the run in progress or the last finished run's
 * counts, the last error, and the runs an admin can start. "Queued for the
 * ERP" is the other way: an initial run of a two-way map queues the local
 * records the ERP lacks, to be created there.
 */
export function InboundSyncTable({ maps, syncing = null, onRun }: InboundSyncTableProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <>
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
            {onRun && <TableHeaderCell>Action</TableHeaderCell>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {maps.map((m) => (
            <TableRow key={m.map}>
              <TableCell>{m.map}</TableCell>
              <TableCell>{describeRun(m, syncing?.map === m.map)}</TableCell>
              <TableCell>{m.lastRun?.processed ?? '—'}</TableCell>
              <TableCell>{m.lastRun?.created ?? '—'}</TableCell>
              <TableCell>{m.lastRun?.updated ?? '—'}</TableCell>
              <TableCell>{m.lastRun?.skipped ?? '—'}</TableCell>
              <TableCell>{m.lastRun?.queuedForErp ?? '—'}</TableCell>
              <TableCell>{m.lastRun ? listCount(m.lastRun.mismatches) : '—'}</TableCell>
              <TableCell>{m.lastError ? `${m.lastError.code}: ${m.lastError.message}` : 'None'}</TableCell>
              {onRun && (
                <TableCell>
                  {/* Only maps synced from the ERP can run; the server refuses the others (400). */}
                  {m.inbound ? (
                    <SyncRunActions map={m.map} running={syncing?.map === m.map} disabled={syncing !== null} onRun={onRun} onAskResync={setConfirming} />
                  ) : (
                    '—'
                  )}
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {onRun && (
        <ConfirmResyncDialog
          map={confirming}
          onCancel={() => setConfirming(null)}
          onConfirm={(map) => {
            setConfirming(null);
            onRun(map, 'initial');
          }}
        />
      )}
    </>
  );
}
