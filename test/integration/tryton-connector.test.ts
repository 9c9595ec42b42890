// The `tryton` ErpConnector against a real trytond: loaded through the registry from
// the real configuration, idempotent creates by our reference (sequential, concurrent in
// one process, racing across two connectors), change cursors with overlap,
// reconciliation of id sets, and optimistic updates.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import type { TrytonConnector } from '../../server/erp/adapters/tryton/connector.js';
import type { ErpConnector, ErpRecord } from '../../server/erp/connector.js';
import { ErpError } from '../../server/erp/errors.js';
import { createErpConnector } from '../../server/erp/registry.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { buildPurchasingCompany, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { tempDir } from '../helpers/tmp.js';

async function caught(promise: Promise<unknown>): Promise<ErpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ErpError) return error;
    throw error;
  }
  throw new Error('expected an ErpError, got a result');
}

describeIfTryton('Tryton ErpConnector', () => {
  const tryton = useTrytonServer();
  const secrets = tempDir('tryton-secret');
  let connector: TrytonConnector;
  let company: PurchasingCompany;

  async function configured(): Promise<TrytonConnector> {
    const passwordFile = join(secrets.path, 'tryton-password');
    writeFileSync(passwordFile, `${tryton.password.reveal()}\n`);
    const env = {
      FIELDSTOCK_ERP: 'tryton',
      FIELDSTOCK_TRYTON_URL: tryton.url,
      FIELDSTOCK_TRYTON_DATABASE: tryton.database,
      FIELDSTOCK_TRYTON_USER: tryton.user,
      FIELDSTOCK_TRYTON_PASSWORD_FILE: passwordFile,
      FIELDSTOCK_ERP_TIMEOUT_MS: '10000',
    };
    const made: ErpConnector = await createErpConnector(loadConfig(env), env);
    return made as TrytonConnector;
  }

  beforeAll(async () => {
    connector = await configured();
    company = await buildPurchasingCompany(connector.rpc);
  });
  afterAll(async () => {
    await connector?.close();
    secrets.cleanup();
  });

  it('is the registry\'s "tryton" adapter, configured from FIELDSTOCK_TRYTON_* with the password from a file', async () => {
    expect(connector.name).toBe('tryton');
    expect(connector.external).toBe(true);
    expect((await connector.check()).version).toMatch(/^6\.0\./);
  });

  it('creates once by reference: a retry finds the record instead of creating another', async () => {
    const first = await connector.createOnce('party.party', 'FS-PARTY-1', { name: 'Retry Party' });
    const second = await connector.createOnce('party.party', 'FS-PARTY-1', { name: 'Retry Party' });
    expect(first.created).toBe(true);
    expect(second).toEqual({ erpId: first.erpId, created: false });
    expect(await connector.findByReference('party.party', 'FS-PARTY-1')).toBe(first.erpId);
    expect(await connector.rpc.model('party.party', 'search', [[['code', '=', 'FS-PARTY-1']]], { active_test: false })).toEqual([Number(first.erpId)]);
  });

  it('creates once when called concurrently in one process', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => connector.createOnce('stock.shipment.in', 'FS-RECEIPT-1', { supplier: company.supplierId, warehouse: company.warehouseId })));
    expect(new Set(results.map((r) => r.erpId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await connector.rpc.model('stock.shipment.in', 'search', [[['reference', '=', 'FS-RECEIPT-1']]])).toEqual([Number(results[0]?.erpId)]);
  });

  it('creates once when two connectors (two backend processes) race, with a unique and with a plain reference field', async () => {
    const other = await configured();
    try {
      const parties = await Promise.all([connector, other].map((c) => c.createOnce('party.party', 'FS-RACE-PARTY', { name: 'Raced' })));
      expect(parties[0]?.erpId).toBe(parties[1]?.erpId);
      expect(await connector.rpc.model('party.party', 'search', [[['code', '=', 'FS-RACE-PARTY']]], { active_test: false })).toHaveLength(1);

      const values = { supplier: company.supplierId, warehouse: company.warehouseId };
      const shipments = await Promise.all([connector, other].map((c) => c.createOnce('stock.shipment.in', 'FS-RACE-RECEIPT', values)));
      expect(shipments[0]?.erpId).toBe(shipments[1]?.erpId);
      expect(await connector.rpc.model('stock.shipment.in', 'search', [[['reference', '=', 'FS-RACE-RECEIPT']]])).toEqual([Number(shipments[0]?.erpId)]);
    } finally {
      await other.close();
    }
  });

  it('refuses createOnce on a model with no field for our reference', async () => {
    const error = await caught(connector.createOnce('stock.move', 'FS-MOVE-1', { product: company.productId }));
    expect(error.code).toBe('erp-no-reference');
    expect(error.message).toContain('stock.shipment.in');
  });

  it('surfaces an ERP refusal inside createOnce with Tryton\'s message', async () => {
    const error = await caught(connector.createOnce('purchase.purchase', 'FS-PO-NOPARTY', { invoice_method: 'manual' }));
    expect(error.code).toBe('erp-user-error');
    expect(error.message).toBe('A value is required for field "Party" in "Purchase".');
    expect(await connector.findByReference('purchase.purchase', 'FS-PO-NOPARTY')).toBeUndefined();
  });

  it('reads changes page by page, then only what changed since the cursor (plus the overlap)', async () => {
    // One after another, so their change stamps are in id order.
    const ids: string[] = [];
    for (const code of ['FS-CH-A', 'FS-CH-B', 'FS-CH-C']) ids.push((await connector.createOnce('party.party', code, { name: code })).erpId);
    const filter = [['code', 'like', 'FS-CH-%']] as const;
    const seen: ErpRecord[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = await connector.readChanges('party.party', { fields: ['name', 'code'], cursor, overlapMs: 0, limit: 2, filter });
      seen.push(...page.records);
      cursor = page.cursor;
      if (page.caughtUp) break;
    }
    expect(seen.map((r) => r.erpId)).toEqual(ids);
    expect(seen[0]?.values).toEqual({ name: 'FS-CH-A', code: 'FS-CH-A' });
    expect(seen.every((r) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(r.changedAt) && r.version !== '')).toBe(true);

    // Nothing changed: with no overlap only the newest stamp itself is read again (>=), never older records.
    const quiet = await connector.readChanges('party.party', { fields: ['name'], cursor, overlapMs: 0, limit: 10, filter });
    expect(quiet.caughtUp).toBe(true);
    expect(quiet.records.every((r) => r.changedAt === seen.map((s) => s.changedAt).sort().at(-1))).toBe(true);

    // Wait for Tryton's clock to pass the cursor, then change B: the next sweep returns it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await connector.update('party.party', ids[1] ?? '', { name: 'FS-CH-B renamed' });
    const changed = await connector.readChanges('party.party', { fields: ['name'], cursor: quiet.cursor, overlapMs: 0, limit: 10, filter });
    // B, and C again (it carries the cursor's own stamp); never A, which is older.
    expect(changed.records.map((r) => [r.erpId, r.values.name])).toEqual([
      [ids[1], 'FS-CH-B renamed'],
      [ids[2], 'FS-CH-C'],
    ]);

    // A generous overlap re-reads the earlier ones too (they are upserted idempotently).
    const overlapped = await connector.readChanges('party.party', { fields: ['name'], cursor: quiet.cursor, overlapMs: 60_000, limit: 10, filter });
    expect(overlapped.records.map((r) => r.erpId)).toEqual(ids);

    await expect(connector.readChanges('party.party', { fields: [], cursor: 'not-a-cursor', overlapMs: 0, limit: 10 })).rejects.toThrow(/not a cursor this adapter made/);
  });

  it('lists ids for reconciliation, so a record deleted in Tryton is noticed', async () => {
    const { erpId } = await connector.createOnce('party.party', 'FS-GONE', { name: 'Soon gone' });
    const filter = [['code', 'in', ['FS-GONE', 'FS-PARTY-1']]] as const;
    expect(await connector.readIds('party.party', filter)).toContain(erpId);
    await connector.rpc.model('party.party', 'delete', [[Number(erpId)]]);
    const after = await connector.readIds('party.party', filter);
    expect(after).not.toContain(erpId);
    expect(after).toHaveLength(1);
    // read() skips ids that no longer exist instead of failing the batch.
    expect((await connector.read('party.party', [erpId, ...after], ['name'])).map((r) => r.erpId)).toEqual(after);
  });

  it('updates with the expected version, and refuses a stale one with erp-concurrency', async () => {
    const { erpId } = await connector.createOnce('party.party', 'FS-LOCK', { name: 'v1' });
    const [v1] = await connector.read('party.party', [erpId], ['name']);
    // Tryton's `_timestamp` has whole seconds on SQLite: let a second pass so the write gives a new one.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await connector.update('party.party', erpId, { name: 'v2' }, { expectedVersion: v1?.version ?? '' });

    const error = await caught(connector.update('party.party', erpId, { name: 'v3' }, { expectedVersion: v1?.version ?? '' }));
    expect(error.code).toBe('erp-concurrency');
    expect(error.retryable).toBe(true);
    const [now] = await connector.read('party.party', [erpId], ['name']);
    expect(now?.values.name).toBe('v2');
    expect(now?.version).not.toBe(v1?.version);
  });
});
