import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { initial } from './migrations/001-initial.js';
import { erpAggregation } from './migrations/002-erp-aggregation.js';
import { erpOutbox } from './migrations/004-erp-outbox.js';
import { erpRecordLinks } from './migrations/005-erp-record-links.js';
import { journalLinesErpLine } from './migrations/006-journal-lines-erp-line.js';
import { erpTraceIndexes } from './migrations/007-erp-trace-indexes.js';
import type { Database } from './tables.js';

/** Migrations in code, in order; a new one is a new file and one line here. */
const migrations: Record<string, Migration> = {
  '001-initial': initial,
  '002-erp-aggregation': erpAggregation,
  '004-erp-outbox': erpOutbox,
  '005-erp-record-links': erpRecordLinks,
  '006-journal-lines-erp-line': journalLinesErpLine,
  '007-erp-trace-indexes': erpTraceIndexes,
};

const provider: MigrationProvider = {
  getMigrations: async () => migrations,
};

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'fieldstock_migrations', migrationLockTableName: 'fieldstock_migrations_lock' });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
