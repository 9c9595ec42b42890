import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { TraceErpLine, TraceLink, TraceOutboxItem, TracePostingLine } from '../../shared/erp/trace-wire.js';
import { erpLineStatusLabel, traceQuantity, when } from './trace-words.js';

const captionStyle = { textAlign: 'left', fontWeight: 600 } as const;

/** The document's lines in its posting journal, and the ERP journal line each was summed into. */
export function TracePostingLinesTable({ lines }: { lines: readonly TracePostingLine[] }) {
  return (
    <Table size="small">
      <caption style={captionStyle}>Posting lines</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Line</TableHeaderCell>
          <TableHeaderCell>Journal</TableHeaderCell>
          <TableHeaderCell>Warehouse</TableHeaderCell>
          <TableHeaderCell>Product</TableHeaderCell>
          <TableHeaderCell>Quantity</TableHeaderCell>
          <TableHeaderCell>Aggregation</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {lines.map((l) => (
          <TableRow key={`${l.journalId}#${l.lineNumber}`}>
            <TableCell>{l.lineNumber}</TableCell>
            <TableCell>{`${l.journalName} (${l.journalId})`}</TableCell>
            <TableCell>{l.warehouseId}</TableCell>
            <TableCell>{l.productId}</TableCell>
            <TableCell>{traceQuantity(l.quantity)}</TableCell>
            <TableCell>
              {l.aggregation === 'aggregated' && l.erpJournalId !== null
                ? `Summed into ERP journal ${l.erpJournalId}, line ${l.erpLineNumber ?? '?'}`
                : 'Not aggregated yet'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The ERP journal lines the posting lines went into: their status walk and the ERP's own ids, or its refusal. */
export function TraceErpLinesTable({ lines }: { lines: readonly TraceErpLine[] }) {
  return (
    <Table size="small">
      <caption style={captionStyle}>ERP journal lines</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>ERP journal</TableHeaderCell>
          <TableHeaderCell>Line</TableHeaderCell>
          <TableHeaderCell>Warehouse</TableHeaderCell>
          <TableHeaderCell>Product</TableHeaderCell>
          <TableHeaderCell>Quantity</TableHeaderCell>
          <TableHeaderCell>Sums</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell>ERP document</TableHeaderCell>
          <TableHeaderCell>ERP line</TableHeaderCell>
          <TableHeaderCell>ERP error</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {lines.map((l) => (
          <TableRow key={`${l.journalId}#${l.lineNumber}`}>
            <TableCell>{l.journalId}</TableCell>
            <TableCell>{l.lineNumber}</TableCell>
            <TableCell>{l.warehouseId}</TableCell>
            <TableCell>{l.productId}</TableCell>
            <TableCell>{traceQuantity(l.quantity)}</TableCell>
            <TableCell>{l.sourceLineCount === 1 ? '1 posting line' : `${l.sourceLineCount} posting lines`}</TableCell>
            <TableCell>{erpLineStatusLabel(l.status)}</TableCell>
            <TableCell>{l.erpJournalId ?? 'Not in the ERP yet'}</TableCell>
            <TableCell>{l.erpLineId ?? '—'}</TableCell>
            <TableCell>{l.error ? `${l.error.code}: ${l.error.message}` : 'None'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The outbox items that carried the document to the ERP, newest first. */
export function TraceOutboxTable({ items }: { items: readonly TraceOutboxItem[] }) {
  return (
    <Table size="small">
      <caption style={captionStyle}>Outbox items</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Map</TableHeaderCell>
          <TableHeaderCell>Operation</TableHeaderCell>
          <TableHeaderCell>Document</TableHeaderCell>
          <TableHeaderCell>Status</TableHeaderCell>
          <TableHeaderCell>Attempts</TableHeaderCell>
          <TableHeaderCell>ERP id</TableHeaderCell>
          <TableHeaderCell>Last error</TableHeaderCell>
          <TableHeaderCell>Updated</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {items.map((item) => (
          <TableRow key={item.id}>
            <TableCell>{item.map}</TableCell>
            <TableCell>{item.operation}</TableCell>
            <TableCell>{item.documentId}</TableCell>
            <TableCell>
              <Badge appearance="tint" color={item.status === 'done' ? 'success' : item.status === 'poison' ? 'danger' : 'informative'}>
                {item.status}
              </Badge>
            </TableCell>
            <TableCell>{item.attempts}</TableCell>
            <TableCell>{item.erpId ?? '—'}</TableCell>
            <TableCell>{item.lastError ? `${item.lastError.code}: ${item.lastError.message}` : 'None'}</TableCell>
            <TableCell>{when(item.updatedAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The ERP records the two-way sync linked the document to. */
export function TraceLinksTable({ links }: { links: readonly TraceLink[] }) {
  return (
    <Table size="small">
      <caption style={captionStyle}>ERP links</caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Map</TableHeaderCell>
          <TableHeaderCell>ERP id</TableHeaderCell>
          <TableHeaderCell>ERP version</TableHeaderCell>
          <TableHeaderCell>Synced</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {links.map((l) => (
          <TableRow key={`${l.map}:${l.erpId}`}>
            <TableCell>{l.map}</TableCell>
            <TableCell>{l.erpId}</TableCell>
            <TableCell>{l.erpVersion}</TableCell>
            <TableCell>{when(l.syncedAt)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
