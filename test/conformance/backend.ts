/**
 * A real Fieldstock backend for RxDB's conformance suite, which runs under
 * mocha (test/conformance/run.mjs) and therefore uses the Vitest-free
 * test/helpers/boot.ts rather than test/helpers/server.ts.
 *
 * PostgreSQL: the tests' throwaway cluster (test/helpers/pg-cluster.ts, or
 * FIELDSTOCK_TEST_PG_URL), started once for the run, one database per backend.
 */
import type { Fieldstock } from '../../server/app.js';
import type { ExtraCollection } from '../../server/replication/registry.js';
import { bootServer } from '../helpers/boot.js';
import { startTestCluster } from '../helpers/pg-cluster.js';
import { createDatabaseIn, type TestDatabase } from '../helpers/pg-database.js';
import { tempDir } from '../helpers/tmp.js';

export const ADMIN_PASSWORD = 'admin-conformance-password';

export type Engine = 'sqlite' | 'postgres';

/** The tests' PostgreSQL (FIELDSTOCK_TEST_PG_URL or a throwaway cluster), as Vitest's global setup starts it. */
export const startPostgres = startTestCluster;

export interface ConformanceBackend {
  url: string;
  engine: Engine;
  fieldstock: Fieldstock;
  /** A bearer token for a user. */
  login(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

export async function startBackend(options: { engine: Engine; pgAdminUrl?: string; extraCollections: ExtraCollection[] }): Promise<ConformanceBackend> {
  const dir = tempDir('conformance');
  let database: TestDatabase | undefined;
  if (options.engine === 'postgres') {
    if (!options.pgAdminUrl) throw new Error('startBackend: PostgreSQL requested without a cluster URL');
    database = await createDatabaseIn(options.pgAdminUrl);
  }
  const booted = await bootServer({
    dataDir: dir.path,
    databaseUrl: database?.url,
    adminPassword: ADMIN_PASSWORD,
    demo: false,
    extraCollections: options.extraCollections,
  });
  return {
    url: booted.url,
    engine: options.engine,
    fieldstock: booted.fieldstock,
    login: async (username, password) => (await booted.login(username, password)).accessToken,
    async close() {
      // The suite's clients are closed by now. Node's fetch opens a spare socket when a stream
      // is aborted; it carries no request, so a graceful close would wait for the client's
      // keep-alive timer (about 4 s). Drop such sockets first.
      booted.fieldstock.app.server.closeAllConnections();
      await booted.fieldstock.close();
      await database?.drop();
      dir.cleanup();
    },
  };
}
