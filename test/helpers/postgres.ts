/**
 * PostgreSQL helpers for tests. The cluster is started once per run by
 * test/helpers/global-setup.ts; each test (or file) gets its own database:
 *
 *   describeIfPg('ledger store', () => {
 *     let db: Awaited<ReturnType<typeof createTestDatabase>>;
 *     beforeAll(async () => { db = await createTestDatabase(); });
 *     afterAll(() => db.drop());
 *     ...
 *   });
 */
import { describe, inject } from 'vitest';
import { createDatabaseIn, type TestDatabase } from './pg-database.js';

export type { TestDatabase };

/** Admin URL of the test cluster ('' when PostgreSQL is unavailable). */
export function pgAdminUrl(): string {
  // inject() returns undefined if the run was not started with vitest.config.ts's globalSetup.
  const url = inject('pgAdminUrl') as string | undefined;
  return url ?? '';
}

export function pgAvailable(): boolean {
  return pgAdminUrl() !== '';
}

function unavailableReason(): string {
  const provided = inject('pgAdminUrl') as string | undefined;
  if (provided === undefined) {
    return 'pgAdminUrl was not provided (run vitest with vitest.config.ts so test/helpers/global-setup.ts runs)';
  }
  const reason = inject('pgUnavailableReason') as string | undefined;
  return reason || 'PostgreSQL is unavailable';
}

/** Creates a uniquely named, empty database in the test cluster. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!pgAvailable()) throw new Error(`createTestDatabase: ${unavailableReason()}`);
  return createDatabaseIn(pgAdminUrl());
}

let warned = false;

function warnSkippedOnce(): void {
  if (warned) return;
  warned = true;
  console.warn(`[fieldstock tests] skipping PostgreSQL tests: ${unavailableReason()}`);
}

type Describe = ReturnType<typeof describe.runIf>;

/**
 * `describe` when PostgreSQL is available; otherwise `describe.skip`, printing the
 * reason (once per test file) when first used.
 */
export const describeIfPg: Describe = pgAvailable()
  ? describe
  : new Proxy(describe.skip, {
      apply(target, thisArg, args) {
        warnSkippedOnce();
        return Reflect.apply(target, thisArg, args);
      },
    });
