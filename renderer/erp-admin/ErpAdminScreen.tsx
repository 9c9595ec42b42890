import { Button, makeStyles, MessageBar, MessageBarBody, Spinner, Text, Title2, Title3, tokens } from '@fluentui/react-components';
import { ArrowClockwise24Regular } from '@fluentui/react-icons';
import { useMemo } from 'react';
import type { TracePrefill } from '../app/ui-store.js';
import type { ActiveSession } from '../session/controller.js';
import { InboundSyncTable } from './InboundSyncTable.js';
import { LevelsSection } from './LevelsSection.js';
import { JournalLinesTable } from './JournalLinesTable.js';
import { noErpConfigured } from './load-overview.js';
import { MapsTable } from './MapsTable.js';
import { PoisonTable } from './PoisonTable.js';
import { SectionProblem } from './SectionMessage.js';
import { SyncRunDetails } from './SyncRunDetails.js';
import { TraceSection } from './TraceSection.js';
import { useErpOverview } from './use-erp-overview.js';
import { useLevelsRun } from './use-levels-run.js';

const useStyles = makeStyles({
  layout: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '1200px' },
  header: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  title: { flexGrow: 1 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

export interface ErpAdminScreenProps {
  session: Pick<ActiveSession, 'serverUrl' | 'tokens'>;
  /** A document to trace on opening (Needs attention's "Trace"). */
  trace?: TracePrefill | null;
  /** The HTTP client, when not the global one (tests replay recorded server answers). */
  fetch?: typeof globalThis.fetch;
}

/**
 * For the integration administrator: did every number reach the ERP once?
 * The outbox per map (with pause and resume), what the ERP refused (with
 * retry), the ERP journal lines by status, the inbound sync per map (with
 * runs on demand and the last run's mismatches and failures), the ERP's
 * inventory levels on demand, and a trace of one document across both.
 * Online only: it reads the admin API, never the local database.
 */

export function ErpAdminScreen({ session, trace = null, fetch }: ErpAdminScreenProps) {
  const styles = useStyles();
  // One request per prefill: the same prefill (a re-render) does not trace again.
  const traceRequest = useMemo(() => (trace ? { kind: 'document' as const, collection: trace.collection, id: trace.id } : null), [trace]);
  const state = useErpOverview(session, fetch);
  const levels = useLevelsRun(state.api, state.refresh);
  const { overview } = state;
  const mapNames = overview?.sync.ok ? overview.sync.value.maps.map((m) => m.map) : [];

  return (
    <section aria-labelledby="erp-title" className={styles.layout}>
      <div className={styles.header}>
        <Title2 as="h2" id="erp-title" className={styles.title}>
          ERP integration
        </Title2>
        {state.loading && <Spinner size="tiny" label="Refreshing…" />}
        <Button icon={<ArrowClockwise24Regular />} onClick={state.refresh} disabled={state.loading}>
          Refresh
        </Button>
      </div>
      {state.outcome && (
        <MessageBar intent={state.outcome.ok ? 'success' : 'error'} role={state.outcome.ok ? 'status' : 'alert'}>
          <MessageBarBody>{state.outcome.message}</MessageBarBody>
        </MessageBar>
      )}
      {!overview ? (
        <Spinner label="Loading the ERP status…" />
      ) : noErpConfigured(overview) ? (
        <Text as="p" role="status">
          No ERP configured: Fieldstock is the master; journals post locally.
        </Text>
      ) : (
        <>
          <div className={styles.section}>
            <Title3 as="h3">Outbox per map</Title3>
            {!overview.status.ok ? (
              <SectionProblem what="the outbox status" problem={overview.status.problem} />
            ) : overview.status.value.maps.length === 0 ? (
              <Text as="p">Nothing has been queued for the ERP yet.</Text>
            ) : (
              <MapsTable maps={overview.status.value.maps} busy={state.busy} onPause={state.setPaused} caption="ERP outbox per map" />
            )}
          </div>
          <div className={styles.section}>
            <Title3 as="h3">Needs a retry</Title3>
            {!overview.poison.ok ? (
              <SectionProblem what="the refused items" problem={overview.poison.problem} />
            ) : overview.poison.value.length === 0 ? (
              <Text as="p">Nothing needs a retry: the ERP refused no item.</Text>
            ) : (
              <PoisonTable items={overview.poison.value} busy={state.busy} onRetry={state.retry} />
            )}
          </div>
          <div className={styles.section}>
            <Title3 as="h3">ERP journals</Title3>
            {!overview.lines.ok ? (
              <SectionProblem what="the ERP journals" problem={overview.lines.problem} />
            ) : overview.lines.value.journals === 0 ? (
              <Text as="p">No ERP journals yet: posted moves are summed into them when aggregation runs.</Text>
            ) : (
              <JournalLinesTable lines={overview.lines.value} />
            )}
          </div>
          <div className={styles.section}>
            <Title3 as="h3">Inbound sync</Title3>
            {!overview.sync.ok ? (
              <SectionProblem what="the inbound sync" problem={overview.sync.problem} />
            ) : !overview.sync.value.enabled || overview.sync.value.maps.length === 0 ? (
              <Text as="p">Nothing is synced from the ERP: {overview.sync.value.adapter === 'none' ? 'no ERP is configured' : 'no inbound map is set up'}.</Text>
            ) : (
              <InboundSyncTable maps={overview.sync.value.maps} syncing={state.syncing} onRun={state.runSync} />
            )}
            {state.syncOutcome && (
              <MessageBar intent={state.syncOutcome.intent} role={state.syncOutcome.intent === 'error' ? 'alert' : 'status'}>
                <MessageBarBody>{state.syncOutcome.message}</MessageBarBody>
              </MessageBar>
            )}
            {overview.sync.ok && <SyncRunDetails maps={overview.sync.value.maps} />}
          </div>
          <LevelsSection levels={levels} className={styles.section} />
        </>
      )}
      {/* Tracing needs no overview: with or without an ERP, a document can be followed through the ledger. */}
      <TraceSection api={state.api} mapNames={mapNames} request={traceRequest} />
    </section>
  );
}
