// Sanity checks of the test harness itself (test/helpers).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, describeIfPg, pgAdminUrl, type TestDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/tmp.js';

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  return withClient(pgAdminUrl(), async (client) => {
    const result = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    return result.rowCount === 1;
  });
}

describeIfPg('createTestDatabase', () => {
  const created: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(created.splice(0).map((db) => db.drop()));
  });

  it('creates an empty, usable database and drops it', async () => {
    const db = await createTestDatabase();
    created.push(db);
    const name = new URL(db.url).pathname.slice(1);
    expect(await databaseExists(name)).toBe(true);

    const rows = await withClient(db.url, async (client) => {
      await client.query('CREATE TABLE item (id integer PRIMARY KEY, name text NOT NULL)');
      await client.query('INSERT INTO item (id, name) VALUES ($1, $2), ($3, $4)', [1, 'bolt', 2, 'nut']);
      const result = await client.query<{ id: number; name: string }>('SELECT id, name FROM item ORDER BY id');
      return result.rows;
    });
    expect(rows).toEqual([
      { id: 1, name: 'bolt' },
      { id: 2, name: 'nut' },
    ]);

    // An open connection must not block drop() (WITH (FORCE)); drop() is idempotent.
    const lingering = new pg.Client({ connectionString: db.url });
    lingering.on('error', () => {});
    await lingering.connect();
    try {
      await db.drop();
      await db.drop();
    } finally {
      await lingering.end().catch(() => {});
    }
    expect(await databaseExists(name)).toBe(false);
  });

  it('gives each call its own database', async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    created.push(a, b);
    expect(a.url).not.toBe(b.url);
    await withClient(a.url, (client) => client.query('CREATE TABLE only_in_a (x int)'));
    const found = await withClient(b.url, async (client) => {
      const result = await client.query("SELECT to_regclass('only_in_a') AS t");
      return (result.rows[0] as { t: string | null }).t;
    });
    expect(found).toBeNull();
  });
});

describe('tempDir', () => {
  it('creates a private directory and removes it on cleanup', () => {
    const dir = tempDir('harness test/../x');
    try {
      expect(existsSync(dir.path)).toBe(true);
      writeFileSync(join(dir.path, 'file.txt'), 'data');
      const other = tempDir('harness test/../x');
      expect(other.path).not.toBe(dir.path);
      other.cleanup();
    } finally {
      dir.cleanup();
      dir.cleanup();
    }
    expect(existsSync(dir.path)).toBe(false);
  });
});
