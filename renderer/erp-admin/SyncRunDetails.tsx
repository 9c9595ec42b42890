import { Accordion, AccordionHeader, AccordionItem, AccordionPanel, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import { SYNC_LIST_CAP, type SyncFailure, type SyncMapStatus, type SyncMismatch } from './erp-wire.js';
import { fieldValue, listCount, RUN_KIND_LABELS } from './sync-run-words.js';

/**
 * What each map's last run found different or could not apply, so an admin
 * sees it without the API: one collapsed item per map that ran, listing the
 * mismatches field by field and the failures. The lists are as the server
 * caps them (100 entries); a capped list says so.
 */
export function SyncRunDetails({ maps }: { maps: readonly SyncMapStatus[] }) {
  const ran = maps.flatMap((m) => (m.inbound && m.lastRun ? [{ map: m.map, run: m.lastRun }] : []));
  if (ran.length === 0) return null;
  return (
    <Accordion multiple collapsible aria-label="Last run details per map">
      {ran.map(({ map, run }) => {
        const failures = run.failures ?? [];
        const failed = run.failed ?? failures.length;
        return (
          <AccordionItem key={map} value={map}>
            <AccordionHeader size="small">
              {map}, last {RUN_KIND_LABELS[run.kind]}: {listCount(run.mismatches)} mismatches, {failed} failures
            </AccordionHeader>
            <AccordionPanel>
              {run.mismatches.length === 0 && failures.length === 0 ? (
                <Text as="p">Nothing differed and every ERP record was applied.</Text>
              ) : (
                <>
                  {run.mismatches.length > 0 && <MismatchesTable map={map} mismatches={run.mismatches} />}
                  {failures.length > 0 && <FailuresTable map={map} failures={failures} failed={failed} />}
                </>
              )}
            </AccordionPanel>
          </AccordionItem>
        );
      })}
    </Accordion>
  );
}

function MismatchesTable({ map, mismatches }: { map: string; mismatches: readonly SyncMismatch[] }) {
  return (
    <Table size="small">
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>
        Mismatches in {map}
        {mismatches.length >= SYNC_LIST_CAP ? ` (the first ${SYNC_LIST_CAP} the server listed)` : ''}
      </caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Key</TableHeaderCell>
          <TableHeaderCell>Field</TableHeaderCell>
          <TableHeaderCell>Fieldstock value</TableHeaderCell>
          <TableHeaderCell>ERP value</TableHeaderCell>
          <TableHeaderCell>Resolution</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {/* One row per differing field: the key and resolution repeat so each row reads on its own. */}
        {mismatches.flatMap((x) =>
          (x.fields.length > 0 ? x.fields : [{ field: '—', local: undefined, erp: undefined }]).map((f) => (
            <TableRow key={`${x.erpId}:${f.field}`}>
              <TableCell>{x.key}</TableCell>
              <TableCell>{f.field}</TableCell>
              <TableCell>{fieldValue(f.local)}</TableCell>
              <TableCell>{fieldValue(f.erp)}</TableCell>
              <TableCell>{x.resolution}</TableCell>
            </TableRow>
          )),
        )}
      </TableBody>
    </Table>
  );
}

function FailuresTable({ map, failures, failed }: { map: string; failures: readonly SyncFailure[]; failed: number }) {
  return (
    <Table size="small">
      <caption style={{ textAlign: 'left', fontWeight: 600 }}>
        ERP records {map} could not apply{failed > failures.length ? ` (${failures.length} of ${failed} listed)` : ''}
      </caption>
      <TableHeader>
        <TableRow>
          <TableHeaderCell>Key</TableHeaderCell>
          <TableHeaderCell>Code</TableHeaderCell>
          <TableHeaderCell>Message</TableHeaderCell>
        </TableRow>
      </TableHeader>
      <TableBody>
        {failures.map((f, i) => (
          <TableRow key={`${f.erpId}:${i}`}>
            <TableCell>{f.key ?? `ERP id ${f.erpId}`}</TableCell>
            <TableCell>{f.code}</TableCell>
            <TableCell>{f.message}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
