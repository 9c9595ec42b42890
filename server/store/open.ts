import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.js';
import type { Database } from './tables.js';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, for logs (never includes a password). */
  description: string;
  /**
   * Present on SQLite: the connection Kysely runs on. Inside writeTransaction
   * its prepared statements run in the open transaction (server/store/bulk-insert.ts).
   */
  sqlite?: SqliteDatabase.Database;
  /** Present on PostgreSQL: a dedicated client for LISTEN. */
  connectListener?: () => Promise<pg.Client>;
  close(): Promise<void>;
}

export interface StoreOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
}

// bigint columns hold sequences, epoch ms and scaled quantities, all far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
  try {
    await migrateToLatest(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** Every SQLite connection's settings (the posting bench's raw-insert baseline uses them too). */
export const SQLITE_PRAGMAS: readonly string[] = [
  // WAL lets readers run beside the writer; FULL makes every acknowledged commit durable.
  'journal_mode = WAL',
  'synchronous = FULL',
  'busy_timeout = 10000',
  'foreign_keys = ON',
  // Measured with the posting bench (npm run bench -- --only=posting): a posting batch writes a few MB of WAL, so
  // the default (checkpoint past 1,000 pages) checkpointed after nearly every commit; every 10,000 pages (~40 MB)
  // coalesces the pages batches rewrite (inventory documents, indexes) and cut commit time by about a third.
  'wal_autocheckpoint = 10000',
  // 64 MiB of page cache (the default is 2 MiB): index inserts at random keys stop re-reading pages.
  'cache_size = -65536',
];

function openSqlite(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'fieldstock.sqlite');
  const sqlite = new SqliteDatabase(file);
  for (const pragma of SQLITE_PRAGMAS) sqlite.pragma(pragma);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    engine: 'sqlite',
    sqlite,
    description: `sqlite:${file}`,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgres',
    description: `postgres:${redactUrl(url)}`,
    connectListener: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    },
    close: () => db.destroy(),
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable url)';
  }
}
