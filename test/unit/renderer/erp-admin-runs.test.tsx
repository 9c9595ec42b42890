// @vitest-environment happy-dom
/**
 * The ERP screen's runs on demand with an ERP connected, against recorded
 * admin API answers (erp-admin-recorded.ts): "Sync now", "Full resync" (asked
 * first) and "Find deletions" post the documented run URL and summarise the
 * answer; a run in progress shows in its row; the last run's mismatches and
 * failures open per map; "Read ERP levels now" lists what it read and posted.
 * The same screen without an ERP runs against a real backend in
 * erp-admin-screen.test.tsx.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ErpAdminScreen } from '../../../renderer/erp-admin/ErpAdminScreen.js';
import type { MapSyncStatus, RunSummary } from '../../../shared/erp/sync-wire.js';
import { LEVELS_RUN, mapStatus, PRODUCTS_LAST_RUN, RECORDED_SESSION, recordedServer, summary, syncStatus, type Answer } from './erp-admin-recorded.js';

const FIND = { timeout: 10_000 };
const RUN_URL = '/api/v1/admin/erp/sync/products/run';

beforeAll(() => {
  // See sign-in.test.tsx: happy-dom's cancelled animations reject unhandled; Fluent skips motion without animate().
  Object.defineProperty(Element.prototype, 'animate', { value: undefined, configurable: true });
});

afterEach(() => cleanup());

function baseMaps(): MapSyncStatus[] {
  return [
    mapStatus('warehouses', { running: summary('initial', { finishedAt: null, processed: 40, total: 120 }) }),
    mapStatus('products', { lastRun: PRODUCTS_LAST_RUN }),
    mapStatus('inventory', { inbound: false, reason: 'inventory levels are read by the levels run' }),
  ];
}

function show(post: (path: string) => Answer | Promise<Answer>, maps: () => MapSyncStatus[] = baseMaps) {
  const server = recordedServer({ sync: () => syncStatus(maps()), post });
  render(
    <FluentProvider theme={webLightTheme}>
      <ErpAdminScreen session={RECORDED_SESSION} fetch={server.fetch} />
    </FluentProvider>,
  );
  return server;
}

function row(map: string): HTMLElement {
  const table = screen.getByRole('table', { name: 'Inbound sync from the ERP, per map' });
  const tr = within(table).getByRole('cell', { name: map }).closest('tr');
  if (!tr) throw new Error(`no row for ${map}`);
  return tr;
}

const ok = (run: RunSummary): Answer => ({ status: 200, body: run });
const noPost = (path: string): Answer => {
  throw new Error(`unexpected POST ${path}`);
};

describe('inbound sync runs on demand', () => {
  it('offers runs only for maps synced from the ERP, and shows a run in progress as processed of total', async () => {
    show(noPost);
    await screen.findByRole('table', { name: 'Inbound sync from the ERP, per map' }, FIND);
    expect(within(row('warehouses')).getByText('Running (full resync, 40 of 120)')).toBeTruthy();
    expect(within(row('products')).getByRole('button', { name: 'Sync products now' })).toBeTruthy();
    expect(within(row('products')).getByRole('button', { name: 'More sync runs for products' })).toBeTruthy();
    expect(within(row('inventory')).queryByRole('button')).toBeNull();
    expect(within(row('inventory')).getByText('Not synced: inventory levels are read by the levels run')).toBeTruthy();
  });

  it('Sync now posts a run of that map, waits for it, summarises it and reads the status again', async () => {
    const user = userEvent.setup();
    const answer = summary('changes', { processed: 9, created: 1, updated: 2, linked: 1, echoes: 4, failed: 1, queuedForErp: 0, mismatches: PRODUCTS_LAST_RUN.mismatches });
    const server = show((path) => (path.startsWith(RUN_URL) ? ok(answer) : noPost(path)));
    await user.click(await screen.findByRole('button', { name: 'Sync products now' }, FIND));

    const message = await screen.findByText(/^products, changes run: 9 processed/, {}, FIND);
    expect(message.textContent).toBe(
      'products, changes run: 9 processed: 1 created, 2 updated, 1 linked, 4 echoes, 1 failed, 0 queued for the ERP, 1 mismatches. See the last run details below.',
    );
    expect(server.posts()).toEqual([`${RUN_URL}?wait=true`]);
    const postAt = server.requests.findIndex((r) => r.method === 'POST');
    await waitFor(() => expect(server.requests.slice(postAt + 1).some((r) => r.path === '/api/v1/admin/erp/sync')).toBe(true), FIND);
  });

  it('while its run goes on the row says so, the run buttons wait, and the outbox actions do not', async () => {
    const user = userEvent.setup();
    let finish: (a: Answer) => void = () => {};
    let maps = baseMaps();
    show(
      (path) => (path.startsWith(RUN_URL) ? new Promise<Answer>((resolve) => (finish = resolve)) : noPost(path)),
      () => maps,
    );
    await user.click(await screen.findByRole('button', { name: 'Sync products now' }, FIND));
    expect(within(row('products')).getByText('Running (starting…)')).toBeTruthy();
    const button = within(row('products')).getByRole('button', { name: 'Sync products now' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Read ERP levels now' }) as HTMLButtonElement).disabled).toBe(false);

    // The server reports the run's progress; the screen reads it while it waits.
    maps = baseMaps().map((m) => (m.map === 'products' ? { ...m, running: summary('changes', { finishedAt: null, processed: 3, total: null }) } : m));
    await waitFor(() => expect(within(row('products')).getByText('Running (changes run, 3 so far)')).toBeTruthy(), FIND);

    maps = baseMaps();
    finish(ok(summary('changes', { processed: 5, updated: 5 })));
    expect(await screen.findByText(/^products, changes run: 5 processed: 0 created, 5 updated/, {}, FIND)).toBeTruthy();
    await waitFor(() => expect((within(row('products')).getByRole('button', { name: 'Sync products now' }) as HTMLButtonElement).disabled).toBe(false), FIND);
  });

  it('Full resync explains itself and runs nothing until confirmed; Find deletions runs from the keyboard', async () => {
    const user = userEvent.setup();
    const server = show((path) =>
      path.includes('kind=initial') ? ok(summary('initial', { processed: 12, linked: 12 })) : path.includes('kind=reconcile') ? ok(summary('reconcile', { processed: 12, removed: 1 })) : noPost(path),
    );
    await user.click(await screen.findByRole('button', { name: 'More sync runs for products' }, FIND));
    await user.click(await screen.findByRole('menuitem', { name: 'Full resync of products…' }, FIND));
    // hidden: happy-dom lets Fluent's focus manager (tabster) mark the open surface itself aria-hidden, which
    // Chromium does not (as in receive-screen.test.tsx).
    const dialog = await screen.findByRole('alertdialog', { name: 'Full resync of products?', hidden: true }, FIND);
    expect(within(dialog).getByText(/matched to a Fieldstock record by its key/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel', hidden: true }));
    await waitFor(() => expect(screen.queryByRole('alertdialog', { hidden: true })).toBeNull(), FIND);
    expect(server.posts()).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'More sync runs for products' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Full resync of products…' }, FIND));
    await user.click(within(await screen.findByRole('alertdialog', { hidden: true }, FIND)).getByRole('button', { name: 'Run full resync', hidden: true }));
    expect(await screen.findByText(/^products, full resync: 12 processed: 0 created, 0 updated, 12 linked/, {}, FIND)).toBeTruthy();
    expect(server.posts()).toEqual([`${RUN_URL}?wait=true&kind=initial`]);

    // Keyboard only: Enter on the menu button opens the menu, Enter on an item runs it. (Moving focus into the
    // popover and the arrow keys are Fluent's: happy-dom has no layout, so its focus manager finds nothing visible.)
    await waitFor(() => expect((screen.getByRole('button', { name: 'More sync runs for products' }) as HTMLButtonElement).disabled).toBe(false), FIND);
    screen.getByRole('button', { name: 'More sync runs for products' }).focus();
    await user.keyboard('{Enter}');
    (await screen.findByRole('menuitem', { name: 'Find deletions in products' }, FIND)).focus();
    await user.keyboard('{Enter}');
    expect(await screen.findByText(/^products, deletion check: 12 processed: .*, 1 removed\.$/, {}, FIND)).toBeTruthy();
    expect(server.posts()).toEqual([`${RUN_URL}?wait=true&kind=initial`, `${RUN_URL}?wait=true&kind=reconcile`]);
  });

  it("a run the server refuses, or one that failed, is an alert with the server's words", async () => {
    const user = userEvent.setup();
    let answer: Answer = { status: 404, body: { code: 'not-found', message: 'There is no ERP map "products".' } };
    show((path) => (path.startsWith(RUN_URL) ? answer : noPost(path)));
    await user.click(await screen.findByRole('button', { name: 'Sync products now' }, FIND));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('products did not run: There is no ERP map "products". (not-found)'), FIND);

    answer = ok(summary('changes', { processed: 2, error: { code: 'erp-network', message: 'Tryton did not answer.' } }));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Sync products now' }) as HTMLButtonElement).disabled).toBe(false), FIND);
    await user.click(screen.getByRole('button', { name: 'Sync products now' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/^products, changes run: 2 processed before it failed \(.*\)\. Tryton did not answer\. \(erp-network\)$/), FIND);
  });

  it("the last run's mismatches and failures open per map, field by field", async () => {
    const user = userEvent.setup();
    show(noPost);
    const header = await screen.findByRole('button', { name: 'products, last full resync: 1 mismatches, 1 failures' }, FIND);
    expect(screen.queryByRole('table', { name: 'Mismatches in products' })).toBeNull();
    await user.click(header);
    const mismatches = await screen.findByRole('table', { name: 'Mismatches in products' }, FIND);
    const cells = (table: HTMLElement) => within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(cells(mismatches)).toEqual([
      ['P-100', 'name', 'Hex bolt M8', 'Hex bolt M8 zinc', 'erp-wins: the local document took the ERP values'],
      ['P-100', 'unit', 'ea', 'box', 'erp-wins: the local document took the ERP values'],
    ]);
    expect(cells(screen.getByRole('table', { name: 'ERP records products could not apply' }))).toEqual([['P-777', 'unknown-warehouse', 'Warehouse 9 is not linked yet.']]);
    // A map that never finished a run has nothing to disclose.
    expect(screen.queryByRole('button', { name: /^warehouses, last/ })).toBeNull();
  });
});

describe('ERP inventory levels on demand', () => {
  it('Read ERP levels now posts the run and lists each warehouse, the corrections with their change, and what was left for later', async () => {
    const user = userEvent.setup();
    const server = show((path) => (path === '/api/v1/admin/erp/levels/run' ? { status: 200, body: LEVELS_RUN } : noPost(path)));
    await user.click(await screen.findByRole('button', { name: 'Read ERP levels now' }, FIND));
    expect(await screen.findByText(/: 2 warehouses, 1 correction posted, 1 left for the next run\.$/, {}, FIND)).toBeTruthy();
    expect(server.posts()).toEqual(['/api/v1/admin/erp/levels/run']);
    const rows = (name: string) =>
      within(screen.getByRole('table', { name }))
        .getAllByRole('row')
        .slice(1)
        .map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows('ERP levels per warehouse')).toEqual([
      ['MAIN', '40', '1 corrected'],
      ['TRUCK-1', '0', 'Left for the next run: Left for the next run after 3 reads: the ERP completed a delivery of ours while its on hand was read. (erp-levels-busy)'],
    ]);
    expect(rows("Corrections to the ERP's on hand")).toEqual([['MAIN', 'P-100', '12', '1.5', '10', '+3.5', 'Posted in journal journal-1']]);
  });
});
