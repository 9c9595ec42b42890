// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"fetch":{"disableSameOriginPolicy":true}}}
/**
 * "Trace a document" on the ERP screen against a real backend: an adjustment
 * pushed through the bulk route traces as posted and not aggregated yet;
 * after an aggregation run the same trace (Enter in the id field) shows the
 * ERP journal line it was summed into, with its status label and decimal
 * quantity. Unknown documents and unconfigured maps show the server's 404
 * in words, an empty id is caught before asking, and the inbound sync table
 * shows what initial runs queued for the ERP.
 */
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentTrace } from '../../../shared/erp/trace-wire.js';
import { ERP_LINE_STATUS_LABELS } from '../../../shared/ledger/erp-status.js';
import { ErpAdminScreen } from '../../../renderer/erp-admin/ErpAdminScreen.js';
import { InboundSyncTable } from '../../../renderer/erp-admin/InboundSyncTable.js';
import type { SyncMapStatus } from '../../../renderer/erp-admin/erp-wire.js';
import { erpLinesEmptyText, postingText, traceQuantity } from '../../../renderer/erp-admin/trace-words.js';
import { demo } from '../../helpers/server.js';
import { useLiveBackend } from './live-backend.js';

const FIND = { timeout: 15_000 };
const backend = useLiveBackend();

async function adminCall<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${backend.server().url}${path}`, {
    method,
    headers: { authorization: `Bearer ${await backend.server().token('admin')}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Aggregates everything posted so far (the demo's own postings too), so the next run sums only what a test adds. */
async function aggregateAll(): Promise<void> {
  for (;;) {
    const run = await adminCall<{ remainingLines: number }>('POST', '/api/v1/admin/aggregation/run');
    expect(run.status).toBe(200);
    if (run.body.remainingLines === 0) return;
  }
}

function showScreen() {
  const server = backend.server();
  render(
    <FluentProvider theme={webLightTheme}>
      <ErpAdminScreen session={{ serverUrl: server.url, tokens: { token: () => server.token('admin'), afterRejected: async () => {} } }} />
    </FluentProvider>,
  );
}

beforeAll(async () => {
  await aggregateAll();
});

describe('Trace a document', () => {
  it('follows a pushed adjustment from posting, not aggregated yet, to its ERP journal line after aggregation', async () => {
    const id = crypto.randomUUID();
    const pushed = await adminCall<{ id: string; status: string }[]>('POST', '/api/v1/transactions/adjustments/bulk', [
      { id, warehouseCode: 'TRUCK-3', productNumber: 'P-1004', quantity: 2.5, reasonCode: 'FOUND' },
    ]);
    expect(pushed.body).toEqual([{ id, status: 'posted' }]);

    const user = userEvent.setup();
    showScreen();
    const form = await screen.findByRole('form', { name: 'Trace a document' }, FIND);
    // The default collection is inventory transactions; Enter in the id field submits.
    await user.type(within(form).getByRole('textbox', { name: /Document id/ }), `${id}{Enter}`);

    const result = await screen.findByRole('group', { name: `Trace of Inventory transactions ${id}` }, FIND);
    const postingLines = within(result).getByRole('table', { name: 'Posting lines' });
    const ours = within(postingLines).getAllByRole('row').slice(1);
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.map((r) => within(r).getAllByRole('cell')[5]?.textContent)).toEqual(ours.map(() => 'Not aggregated yet'));
    expect(within(postingLines).getAllByRole('cell', { name: '2.5' }).length).toBeGreaterThan(0);
    expect(within(result).getByText('Not aggregated yet: the next aggregation run sums it into an ERP journal.')).toBeTruthy();
    expect(within(result).getByText(/^Posted .* in journal /)).toBeTruthy();

    await aggregateAll();
    // Trace again from the same field: Enter once more.
    await user.type(within(form).getByRole('textbox', { name: /Document id/ }), '{Enter}');
    const erpLines = await screen.findByRole('table', { name: 'ERP journal lines' }, FIND);
    // The server's own trace says which ERP line it is; the screen must show that line, labelled and in decimals.
    const traced = await adminCall<DocumentTrace>('GET', `/api/v1/admin/erp/trace/inventoryTransactions/${id}`);
    const [line] = traced.body.erpLines;
    if (!line) throw new Error('the aggregation run summed the adjustment into no ERP line');
    expect(line.sourceLineCount).toBe(1);
    expect(line.quantity).toBe(25_000);
    const row = within(erpLines).getAllByRole('row')[1];
    if (!row) throw new Error('the ERP lines table has no row');
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent);
    expect(cells[0]).toBe(line.journalId);
    expect(cells[4]).toBe('2.5');
    expect(cells[5]).toBe('1 posting line');
    // This server has no ERP adapter: the `none` sink posts the lines itself.
    expect(line.status).toBe('posted');
    expect(cells[6]).toBe(ERP_LINE_STATUS_LABELS.posted);
    expect(within(screen.getByRole('table', { name: 'Posting lines' })).getByRole('cell', { name: `Summed into ERP journal ${line.journalId}, line ${line.lineNumber}` })).toBeTruthy();
    expect(screen.queryByText(/Not aggregated yet: the next/)).toBeNull();
  });

  it("shows the server's 404 for an unknown document and for an unconfigured ERP map, and catches an empty id", async () => {
    const user = userEvent.setup();
    showScreen();
    const form = await screen.findByRole('form', { name: 'Trace a document' }, FIND);
    const trace = within(form).getByRole('button', { name: 'Trace' });

    await user.click(trace);
    expect(within(form).getByText('Enter the document id.')).toBeTruthy();
    expect(screen.getByText(/Nothing traced yet/)).toBeTruthy();

    await user.selectOptions(within(form).getByRole('combobox', { name: 'Collection' }), 'receipts');
    await user.type(within(form).getByRole('textbox', { name: /Document id/ }), 'no-such-receipt');
    await user.click(trace);
    const alert = await screen.findByRole('alert', {}, FIND);
    expect(alert.textContent).toBe('Nothing to trace: No receipts document no-such-receipt in Fieldstock.');

    await user.click(within(form).getByRole('radio', { name: 'ERP record' }));
    await user.type(within(form).getByRole('textbox', { name: /ERP map/ }), 'warehouses');
    await user.type(within(form).getByRole('textbox', { name: /ERP id/ }), '5{Enter}');
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Nothing to trace: No ERP map named warehouses is configured.'), FIND);
  });

  it('says why a master document has no posting and nothing in the ERP', async () => {
    const user = userEvent.setup();
    showScreen();
    const form = await screen.findByRole('form', { name: 'Trace a document' }, FIND);
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Collection' }), 'warehouses');
    const truck3 = demo.warehouse('TRUCK-3');
    await user.type(within(form).getByRole('textbox', { name: /Document id/ }), `${truck3}{Enter}`);
    const result = await screen.findByRole('group', { name: `Trace of Warehouses ${truck3}` }, FIND);
    expect(within(result).getByText(/^Not posted: warehouses are master data/)).toBeTruthy();
    expect(within(result).getByText('No ERP lines: no posting lines to sum.')).toBeTruthy();
    expect(within(result).getByText('Nothing was queued for the ERP for this document.')).toBeTruthy();
    expect(within(result).getByText('Not linked to an ERP record by the sync.')).toBeTruthy();
  });
});

