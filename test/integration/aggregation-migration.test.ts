/**
 * Migration 002 on a store that already holds journals (version 0 documents
 * with `erpStatus`, journal lines without line numbers): the documents become
 * posting journals v1 without a new change sequence (the app's own migration
 * makes the same document), the lines learn their journal's name, line number
 * and warehouses, and they are then aggregated like any other.
 */
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import { aggregateBatch } from '../../server/ledger/aggregation/aggregate.js';
import { createRegistry, describeErrors } from '../../server/replication/registry.js';
import { initial } from '../../server/store/migrations/001-initial.js';
import { openStore, type Store } from '../../server/store/open.js';
import type { PostingJournal } from '../../shared/schemas/journals.js';
import { unitsOf } from '../helpers/ledger-audit.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/tmp.js';
import { auditAggregation } from './aggregation-support.js';
import { ENGINES, describeEngine } from './api-support.js';

const journals = createRegistry().get('journals');
if (!journals) throw new Error('journals is not registered');

interface V0Journal {
  id: string;
  journalName: string;
  sourceCollection: string;
  sourceId: string;
  warehouseId: string;
  toWarehouseId?: string;
  postedAt: string;
  occurredAt: string;
  lines: { lineNumber: number; warehouseId: string; productId: string; quantity: number; requestedQuantity: number }[];
  erpStatus: string;
}

const transfer: V0Journal = {
  id: 'j-transfer',
  journalName: 'transfer',
  sourceCollection: 'inventoryTransactions',
  sourceId: 'tx-1',
  warehouseId: 'wh-a',
  toWarehouseId: 'wh-b',
  postedAt: '2026-01-02T10:00:00.000Z',
  occurredAt: '2026-01-02T09:00:00.000Z',
  lines: [
    { lineNumber: 1, warehouseId: 'wh-a', productId: 'p-1', quantity: -1.5, requestedQuantity: -1.5 },
    { lineNumber: 2, warehouseId: 'wh-b', productId: 'p-1', quantity: 1.5, requestedQuantity: 1.5 },
  ],
  erpStatus: 'not-applicable',
};

/** Two lines of one product: only the quantities tell them apart. */
const receipt: V0Journal = {
  id: 'j-receipt',
  journalName: 'receipt',
  sourceCollection: 'receipts',
  sourceId: 'rc-1',
  warehouseId: 'wh-a',
  postedAt: '2026-01-02T11:00:00.000Z',
  occurredAt: '2026-01-02T11:00:00.000Z',
  lines: [
    { lineNumber: 1, warehouseId: 'wh-a', productId: 'p-2', quantity: 3, requestedQuantity: 3 },
    { lineNumber: 2, warehouseId: 'wh-a', productId: 'p-2', quantity: 0.25, requestedQuantity: 0.25 },
  ],
  erpStatus: 'not-applicable',
};

/** A store as release 001 left it: only the first migration, with posted journals in it. */
async function legacyStore(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ '001-initial': initial }) },
    migrationTableName: 'fieldstock_migrations',
    migrationLockTableName: 'fieldstock_migrations_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  const raw = db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  let seq = 0;
  let line = 0;
  for (const j of [transfer, receipt]) {
    seq += 1;
    await raw
      .insertInto('docs')
      .values({ collection: 'journals', id: j.id, seq, deleted: 0, scope_a: j.warehouseId, scope_b: j.toWarehouseId ?? null, owner_id: null, natural_key: null, data: JSON.stringify({ ...j, _deleted: false }) })
      .execute();
    // Inserted in reverse, with ids that sort against line order: nothing but the content may place them.
    for (const l of [...j.lines].reverse()) {
      line += 1;
      await raw
        .insertInto('journal_lines')
        .values({
          id: `line-${10 - line}`,
          journal_id: j.id,
          source_id: j.sourceId,
          warehouse_id: l.warehouseId,
          product_id: l.productId,
          occurred_at: j.occurredAt,
          quantity: unitsOf(l.quantity),
          requested_quantity: unitsOf(l.requestedQuantity),
          posted_at: Date.parse(j.postedAt),
        })
        .execute();
    }
  }
  await raw.updateTable('change_counter').set({ value: seq }).where('id', '=', 1).execute();
}

