// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
/**
 * The ERP screen against a real backend: an admin sees the outbox per map
 * and the item the ERP refused, retries it (the server has it pending again)
 * and pauses and resumes its map; a technician has no ERP tab at all; without
 * an ERP there is no inbound run to start and the levels run says why not.
 * The runs with an ERP connected: erp-admin-runs.test.tsx.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../../renderer/app/App.js';
import { createUiStore } from '../../../renderer/app/ui-store.js';
import { SessionController } from '../../../renderer/session/controller.js';
import { ErpAdminScreen } from '../../../renderer/erp-admin/ErpAdminScreen.js';
import { JournalLinesTable } from '../../../renderer/erp-admin/JournalLinesTable.js';
import { countLines } from '../../../renderer/erp-admin/line-counts.js';
import { ERP_LINE_STATUS_LABELS, type ErpLineStatus } from '../../../shared/ledger/erp-status.js';
import type { ErpJournal } from '../../../shared/schemas/journals.js';
import { enqueue } from '../../../server/erp/outbox/enqueue.js';
import { writeTransaction } from '../../../server/store/write.js';
import { ADMIN_PASSWORD, DEMO_PASSWORD, startTestServer } from '../../helpers/server.js';
import { useLiveBackend } from './live-backend.js';
import { memoryPlatform } from './memory-platform.js';
import { FAST_SYNC, waitFor as waitForValue } from './sync-helpers.js';

const FIND = { timeout: 15_000 };
const MAP = 'erp-screen-test';

const backend = useLiveBackend();
const controllers: SessionController[] = [];
let poisonId = '';

beforeAll(async () => {
  const { store } = backend.server().fieldstock.ctx;
  // Two items of a map no handler serves (so the worker leaves them alone): one waits, one the ERP "refused".
  const [, refused] = await writeTransaction(store, undefined, async (writer) => [
    await enqueue(writer, { map: MAP, operation: 'create', documentId: 'doc-waiting', dedupeKey: `${MAP}:doc-waiting`, payload: {} }),
    await enqueue(writer, { map: MAP, operation: 'update', documentId: 'doc-refused', dedupeKey: `${MAP}:doc-refused`, payload: {} }),
  ]);
  poisonId = refused.id;
  await store.db
    .updateTable('erp_outbox')
    .set({ status: 'poison', attempts: 3, last_error_code: 'erp-user-error', last_error_message: 'Unknown product P-404.', last_error_at: Date.now() })
    .where('id', '=', poisonId)
    .execute();
});

afterEach(async () => {
  for (const controller of controllers.splice(0)) await controller.signOut();
});

/** The whole app, signed in; the demo admin has its own password (test/helpers/server.ts). */
async function openApp(username: string) {
  const platform = memoryPlatform();
  const ui = createUiStore();
  const controller = new SessionController({ platform, onView: (view) => ui.getState().setSession(view), storage: () => getRxStorageMemory(), multiInstance: false, sync: FAST_SYNC });
  controllers.push(controller);
  render(<App services={{ platform, controller, defaultServerUrl: backend.server().url }} ui={ui} />);
  await act(() => controller.restore());
  const problem = await act(() => controller.signIn(backend.server().url, username, username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD));
  expect(problem).toBeNull();
  const session = controller.active;
  if (!session) throw new Error(`${username} is not signed in`);
  // Requests still open when the file's server closes end in "socket hang up" noise; let the first sync finish.
  await waitForValue(session.sync.status$, (st) => st.firstSync.done && st.connection === 'online', `${username}'s first sync`);
  await act(() => session.sync.awaitInSync());
  return screen.findByRole('navigation', { name: 'Main' }, FIND);
}

async function outboxItem(id: string): Promise<{ status: string; attempts: number }> {
  const response = await fetch(`${backend.server().url}/api/v1/admin/erp/outbox?map=${MAP}`, { headers: { authorization: `Bearer ${await backend.server().token('admin')}` } });
  const { items } = (await response.json()) as { items: { id: string; status: string; attempts: number }[] };
  const item = items.find((i) => i.id === id);
  if (!item) throw new Error(`item ${id} is not in the outbox`);
  return item;
}

function mapRow(): HTMLElement {
  const table = screen.getByRole('table', { name: 'ERP outbox per map' });
  const cell = within(table).getByRole('cell', { name: MAP });
  const row = cell.closest('tr');
  if (!row) throw new Error('the map cell has no row');
  return row;
}

