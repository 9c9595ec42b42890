/**
 * The posting bench's floor: the rows a posting run wrote (documents with
 * their change sequence, on-hand rows, journal lines, postings), inserted
 * commit by commit into a fresh store of the same engine, seeded the same
 * way, with no reads and no validation: one database transaction per push
 * (as many commits as posting made), each
 * engine's plainest fast path (SQLite: prepared single-row statements on the
 * same pragmas; PostgreSQL: one INSERT ... SELECT FROM json_populate_recordset
 * per table). Posting can only be slower; the ratio says by how much.
 */
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_PRAGMAS } from '../../server/store/open.js';
import type { BenchCluster } from './postgres-cluster.js';
import { freshStore, type CapturedCommit, type PostingEngine } from './posting-core.js';
import { seedPostingWorld, type PostingWorld } from './posting-data.js';

/** Upsert tails for the tables a batch rewrites rows of (the same as writeTransaction's and the ledger's). */
const CONFLICT: Record<string, string> = {
  docs: `on conflict (collection, id) do update set seq = excluded.seq, deleted = excluded.deleted, scope_a = excluded.scope_a,
    scope_b = excluded.scope_b, natural_key = excluded.natural_key, data = excluded.data`,
  onhand: `on conflict (warehouse_id, product_id) do update set on_hand = excluded.on_hand, on_order = excluded.on_order,
    ordered = excluded.ordered, last_count_at = excluded.last_count_at`,
};

/** The captured rows per table, every column as the posting run stored it. */
const tables = (b: CapturedCommit): [string, Record<string, unknown>[]][] => [
  ['docs', b.docs as unknown as Record<string, unknown>[]],
  ['onhand', b.onhand as unknown as Record<string, unknown>[]],
  ['journal_lines', b.journalLines as unknown as Record<string, unknown>[]],
  ['postings', b.postings as unknown as Record<string, unknown>[]],
];

/** Inserts the captured commits into a fresh store; returns each batch's time (its commits summed), after checking every row landed. */
export async function baselineRun(engine: PostingEngine, cluster: BenchCluster | undefined, world: PostingWorld, commits: CapturedCommit[]): Promise<number[]> {
  const bench = await freshStore(engine, cluster, 'fieldstock_bench_posting_baseline');
  try {
    await seedPostingWorld(bench.store, world);
    if (bench.sqliteFile) return sqliteBaseline(bench.sqliteFile, commits);
    if (bench.databaseUrl) return await postgresBaseline(bench.databaseUrl, commits);
    throw new Error('baseline store is neither SQLite nor PostgreSQL');
  } finally {
    await bench.dispose();
  }
}

/** Every captured row landed (the baseline's own count check). */
function checkCounts(commits: CapturedCommit[], lines: number, postings: number): void {
  const wantLines = commits.reduce((n, b) => n + b.journalLines.length, 0);
  const wantPostings = commits.reduce((n, b) => n + b.postings.length, 0);
  if (lines !== wantLines || postings !== wantPostings) {
    throw new Error(`BASELINE MISMATCH: ${lines} journal lines, ${postings} postings; expected ${wantLines}, ${wantPostings}`);
  }
}

function sqliteBaseline(file: string, commits: CapturedCommit[]): number[] {
  // A second connection to the file the store opened (and still holds, idle).
  const db = new SqliteDatabase(file);
  try {
    for (const pragma of SQLITE_PRAGMAS) db.pragma(pragma);
    const statements = new Map<string, SqliteDatabase.Statement>();
    const statement = (table: string, columns: string[]) => {
      let s = statements.get(table);
      if (!s) {
        s = db.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) ${CONFLICT[table] ?? ''}`);
        statements.set(table, s);
      }
      return s;
    };
    const counter = db.prepare('update change_counter set value = ? where id = 1');
    const write = db.transaction((b: CapturedCommit) => {
      for (const [table, rows] of tables(b)) {
        const first = rows[0];
        if (!first) continue;
        const columns = Object.keys(first);
        const insert = statement(table, columns);
        for (const row of rows) insert.run(columns.map((c) => row[c]));
      }
      counter.run(b.seq);
    });
    const batchMs: number[] = [];
    for (const b of commits) {
      const started = performance.now();
      write(b);
      batchMs[b.batch] = (batchMs[b.batch] ?? 0) + performance.now() - started;
    }
    const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    checkCounts(commits, count('journal_lines'), count('postings'));
    return batchMs;
  } finally {
    db.close();
  }
}

async function postgresBaseline(url: string, commits: CapturedCommit[]): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const batchMs: number[] = [];
    for (const b of commits) {
      const started = performance.now();
      await client.query('begin');
      // One statement per table: the rows as one JSON parameter, typed by the table's own row type.
      for (const [table, rows] of tables(b)) {
        if (rows.length > 0) await client.query(`insert into ${table} select * from json_populate_recordset(null::${table}, $1) ${CONFLICT[table] ?? ''}`, [JSON.stringify(rows)]);
      }
      await client.query('update change_counter set value = $1 where id = 1', [b.seq]);
      await client.query('commit');
      batchMs[b.batch] = (batchMs[b.batch] ?? 0) + performance.now() - started;
    }
    const count = async (table: string) => Number((await client.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]?.n ?? 0);
    checkCounts(commits, await count('journal_lines'), await count('postings'));
    return batchMs;
  } finally {
    await client.end();
  }
}