for (const engine of ENGINES) {
  describeEngine(engine, 'migration 002 on existing journals', () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    async function upgradedStore(): Promise<Store> {
      let location: { dataDir: string; databaseUrl?: string };
      if (engine === 'sqlite') {
        const dir = tempDir('migration-002');
        cleanups.push(() => dir.cleanup());
        const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SqliteDatabase(path.join(dir.path, 'fieldstock.sqlite')) }) });
        await legacyStore(db);
        await db.destroy();
        location = { dataDir: dir.path };
      } else {
        const database = await createTestDatabase();
        cleanups.push(() => database.drop());
        const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
        await legacyStore(db);
        await db.destroy();
        location = { dataDir: '', databaseUrl: database.url };
      }
      const store = await openStore(location);
      cleanups.push(() => store.close());
      return store;
    }

    it('turns version 0 journals into posting journals without a new sequence, and numbers their lines by content', async () => {
      const store = await upgradedStore();
      const docs = await store.db.selectFrom('docs').selectAll().where('collection', '=', 'journals').orderBy('seq').execute();
      expect(docs.map((d) => [d.id, d.seq])).toEqual([
        ['j-transfer', 1],
        ['j-receipt', 2],
      ]);
      for (const d of docs) {
        const data = JSON.parse(d.data) as Record<string, unknown>;
        expect(data).toMatchObject({ kind: 'posting', status: 'posted' });
        expect(data).not.toHaveProperty('erpStatus');
        expect(journals.validate(data), describeErrors(journals.validate)).toBe(true);
      }
      const lines = await store.db
        .selectFrom('journal_lines')
        .select(['journal_id', 'line_number', 'quantity', 'journal_name', 'journal_warehouse_id', 'journal_to_warehouse_id', 'aggregation_status'])
        .orderBy('journal_id')
        .orderBy('line_number')
        .execute();
      expect(lines.map((l) => ({ ...l, quantity: Number(l.quantity) }))).toEqual([
        { journal_id: 'j-receipt', line_number: 1, quantity: 30_000, journal_name: 'receipt', journal_warehouse_id: 'wh-a', journal_to_warehouse_id: null, aggregation_status: 'pending' },
        { journal_id: 'j-receipt', line_number: 2, quantity: 2_500, journal_name: 'receipt', journal_warehouse_id: 'wh-a', journal_to_warehouse_id: null, aggregation_status: 'pending' },
        { journal_id: 'j-transfer', line_number: 1, quantity: -15_000, journal_name: 'transfer', journal_warehouse_id: 'wh-a', journal_to_warehouse_id: 'wh-b', aggregation_status: 'pending' },
        { journal_id: 'j-transfer', line_number: 2, quantity: 15_000, journal_name: 'transfer', journal_warehouse_id: 'wh-a', journal_to_warehouse_id: 'wh-b', aggregation_status: 'pending' },
      ]);
    });

    it('aggregates the journals posted before the upgrade like new ones', async () => {
      const store = await upgradedStore();
      const batch = await aggregateBatch(store, undefined, { batchSize: 100, maxLinesPerJournal: 10 });
      expect(batch).toMatchObject({ lines: 4, postingJournals: 2, erpJournals: 2, erpLines: 3 });
      expect((await auditAggregation(store.db)).problems).toEqual([]);
      const row = await store.db.selectFrom('docs').select(['data', 'seq']).where('collection', '=', 'journals').where('id', '=', 'j-receipt').executeTakeFirstOrThrow();
      const doc = JSON.parse(row.data) as PostingJournal;
      expect(row.seq).toBeGreaterThan(2);
      expect(doc.status).toBe('aggregated');
      // Both receipt lines are one product in one warehouse: one ERP line carries them.
      expect(doc.lines[0]?.erpJournal).toEqual(doc.lines[1]?.erpJournal);
      const erp = await store.db.selectFrom('erp_journal_lines').selectAll().where('journal_id', '=', doc.lines[0]?.erpJournal?.id ?? '').execute();
      expect(erp.map((l) => [Number(l.quantity), l.source_line_count, l.status])).toEqual([[32_500, 2, 'created']]);
    });
  });
}