describe('ERP screen', () => {
  it('a technician has no ERP tab', async () => {
    const nav = await openApp('tech1');
    expect(within(nav).getAllByRole('tab')).toHaveLength(6);
    expect(within(nav).queryByRole('tab', { name: /^ERP/ })).toBeNull();
  });

  it('an admin sees the map and the refused item, retries it and pauses and resumes the map', async () => {
    const user = userEvent.setup();
    const nav = await openApp('admin');
    await user.click(within(nav).getByRole('tab', { name: /^ERP/ }));

    await screen.findByRole('table', { name: 'ERP outbox per map' }, FIND);
    const row = within(mapRow());
    expect(row.getByText('Running')).toBeTruthy();
    // pending, in flight, poison, done
    expect(row.getAllByRole('cell').slice(2, 6).map((c) => c.textContent)).toEqual(['1', '0', '1', '0']);

    const refused = screen.getByRole('table', { name: /Needs a retry/ });
    expect(within(refused).getByRole('cell', { name: 'doc-refused' })).toBeTruthy();
    expect(within(refused).getByRole('cell', { name: 'erp-user-error: Unknown product P-404.' })).toBeTruthy();
    expect(within(refused).getByRole('cell', { name: '3' })).toBeTruthy();

    // The demo server runs without an ERP and has posted nothing yet: no inbound maps, no ERP journals.
    expect(screen.getByText(/Nothing is synced from the ERP: no ERP is configured/)).toBeTruthy();
    expect(screen.getByText(/No ERP journals yet/)).toBeTruthy();

    await user.click(within(refused).getByRole('button', { name: `Retry ${MAP} update of doc-refused` }));
    expect(await screen.findByText(/is pending again/, {}, FIND)).toBeTruthy();
    expect(await outboxItem(poisonId)).toMatchObject({ status: 'pending', attempts: 0 });
    await waitFor(() => expect(screen.getByText(/Nothing needs a retry/)).toBeTruthy(), FIND);

    await user.click(within(mapRow()).getByRole('button', { name: `Pause map ${MAP}` }));
    await waitFor(() => expect(within(mapRow()).getByText('Paused')).toBeTruthy(), FIND);
    const status = await fetch(`${backend.server().url}/api/v1/admin/erp/status`, { headers: { authorization: `Bearer ${await backend.server().token('admin')}` } });
    const { maps } = (await status.json()) as { maps: { map: string; paused: boolean }[] };
    expect(maps.find((m) => m.map === MAP)?.paused).toBe(true);

    await user.click(within(mapRow()).getByRole('button', { name: `Resume map ${MAP}` }));
    await waitFor(() => expect(within(mapRow()).getByText('Running')).toBeTruthy(), FIND);
    expect(within(mapRow()).getByRole('button', { name: `Pause map ${MAP}` })).toBeTruthy();
  });
});

describe('ERP screen messages', () => {
  const show = (session: Parameters<typeof ErpAdminScreen>[0]['session']) =>
    render(
      <FluentProvider theme={webLightTheme}>
        <ErpAdminScreen session={session} />
      </FluentProvider>,
    );

  it('a server without an ERP and with nothing queued says Fieldstock is the master', async () => {
    const fresh = await startTestServer({ demo: true });
    try {
      // A real admin token from that server; the screen only needs somewhere to get it from.
      show({ serverUrl: fresh.url, tokens: { token: () => fresh.token('admin'), afterRejected: async () => {} } });
      expect(await screen.findByText('No ERP configured: Fieldstock is the master; journals post locally.', {}, FIND)).toBeTruthy();
      expect(screen.queryByRole('table')).toBeNull();
    } finally {
      cleanup();
      fresh.fieldstock.app.server.closeAllConnections();
      await fresh.close();
    }
  });

  it('without an ERP the inbound sync offers no runs, and reading ERP levels says in a sentence why not', async () => {
    const user = userEvent.setup();
    // This file's server runs with FIELDSTOCK_ERP=none but has outbox items (beforeAll), so the sections show.
    const server = backend.server();
    show({ serverUrl: server.url, tokens: { token: () => server.token('admin'), afterRejected: async () => {} } });
    expect(await screen.findByText(/Nothing is synced from the ERP: no ERP is configured/, {}, FIND)).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Inbound sync from the ERP, per map' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Sync .* now$/ })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Read ERP levels now' }));
    const sentence = await screen.findByText(/^ERP inventory levels are not available/, {}, FIND);
    expect(sentence.textContent).toBe('ERP inventory levels are not available: no ERP is configured (FIELDSTOCK_ERP=none).');
    expect(sentence.getAttribute('role')).toBe('status');
    expect(screen.queryByRole('alert')).toBeNull();
    await waitFor(() => expect((screen.getByRole('button', { name: 'Read ERP levels now' }) as HTMLButtonElement).disabled).toBe(false), FIND);
  });

  it("another role's session gets the server's refusal as messages, not a crash", async () => {
    const tech = await backend.signIn('tech1');
    show(tech);
    const alerts = await screen.findAllByRole('alert', {}, FIND);
    expect(alerts.length).toBeGreaterThan(0);
    for (const alert of alerts) expect(alert.textContent).toContain('Only an administrator can see the ERP integration.');
  });

  it('an unreachable server is a message, and Refresh stays usable', async () => {
    const gone = await startTestServer({ demo: true });
    const url = gone.url;
    const token = await gone.token('admin');
    gone.fieldstock.app.server.closeAllConnections();
    await gone.close();
    show({ serverUrl: url, tokens: { token: async () => token, afterRejected: async () => {} } });
    const alerts = await screen.findAllByRole('alert', {}, FIND);
    expect(alerts[0]?.textContent).toContain('did not answer');
    await waitFor(() => expect((screen.getByRole('button', { name: 'Refresh' }) as HTMLButtonElement).disabled).toBe(false), FIND);
  });
});

describe('ERP journal lines by status', () => {
  it('counts lines (not journals) per status, in the order a line walks, with the shared labels', () => {
    const line = (status: ErpLineStatus) => ({ status });
    const counts = countLines([
      { lines: [line('posted'), line('posted'), line('create-error')] },
      { lines: [line('do-not-sync'), line('sent')] },
    ] as unknown as Pick<ErpJournal, 'lines'>[]);
    render(
      <FluentProvider theme={webLightTheme}>
        <JournalLinesTable lines={{ counts, journals: 2, partial: false }} />
      </FluentProvider>,
    );
    const table = screen.getByRole('table', { name: 'ERP journal lines by status (2 journals)' });
    const rows = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual(
      (['created', 'sent', 'created-in-erp', 'posted', 'do-not-sync', 'create-error', 'post-error'] as const).map((s) => [
        ERP_LINE_STATUS_LABELS[s],
        String({ sent: 1, posted: 2, 'do-not-sync': 1, 'create-error': 1 }[s as string] ?? 0),
      ]),
    );
  });
});