describe('trace wording', () => {
  const base: DocumentTrace = {
    document: { collection: 'receipts', id: 'r1', seq: 4, deleted: false, status: 'pending', error: null, erpError: null },
    posting: null,
    postingLines: [],
    erpLines: [],
    outbox: [],
    links: [],
  };

  it('formats scaled quantities as decimals, negative and fractional ones included', () => {
    expect([traceQuantity(25_000), traceQuantity(-12_345), traceQuantity(0), traceQuantity(10_000)]).toEqual(['2.5', '-1.2345', '0', '1']);
  });

  it('tells a waiting document, a rejected one and a posted one apart', () => {
    expect(postingText(base)).toMatch(/^Not posted yet/);
    expect(postingText({ ...base, posting: { outcome: 'rejected', journalId: null, postedAt: '2026-01-01T00:00:00.000Z' } })).toMatch(/^Rejected .*nothing goes to the ERP\.$/);
    expect(postingText({ ...base, posting: { outcome: 'posted', journalId: 'j1', postedAt: '2026-01-01T00:00:00.000Z' } })).toMatch(/^Posted .* in journal j1\.$/);
  });

  it('says whether ERP lines are missing because nothing was posted or because aggregation has not run', () => {
    const line = { journalId: 'j1', lineNumber: 1, journalName: 'inventory', warehouseId: 'w', productId: 'p', quantity: 10_000, erpJournalId: null, erpLineNumber: null };
    expect(erpLinesEmptyText(base)).toBe('No ERP lines: no posting lines to sum.');
    expect(erpLinesEmptyText({ ...base, postingLines: [{ ...line, aggregation: 'pending' }] })).toBe('Not aggregated yet: the next aggregation run sums it into an ERP journal.');
  });
});

describe('inbound sync table', () => {
  it('shows how many local records an initial run queued for the ERP, and a dash for a server that does not say', () => {
    const run = { kind: 'initial', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:05.000Z', processed: 4, created: 1, updated: 0, skipped: 0, mismatches: [], error: null } as const;
    const maps: SyncMapStatus[] = [
      { map: 'warehouses', inbound: true, reason: null, running: null, lastRun: { ...run, mismatches: [], queuedForErp: 3 }, lastError: null },
      { map: 'products', inbound: true, reason: null, running: null, lastRun: { ...run, mismatches: [] }, lastError: null },
    ];
    render(
      <FluentProvider theme={webLightTheme}>
        <InboundSyncTable maps={maps} />
      </FluentProvider>,
    );
    const table = screen.getByRole('table', { name: 'Inbound sync from the ERP, per map' });
    const headers = within(table).getAllByRole('columnheader').map((h) => h.textContent);
    const column = headers.indexOf('Queued for the ERP');
    expect(column).toBeGreaterThan(0);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[column]?.textContent)).toEqual(['3', '—']);
  });
});
