/**
 * A real Fieldstock backend for RxDB's conformance suite, which runs under
 * mocha (test/conformance/run.mjs) and therefore cannot use
 * test/helpers/server.ts (that module reads Vitest's injected context).
 *
 * PostgreSQL: the throwaway cluster of test/helpers/global-setup.ts (or
 * FIELDSTOCK_TEST_PG_URL), started once for the run, one database per backend.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { buildApp, type Fieldstock } from '../../server/app.js';
import { ensureAdmin } from '../../server/auth/bootstrap.js';
import { loadConfig, type Config } from '../../server/config.js';
import type { ExtraCollection } from '../../server/replication/registry.js';
import startPgCluster from '../helpers/global-setup.js';
import { tempDir } from '../helpers/tmp.js';

export const ADMIN_PASSWORD = 'admin-conformance-password';

export type Engine = 'sqlite' | 'postgres';

export interface PgCluster {
  /** Admin URL of the cluster, or '' when PostgreSQL is unavailable. */
  adminUrl: string;
  /** Why it is unavailable ('' when available). */
  unavailableReason: string;
  stop(): Promise<void>;
}

/**
 * Starts the same throwaway cluster as Vitest's global setup. Its setup only
 * calls `provide()` on the project, so a stand-in object with that one method
 * is enough (hence the narrow cast to TestProject).
 */
export async function startPostgres(): Promise<PgCluster> {
  const provided = new Map<string, string>();
  const project = {
    provide(key: string, value: string) {
      provided.set(key, value);
    },
  } as unknown as TestProject;
  const teardown = await startPgCluster(project);
  return {
    adminUrl: provided.get('pgAdminUrl') ?? '',
    unavailableReason: provided.get('pgUnavailableReason') ?? 'PostgreSQL is unavailable',
    stop: async () => {
      await teardown?.();
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface ConformanceBackend {
  url: string;
  engine: Engine;
  fieldstock: Fieldstock;
  /** A bearer token for a user (logs in with the admin password). */
  login(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

export async function startBackend(options: { engine: Engine; pgAdminUrl?: string; extraCollections: ExtraCollection[] }): Promise<ConformanceBackend> {
  const dir = tempDir('conformance');
  let databaseUrl: string | undefined;
  let dropDatabase: (() => Promise<void>) | undefined;
  if (options.engine === 'postgres') {
    const adminUrl = options.pgAdminUrl;
    if (!adminUrl) throw new Error('startBackend: PostgreSQL requested without a cluster URL');
    const name = `fs_conformance_${process.pid}_${randomBytes(4).toString('hex')}`;
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    };
  }
  const config: Config = {
    ...loadConfig({}),
    dataDir: dir.path,
    databaseUrl,
    adminPassword: ADMIN_PASSWORD,
    heartbeatMs: 1000,
    logLevel: 'silent',
  };
  const fieldstock = await buildApp({ config, extraCollections: options.extraCollections, logger: false });
  await ensureAdmin(fieldstock.ctx.store, fieldstock.ctx.auth, ADMIN_PASSWORD);
  await fieldstock.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = fieldstock.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    engine: options.engine,
    fieldstock,
    async login(username, password) {
      const response = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (!response.ok) throw new Error(`login ${username} failed: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { accessToken: string };
      return body.accessToken;
    },
    async close() {
      // The suite's clients are closed by now. Node's fetch opens a spare socket when a stream
      // is aborted; it carries no request, so a graceful close would wait for the client's
      // keep-alive timer (about 4 s). Drop such sockets first.
      fieldstock.app.server.closeAllConnections();
      await fieldstock.close();
      await dropDatabase?.();
      dir.cleanup();
    },
  };
}
