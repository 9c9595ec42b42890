import { Badge, makeStyles, MessageBar, MessageBarBody, Subtitle2, Text, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { DocumentTrace } from '../../shared/erp/trace-wire.js';
import { TraceErpLinesTable, TraceLinksTable, TraceOutboxTable, TracePostingLinesTable } from './TraceTables.js';
import { collectionLabel, documentStateText, erpLinesEmptyText, pendingLineCount, postingText, when } from './trace-words.js';

const useStyles = makeStyles({
  chain: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  step: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    paddingLeft: tokens.spacingHorizontalM,
    borderLeft: `3px solid ${tokens.colorNeutralStroke1}`,
  },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXXS, margin: 0 },
  term: { fontWeight: tokens.fontWeightSemibold },
  value: { margin: 0 },
});

/**
 * One traced document as a chain, in the order a number travels: the
 * document, its posting, its posting lines, the ERP journal lines they were
 * summed into, the outbox items that carried it, and the ERP records it is
 * linked to. Each step says why it is empty when it is.
 */
export function TraceResult({ trace }: { trace: DocumentTrace }) {
  const styles = useStyles();
  const { document: doc } = trace;
  const pending = pendingLineCount(trace);
  const erpEmpty = erpLinesEmptyText(trace);
  return (
    <div className={styles.chain} aria-label={`Trace of ${collectionLabel(doc.collection)} ${doc.id}`} role="group">
      <Step title="Document" id="trace-document">
        <dl className={styles.facts}>
          <Fact term="Collection">{collectionLabel(doc.collection)}</Fact>
          <Fact term="Id">{doc.id}</Fact>
          <Fact term="Status">
            <Badge appearance="tint" color={doc.status === 'rejected' ? 'danger' : doc.status === 'posted' ? 'success' : 'informative'}>
              {documentStateText(doc)}
            </Badge>
          </Fact>
          <Fact term="Change sequence">{doc.seq}</Fact>
          {doc.error && <Fact term="Rejected because">{`${doc.error.code}: ${doc.error.message}`}</Fact>}
          <Fact term="ERP refusal">{doc.erpError ? `${doc.erpError.code}: ${doc.erpError.message} (${when(doc.erpError.at)})` : 'None'}</Fact>
        </dl>
      </Step>
      <Step title="Posting" id="trace-posting">
        <Text as="p">{postingText(trace)}</Text>
        {trace.postingLines.length > 0 ? <TracePostingLinesTable lines={trace.postingLines} /> : trace.posting?.outcome === 'posted' && <Text as="p">The posting has no lines for this document.</Text>}
      </Step>
      <Step title="ERP journal lines" id="trace-erp-lines">
        {pending > 0 && trace.erpLines.length > 0 && (
          <MessageBar intent="info">
            <MessageBarBody>
              {pending === 1 ? '1 posting line is' : `${pending} posting lines are`} not aggregated yet: the next aggregation run sums {pending === 1 ? 'it' : 'them'} into an ERP journal.
            </MessageBarBody>
          </MessageBar>
        )}
        {erpEmpty ? <Text as="p">{erpEmpty}</Text> : <TraceErpLinesTable lines={trace.erpLines} />}
      </Step>
      <Step title="Outbox" id="trace-outbox">
        {trace.outbox.length > 0 ? <TraceOutboxTable items={trace.outbox} /> : <Text as="p">Nothing was queued for the ERP for this document.</Text>}
      </Step>
      <Step title="ERP links" id="trace-links">
        {trace.links.length > 0 ? <TraceLinksTable links={trace.links} /> : <Text as="p">Not linked to an ERP record by the sync.</Text>}
      </Step>
    </div>
  );
}

function Step({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <section aria-labelledby={id} className={styles.step}>
      <Subtitle2 as="h4" id={id}>
        {title}
      </Subtitle2>
      {children}
    </section>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={styles.value}>{children}</dd>
    </>
  );
}
