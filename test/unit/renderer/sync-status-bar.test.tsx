// @vitest-environment happy-dom
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncStatusView } from '../../../renderer/shell/SyncStatusBar.js';
import { initialSyncStatus, type SyncStatus } from '../../../renderer/sync/status.js';

afterEach(cleanup);

function show(status: SyncStatus, onSyncNow = () => {}) {
  render(
    <FluentProvider theme={webLightTheme}>
      <SyncStatusView status={status} onSyncNow={onSyncNow} />
    </FluentProvider>,
  );
  return screen.getByRole('contentinfo', { name: 'Sync status' });
}

describe('the sync status bar', () => {
  it('during the first sync into an empty database shows a progress bar and how many records arrived', () => {
    const start = initialSyncStatus();
    const bar = show({
      ...start,
      firstSync: { ...start.firstSync, emptyAtStart: true, received: { ...start.firstSync.received, products: 1200, warehouses: 34 }, completed: ['warehouses', 'products', 'journals'] },
    });

    const progress = screen.getByRole('progressbar', { name: 'First sync progress' });
    expect(progress.getAttribute('aria-valuetext')).toBe('3 of 9 data sets downloaded');
    expect(bar.textContent).toContain(`${(1234).toLocaleString()} records received (3 of 9 data sets)`);
    expect(bar.textContent).toContain('Connecting…');
    expect(bar.textContent).toContain('Not synced yet');
  });

  it('shows no progress bar while a database that already has data catches up', () => {
    const start = initialSyncStatus();
    show({ ...start, firstSync: { ...start.firstSync, emptyAtStart: false } });

    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('offline with waiting uploads and an error says all three, and has no progress bar once the first sync is done', () => {
    const start = initialSyncStatus();
    const at = new Date().toISOString();
    const bar = show({
      ...start,
      connection: 'offline',
      pendingUploads: 3,
      lastSyncedAt: at,
      lastError: { code: 'network-error', message: 'Cannot reach the server.', collection: 'inventoryTransactions', at },
      firstSync: { ...start.firstSync, done: true },
    });

    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Offline');
    expect(bar.textContent).toContain('3 changes waiting to upload');
    expect(bar.textContent).toContain('Last synced at');
    expect(screen.getByRole('alert').textContent).toBe('Sync problem: Cannot reach the server.');
  });

  it('online and up to date says so, and "Sync now" asks for a sync', async () => {
    let asked = 0;
    const start = initialSyncStatus();
    show({ ...start, connection: 'online', lastSyncedAt: new Date().toISOString(), firstSync: { ...start.firstSync, done: true } }, () => asked++);

    expect(screen.getByRole('status').textContent).toBe('Online');
    expect(screen.getByText('All changes uploaded')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sync now' }));
    expect(asked).toBe(1);
  });
});
