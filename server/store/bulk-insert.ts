import type SqliteDatabase from 'better-sqlite3';
import { sql, type Transaction } from 'kysely';
import type { Database } from './tables.js';

export type TableName = keyof Database & string;

export interface Upsert<T extends TableName> {
  /** The unique key that decides "already there". */
  conflict: (keyof Database[T] & string)[];
  /** The columns an existing row takes from the new one. */
  update: (keyof Database[T] & string)[];
}

/** Inserts many rows of one table inside the open write transaction. */
export type BulkInsert = <T extends TableName>(table: T, rows: readonly Database[T][], upsert?: Upsert<T>) => Promise<void>;

/** Bounds one statement's JSON (and PostgreSQL's memory for it); a posting batch fits in one. */
const PG_ROWS_PER_STATEMENT = 5000;

// Prepared once per connection and SQL text: a posting batch runs the same few statements thousands of times.
const prepared = new WeakMap<SqliteDatabase.Database, Map<string, SqliteDatabase.Statement>>();

const quote = (name: string) => `"${name}"`;

const LONE_SURROGATE_ESCAPE = /\\ud[89a-f]/;
const wellFormed = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/**
 * SQLite: one prepared single-row statement per table, run row by row on the
 * connection that holds the transaction (better-sqlite3 is synchronous, so a
 * row costs a bind and a step; no SQL is built or parsed per batch).
 * PostgreSQL: one INSERT ... SELECT FROM json_populate_recordset per table,
 * so a batch costs one round trip per table and no per-row parameters.
 */
export function bulkInserter(trx: Transaction<Database>, sqlite: SqliteDatabase.Database | undefined): BulkInsert {
  if (sqlite) {
    let statements = prepared.get(sqlite);
    if (!statements) {
      statements = new Map();
      prepared.set(sqlite, statements);
    }
    const cache = statements;
    return async (table, rows, upsert) => {
      const columns = columnsOf(rows as readonly object[]);
      if (columns.length === 0) return;
      const text =
        `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values (${columns.map(() => '?').join(', ')})` +
        (upsert ? ` on conflict (${upsert.conflict.map(quote).join(', ')}) do update set ${upsert.update.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}` : '');
      let statement = cache.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        cache.set(text, statement);
      }
      const values: unknown[] = new Array(columns.length);
      for (const row of rows as unknown as readonly Record<string, unknown>[]) {
        for (let i = 0; i < columns.length; i += 1) values[i] = row[columns[i] as string] ?? null;
        statement.run(values);
      }
    };
  }
  return async (table, rows, upsert) => {
    const columns = columnsOf(rows as readonly object[]);
    if (columns.length === 0) return;
    const list = sql.join(columns.map((c) => sql.ref(c)));
    const conflict = upsert
      ? sql`on conflict (${sql.join(upsert.conflict.map((c) => sql.ref(c)))}) do update set ${sql.join(upsert.update.map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`))}`
      : sql``;
    // The rows travel as one JSON parameter that PostgreSQL types by the table's own row type.
    for (let i = 0; i < rows.length; i += PG_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + PG_ROWS_PER_STATEMENT);
      let json = JSON.stringify(chunk);
      // A lone surrogate (JSON.stringify escapes it as \udxxx) is an error in PostgreSQL's json; as a plain
      // parameter it became U+FFFD, so it does here too. Rare: the test is on the text, the fix only then.
      if (LONE_SURROGATE_ESCAPE.test(json)) json = JSON.stringify(chunk, (_key, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value));
      await sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${json}) ${conflict}`.execute(trx);
    }
  };
}

/** Every column any row has, in first-seen order (Kysely does the same for multi-row inserts). */
function columnsOf(rows: readonly object[]): string[] {
  const first = rows[0];
  if (!first) return [];
  const columns = Object.keys(first);
  const seen = new Set(columns);
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  return columns;
}
