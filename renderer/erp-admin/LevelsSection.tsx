import { Button, MessageBar, MessageBarBody, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title3 } from '@fluentui/react-components';
import { BoxCheckmark20Regular } from '@fluentui/react-icons';
import type { ApiResult } from './admin-api.js';
import type { LevelPosting, LevelsRun, WarehouseLevels } from './erp-wire.js';
import { problemText } from './use-erp-overview.js';
import type { LevelsRunState } from './use-levels-run.js';

/**
 * "Read ERP levels now": for externally maintained warehouses the ERP is the
 * master of on hand; a run reads it and posts the differences. The answer is
 * shown per warehouse (what was read, what was corrected, what was left for
 * the next run and why).
 */
export function LevelsSection({ levels, className }: { levels: LevelsRunState; className?: string }) {
  return (
    <section aria-labelledby="erp-levels-title" className={className}>
      <Title3 as="h3" id="erp-levels-title">
        Inventory levels
      </Title3>
      <Text as="p">For warehouses the ERP maintains, its on hand is read and every difference posted as an ERP-SYNC adjustment.</Text>
      <div>
        <Button
          icon={levels.running ? <Spinner size="extra-tiny" /> : <BoxCheckmark20Regular />}
          disabled={levels.running}
          aria-label="Read ERP levels now"
          onClick={levels.run}
        >
          Read ERP levels now
        </Button>
      </div>
      {levels.result && <LevelsAnswer result={levels.result} />}
    </section>
  );
}

function LevelsAnswer({ result }: { result: ApiResult<LevelsRun> }) {
  if (!result.ok) {
    // 404: this server has no ERP, or its adapter cannot read levels. That is a fact about the setup, not a failure.
    if (result.problem.status === 404) return <Text as="p" role="status">{result.problem.message}</Text>;
    return (
      <MessageBar intent="error" role="alert">
        <MessageBarBody>The ERP levels were not read: {problemText(result.problem)}</MessageBarBody>
      </MessageBar>
    );
  }
  const run = result.value;
  const postings = run.warehouses.flatMap((w) => w.postings.map((p) => ({ warehouse: w.warehouseCode, posting: p })));
  const skipped = run.warehouses.filter((w) => w.skipped).length;
  return (
    <>
      <Text as="p" role="status">
        {levelsSummary(run, skipped)}
        {run.note ? ` ${run.note}` : ''}
      </Text>
      {run.warehouses.length > 0 && (
        <Table size="small">
          <caption style={{ textAlign: 'left', fontWeight: 600 }}>ERP levels per warehouse</caption>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Warehouse</TableHeaderCell>
              <TableHeaderCell>Products read</TableHeaderCell>
              <TableHeaderCell>Outcome</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {run.warehouses.map((w) => (
              <TableRow key={w.warehouseId}>
                <TableCell>{w.warehouseCode}</TableCell>
                <TableCell>{w.products}</TableCell>
                <TableCell>{warehouseOutcome(w)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {postings.length > 0 && (
        <Table size="small">
          <caption style={{ textAlign: 'left', fontWeight: 600 }}>Corrections to the ERP's on hand</caption>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Warehouse</TableHeaderCell>
              <TableHeaderCell>Product</TableHeaderCell>
              <TableHeaderCell>ERP level</TableHeaderCell>
              <TableHeaderCell>In flight</TableHeaderCell>
              <TableHeaderCell>On hand before</TableHeaderCell>
              <TableHeaderCell>Change</TableHeaderCell>
              <TableHeaderCell>Result</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {postings.map(({ warehouse, posting: p }) => (
              <TableRow key={p.transactionId}>
                <TableCell>{warehouse}</TableCell>
                <TableCell>{p.productNumber}</TableCell>
                <TableCell>{p.erpLevel}</TableCell>
                <TableCell>{p.inFlight}</TableCell>
                <TableCell>{p.onHandBefore}</TableCell>
                <TableCell>{signed(p.delta)}</TableCell>
                <TableCell>{postingResult(p)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

export function levelsSummary(run: LevelsRun, skipped: number): string {
  const when = new Date(run.finishedAt).toLocaleString();
  const n = run.warehouses.length;
  return `Read ${when}: ${n} warehouse${n === 1 ? '' : 's'}, ${run.journals} correction${run.journals === 1 ? '' : 's'} posted${skipped > 0 ? `, ${skipped} left for the next run` : ''}.`;
}

function warehouseOutcome(w: WarehouseLevels): string {
  if (w.skipped) return `Left for the next run: ${w.skipped.message} (${w.skipped.code})`;
  if (w.postings.length === 0) return 'Matches the ERP';
  const refused = w.postings.filter((p) => p.error).length;
  const posted = w.postings.length - refused;
  return `${posted} corrected${refused > 0 ? `, ${refused} refused` : ''}`;
}

function postingResult(p: LevelPosting): string {
  if (p.error) return `Refused: ${p.error.message} (${p.error.code})`;
  return p.journalId ? `Posted in journal ${p.journalId}` : 'Posted';
}

/** A change reads with its sign: "+3", "-1.5". */
function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
