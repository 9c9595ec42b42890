import { Badge, Button, makeStyles, ProgressBar, Text, tokens, Tooltip } from '@fluentui/react-components';
import { COLLECTION_NAMES } from '../../shared/collections.js';
import type { SyncEngine } from '../sync/engine.js';
import { receivedTotal, type SyncStatus } from '../sync/status.js';
import { useSyncStatus } from '../sync/use-sync-status.js';

const useStyles = makeStyles({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  progress: { flexBasis: '100%', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  error: { color: tokens.colorPaletteRedForeground1 },
  spacer: { flexGrow: 1 },
});

const CONNECTION = {
  online: { label: 'Online', color: 'success' },
  offline: { label: 'Offline', color: 'danger' },
  connecting: { label: 'Connecting…', color: 'informative' },
} as const;

export function SyncStatusBar({ engine }: { engine: SyncEngine }) {
  return <SyncStatusView status={useSyncStatus(engine)} onSyncNow={() => engine.reSync()} />;
}

/** Presentational, so it can be shown for any status (tests, screenshots). */
export function SyncStatusView({ status, onSyncNow }: { status: SyncStatus; onSyncNow: () => void }) {
  const styles = useStyles();
  const connection = CONNECTION[status.connection];
  const completed = status.firstSync.completed.length;
  return (
    <footer className={styles.bar} aria-label="Sync status">
      {!status.firstSync.done && status.firstSync.emptyAtStart === true && (
        <div className={styles.progress}>
          <ProgressBar
            value={completed / COLLECTION_NAMES.length}
            thickness="large"
            aria-label="First sync progress"
            aria-valuetext={`${completed} of ${COLLECTION_NAMES.length} data sets downloaded`}
          />
          <Text size={200}>
            Downloading data for this device: {receivedTotal(status.firstSync).toLocaleString()} records received ({completed} of {COLLECTION_NAMES.length} data sets)
          </Text>
        </div>
      )}
      <span role="status" aria-live="polite">
        <Badge appearance="filled" color={connection.color}>
          {connection.label}
        </Badge>
      </span>
      <Text>{status.pendingUploads === 0 ? 'All changes uploaded' : `${status.pendingUploads} ${status.pendingUploads === 1 ? 'change' : 'changes'} waiting to upload`}</Text>
      <Text>{status.lastSyncedAt ? `Last synced ${formatTime(status.lastSyncedAt)}` : 'Not synced yet'}</Text>
      {status.lastError && (
        <Tooltip content={`${status.lastError.message} (${status.lastError.code}${status.lastError.collection ? `, ${status.lastError.collection}` : ''})`} relationship="description">
          <Text className={styles.error} role="alert">
            Sync problem: {status.lastError.message}
          </Text>
        </Tooltip>
      )}
      <span className={styles.spacer} />
      <Button size="small" onClick={onSyncNow}>
        Sync now
      </Button>
    </footer>
  );
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  return today ? `at ${date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : `on ${date.toLocaleString()}`;
}
