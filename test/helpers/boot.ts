/**
 * Boots the real Fieldstock app on a free loopback port. Free of Vitest, so
 * both Vitest tests (test/helpers/server.ts) and the mocha conformance run use it.
 */
import type { AddressInfo } from 'node:net';
import { buildApp, type Fieldstock } from '../../server/app.js';
import { ensureAdmin } from '../../server/auth/bootstrap.js';
import { loadConfig, type Config } from '../../server/config.js';
import { seedDemo } from '../../server/demo/seed.js';
import type { ExtraCollection } from '../../server/replication/registry.js';
import type { WriteHooks } from '../../server/store/write.js';
import type { LoginResponse } from '../../shared/wire.js';

export interface BootOptions {
  dataDir: string;
  databaseUrl: string | undefined;
  adminPassword: string;
  demo: boolean;
  extraCollections?: ExtraCollection[] | undefined;
  hooks?: WriteHooks | undefined;
  config?: Partial<Config> | undefined;
}

export interface Booted {
  url: string;
  fieldstock: Fieldstock;
  login(username: string, password: string): Promise<LoginResponse>;
}

export async function bootServer(options: BootOptions): Promise<Booted> {
  const config: Config = {
    ...loadConfig({}),
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    adminPassword: options.adminPassword,
    heartbeatMs: 1000,
    logLevel: 'silent',
    // Tests aggregate when they say so (POST /api/v1/admin/aggregation/run), never behind another test's back.
    aggregation: { ...loadConfig({}).aggregation, intervalMs: 0 },
    ...options.config,
  };
  const fieldstock = await buildApp({ config, extraCollections: options.extraCollections, hooks: options.hooks, logger: false });
  await ensureAdmin(fieldstock.ctx.store, fieldstock.ctx.auth, options.adminPassword);
  if (options.demo) await seedDemo(fieldstock.ctx.store, fieldstock.ctx.notifier, fieldstock.ctx.auth);
  await fieldstock.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = fieldstock.app.server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    fieldstock,
    async login(username, password) {
      const response = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (!response.ok) throw new Error(`login ${username} failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as LoginResponse;
    },
  };
}
