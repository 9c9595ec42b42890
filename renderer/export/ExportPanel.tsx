import { Button, Field, Input, makeStyles, MessageBar, MessageBarBody, Title3, tokens } from '@fluentui/react-components';
import { ArrowDownload20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useServices } from '../app/services.js';
import type { FieldstockDatabase } from '../db/database.js';
import { CSV_MIME_TYPE } from './csv.js';
import { exportJournals, exportReceipts, type ExportFile } from './export-data.js';
import { exportFileName } from './file-name.js';
import { localDateText, parsePeriod, type Period } from './period.js';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap', alignItems: 'flex-end' },
  control: { minHeight: '44px' },
});

/** The default period: the last 30 days, today included. */
function defaultFrom(now: Date): string {
  return localDateText(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 29));
}

type Outcome = { kind: 'done'; message: string } | { kind: 'failed'; message: string } | null;

export interface ExportWarehouse {
  id: string;
  code: string;
}

/** CSV exports of one warehouse's journals and receipts for a period, saved through the platform (save dialog or download). */
export function ExportPanel({ db, warehouse }: { db: FieldstockDatabase; warehouse: ExportWarehouse }) {
  const styles = useStyles();
  const { platform } = useServices();
  const [from, setFrom] = useState(() => defaultFrom(new Date()));
  const [to, setTo] = useState(() => localDateText(new Date()));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const parsed = parsePeriod(from, to);

  const run = async (kind: 'journals' | 'receipts', build: (period: Period) => Promise<ExportFile>, what: (rows: number) => string) => {
    if (!parsed.ok) return;
    setBusy(true);
    setOutcome(null);
    try {
      const file = await build(parsed.period);
      const name = exportFileName(kind, warehouse.code, parsed.period);
      await platform.exportFile(name, file.content, CSV_MIME_TYPE);
      setOutcome({ kind: 'done', message: `${what(file.rows)} of ${warehouse.code} exported as ${name}.` });
    } catch (error) {
      setOutcome({ kind: 'failed', message: `The export could not be saved: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setBusy(false);
    }
  };

  const plural = (n: number, one: string) => `${n.toLocaleString()} ${one}${n === 1 ? '' : 's'}`;
  return (
    <section aria-labelledby="export-title" className={styles.panel} data-print="hide">
      <Title3 as="h3" id="export-title">
        Export
      </Title3>
      <div className={styles.row}>
        <Field label="From" hint="Leave empty for everything before “To”">
          <Input type="date" className={styles.control} value={from} onChange={(_, data) => setFrom(data.value)} />
        </Field>
        <Field label="To" validationMessage={parsed.ok ? undefined : parsed.error.message}>
          <Input type="date" className={styles.control} value={to} onChange={(_, data) => setTo(data.value)} />
        </Field>
        <Button
          className={styles.control}
          icon={<ArrowDownload20Regular />}
          disabled={busy || !parsed.ok}
          onClick={() => void run('journals', (period) => exportJournals(db, warehouse.id, period), (n) => plural(n, 'journal line'))}
        >
          Export journals (CSV)
        </Button>
        <Button
          className={styles.control}
          icon={<ArrowDownload20Regular />}
          disabled={busy || !parsed.ok}
          onClick={() => void run('receipts', (period) => exportReceipts(db, warehouse.id, period), (n) => plural(n, 'receipt line'))}
        >
          Export receipts (CSV)
        </Button>
      </div>
      {outcome?.kind === 'done' && (
        <MessageBar intent="success" role="status">
          <MessageBarBody>{outcome.message}</MessageBarBody>
        </MessageBar>
      )}
      {outcome?.kind === 'failed' && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{outcome.message}</MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
