// Start-up wiring of the inbound ERP sync. These need no running Tryton: a broken maps
// folder is refused before any ERP call, and an unreachable ERP is exactly the case where
// the backend must still start, log and count the failed runs, and keep answering.
import { spawn } from 'node:child_process';
import { cpSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../server/erp/secret.js';
import type { SyncStatus } from '../../shared/erp/sync-wire.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { TRYTON_MAPS_DIR } from './tryton-sync-support.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A backend whose Tryton is a closed port, its sync rounds `intervalMs` apart. */
async function startUnreachable(intervalMs: number): Promise<TestServer> {
  return startTestServer({
    demo: false,
    config: {
      erp: 'tryton',
      tryton: { url: `http://127.0.0.1:${await closedPort()}`, database: 'erp', user: 'admin', password: new Secret('unused') },
      erpTimeoutMs: 2_000,
      erpSync: { mapsDir: TRYTON_MAPS_DIR, intervalMs, overlapMs: 5_000, reconcileIntervalMs: 0 },
    },
  });
}

describe('inbound ERP sync start-up', () => {
  const dirs = tempDir('erp-sync-startup');
  afterAll(() => dirs.cleanup());

  it('refuses to start the server process with a broken maps folder: non-zero exit and the loader\'s message', async () => {
    const maps = path.join(dirs.path, 'maps');
    cpSync(TRYTON_MAPS_DIR, maps, { recursive: true });
    writeFileSync(path.join(maps, 'warehouses.yaml'), 'collection: warehouses\nmodel: stock.location\nkey: [code]\nfields:\n  - { local: code, erp: code, direction: sideways }\n');
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FIELDSTOCK_') && k !== 'DATABASE_URL' && k !== 'NODE_OPTIONS') env[k] = v;
    Object.assign(env, {
      FIELDSTOCK_DATA_DIR: path.join(dirs.path, 'data'),
      FIELDSTOCK_PORT: String(await closedPort()),
      FIELDSTOCK_ERP: 'tryton',
      FIELDSTOCK_TRYTON_URL: `http://127.0.0.1:${await closedPort()}`,
      FIELDSTOCK_TRYTON_DATABASE: 'erp',
      FIELDSTOCK_TRYTON_USER: 'admin',
      FIELDSTOCK_TRYTON_PASSWORD: 'unused',
      FIELDSTOCK_ERP_MAPS_DIR: maps,
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).not.toBe(0);
    expect(output).toContain(`Fieldstock could not start: ERP maps in ${maps} have`);
    expect(output).toMatch(/warehouses\.yaml:5: fields\[0\]\.direction: .*sideways/);
    expect(output).not.toContain('listening');
  }, 60_000);

  describe('with an hour between rounds', () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startUnreachable(3_600_000);
    });
    afterAll(() => server?.close());

    it('runs the first round at start, not after the interval (a new connection is not kept waiting)', async () => {
      const admin = await server.token('admin');
      let warehouses: SyncStatus['maps'][number] | undefined;
      for (let tries = 0; tries < 200 && !warehouses?.lastRun; tries += 1) {
        warehouses = (await api<SyncStatus>(server, admin, 'GET', '/api/v1/admin/erp/sync')).body.maps.find((m) => m.map === 'warehouses');
        if (!warehouses?.lastRun) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // The ERP is unreachable here: the run that happened is the initial one, and it failed for that reason.
      expect(warehouses?.lastRun).toMatchObject({ kind: 'initial', error: { code: 'erp-network' } });
    });
  });

  describe('with the ERP unreachable', () => {
    let server: TestServer;

    beforeAll(async () => {
      // A round every 20 ms: the failures pile up at once.
      server = await startUnreachable(20);
    });
    afterAll(() => server?.close());

    it('starts anyway, logs and counts each failed run per map, and keeps serving', async () => {
      const admin = await server.token('admin');
      let status: SyncStatus | undefined;
      for (let tries = 0; tries < 200; tries += 1) {
        status = (await api<SyncStatus>(server, admin, 'GET', '/api/v1/admin/erp/sync')).body;
        if (status.maps.filter((m) => m.inbound).every((m) => m.errorCount >= 2)) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const inbound = status?.maps.filter((m) => m.inbound) ?? [];
      expect(inbound.map((m) => m.map)).toEqual(expect.arrayContaining(['asset-categories', 'payment-terms', 'products', 'purchase-orders', 'ship-via', 'warehouses']));
      for (const m of inbound) {
        expect(m.errorCount).toBeGreaterThanOrEqual(2);
        expect(m.lastError).toMatchObject({ code: 'erp-network', message: expect.any(String), at: expect.any(String) });
        expect(m.lastRun).toMatchObject({ kind: 'initial', error: { code: 'erp-network' } });
        expect(m.cursor).toBeNull();
      }
      expect((await api(server, undefined, 'GET', '/healthz')).status).toBe(200);

      // A run asked for without waiting is accepted at once; the status above is where its outcome shows.
      const started = await api(server, admin, 'POST', '/api/v1/admin/erp/sync/warehouses/run');
      expect(started).toMatchObject({ status: 202, body: { map: 'warehouses', started: true } });
    });
  });
});
