import type SqliteDatabase from 'better-sqlite3';
import type { Transaction } from 'kysely';
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

/** PostgreSQL allows 65,535 parameters in one statement. */
const PG_MAX_PARAMETERS = 60_000;

// Prepared once per connection and SQL text: a posting batch runs the same few statements thousands of times.
const prepared = new WeakMap<SqliteDatabase.Database, Map<string, SqliteDatabase.Statement>>();

const quote = (name: string) => `"${name}"`;

/**
 * SQLite: one prepared single-row statement per table, run row by row on the
 * connection that holds the transaction (better-sqlite3 is synchronous, so a
 * row costs a bind and a step; no SQL is built or parsed per batch).
 * PostgreSQL: multi-row statements as large as its parameter limit allows,
 * so a batch costs a few round trips.
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
    const chunk = Math.max(1, Math.floor(PG_MAX_PARAMETERS / columns.length));
    for (let i = 0; i < rows.length; i += chunk) {
      // Kysely cannot type a table chosen at run time; the rows are typed by the caller's signature.
      const insert = trx.insertInto(table as 'meta').values(rows.slice(i, i + chunk) as never);
      await (upsert
        ? insert.onConflict((oc) =>
            oc.columns(upsert.conflict as never).doUpdateSet((eb) => Object.fromEntries(upsert.update.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never),
          )
        : insert
      ).execute();
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
