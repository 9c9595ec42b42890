import { Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { ERP_LINE_STATUS_LABELS } from '../../shared/ledger/erp-status.js';
import { LINE_STATUS_ORDER, MAX_JOURNAL_PAGES, type LineCounts } from './line-counts.js';

/** How many ERP journal lines stand in each status: every line should end posted (or do-not-sync). */
export function JournalLinesTable({ lines }: { lines: LineCounts }) {
  return (
    <Table size="small">
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>
        ERP journal lines by status ({lines.journals} journals
        {lines.partial ? `; the newest ${MAX_JOURNAL_PAGES * 200} only` : ''})
      </caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell>Lines</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {LINE_STATUS_ORDER.map((status) => (
          <TableRow key={status}>
            <TableCell>{ERP_LINE_STATUS_LABELS[status]}</TableCell>
            <TableCell>{lines.counts[status]}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
