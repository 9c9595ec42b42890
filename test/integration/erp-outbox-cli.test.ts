/**
 * `npm run erp -- ...` against a real backend process: status, errors,
 * retry, pause and resume through the admin API, signed in with the admin
 * password or a token from the environment, and clear messages when the
 * server is unreachable or the credentials are wrong.
 *
 * The test process opens the same SQLite store to queue items and to play a
 * worker whose ERP refuses them (the spawned server has no handlers).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import type { OutboxItemView, OutboxStatusView } from '../../shared/erp/outbox-wire.js';
import { openStore, type Store } from '../../server/store/open.js';
import { freePort, spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { ADMIN_PASSWORD } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import type { LoginResponse } from '../../shared/wire.js';
import { erpHandler, startFakeErp, type FakeErp } from './erp-outbox-erp.js';
import { TestClock, enqueueAll, item, request, runWorker } from './erp-outbox-support.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>, viaNpm = false): Promise<Run> {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child = viaNpm
    ? spawn('npm', ['run', '--silent', 'erp', '--', ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['--import', 'tsx', 'server/erp/outbox/cli.ts', ...args], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the erp CLI against a running backend', () => {
  let dir: TempDir;
  let server: ServerProcess;
  let store: Store;
  let erp: FakeErp;
  let env: Record<string, string>;
  let poisonId = '';

  beforeAll(async () => {
    dir = tempDir('erp-cli');
    server = await spawnServer({ dataDir: dir.path });
    store = await openStore({ dataDir: dir.path });
    erp = await startFakeErp();
    env = { FIELDSTOCK_URL: server.url, FIELDSTOCK_ADMIN_PASSWORD: ADMIN_PASSWORD };

    const handlers = new OutboxHandlers();
    handlers.register('warehouses', 'create', erpHandler(erp.url));
    const [refused] = await enqueueAll(store, [request('warehouses', 'create', 'wh-refused'), request('warehouses', 'create', 'wh-also-refused')]);
    poisonId = refused?.id ?? '';
    erp.refuse('wh-refused', 'Warehouse code is required');
    erp.refuse('wh-also-refused', 'Name is required');
    const clock = new TestClock();
    await runWorker(store, handlers, clock);
  }, 90_000);

  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await erp?.close();
    dir?.cleanup();
  });

  it('shows every map with its queue, lag and last error', async () => {
    const run = await cli(['status'], env, true);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [header, row] = run.stdout.trim().split('\n');
    expect(header).toMatch(/^MAP\s+STATE\s+PENDING\s+IN-FLIGHT\s+POISON\s+DONE\s+RETRYING\s+LAG\s+LAST ERROR$/);
    expect(row).toMatch(/^warehouses\s+running\s+0\s+0\s+2\s+0\s+0\s+-\s+erp-user-error: /);

    const json = await cli(['status', '--json'], env);
    const status = JSON.parse(json.stdout) as OutboxStatusView;
    expect(status.maps.map((m) => [m.map, m.depth.poison])).toEqual([['warehouses', 2]]);
  });

  it('lists the failed items and retries one by id', async () => {
    const errors = await cli(['errors'], env);
    expect(errors.code).toBe(0);
    expect(errors.stdout).toContain(poisonId);
    expect(errors.stdout).toContain('erp-user-error: Warehouse code is required');
    expect(errors.stdout).toContain('npm run erp -- retry <ID>');

    const retry = await cli(['retry', poisonId], env);
    expect(retry.code).toBe(0);
    expect(retry.stdout).toContain(`Item ${poisonId} (warehouses/create, document wh-refused) is pending again`);
    expect((await item(store, poisonId)).status).toBe('pending');

    const again = await cli(['retry', poisonId], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Only a poison item can be retried.*\(status-not-allowed\)/);
  });

  it('pauses and resumes a map, with a reason', async () => {
    const pause = await cli(['pause', 'warehouses', '--reason', 'ERP upgrade tonight'], env);
    expect(pause.code).toBe(0);
    expect(pause.stdout).toContain('Map "warehouses" is paused (ERP upgrade tonight)');
    const state = await store.db.selectFrom('erp_map_state').selectAll().where('map_name', '=', 'warehouses').executeTakeFirstOrThrow();
    expect(state).toMatchObject({ paused: 1, reason: 'ERP upgrade tonight' });
    const status = await cli(['status'], env);
    expect(status.stdout).toMatch(/warehouses\s+paused \(ERP upgrade tonight\)/);

    const resume = await cli(['resume', 'warehouses'], env);
    expect(resume.code).toBe(0);
    expect(resume.stdout).toContain('Map "warehouses" is running');
    expect((await store.db.selectFrom('erp_map_state').select('paused').where('map_name', '=', 'warehouses').executeTakeFirstOrThrow()).paused).toBe(0);
  });

  it('signs in with a token from the environment, and refuses a bad one', async () => {
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as LoginResponse;
    const ok = await cli(['errors', '--json'], { FIELDSTOCK_URL: server.url, FIELDSTOCK_ADMIN_TOKEN: accessToken });
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { items: OutboxItemView[] }).items.length).toBeGreaterThan(0);

    const bad = await cli(['status'], { FIELDSTOCK_URL: server.url, FIELDSTOCK_ADMIN_TOKEN: 'not-a-token' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/refused the credentials/);
    const wrongPassword = await cli(['status'], { FIELDSTOCK_URL: server.url, FIELDSTOCK_ADMIN_PASSWORD: 'wrong-password' });
    expect(wrongPassword.code).toBe(1);
    expect(wrongPassword.stderr).toMatch(/refused the credentials \(invalid-credentials\)/);
  });

  it('says so clearly when the server is unreachable or the setup is incomplete', async () => {
    const port = await freePort();
    const down = await cli(['status'], { FIELDSTOCK_URL: `http://127.0.0.1:${port}`, FIELDSTOCK_ADMIN_TOKEN: 'x' });
    expect(down.code).toBe(3);
    expect(down.stderr).toContain(`Cannot reach the Fieldstock server at http://127.0.0.1:${port} (ECONNREFUSED). Is it running? Set FIELDSTOCK_URL`);

    const noCredentials = await cli(['status'], { FIELDSTOCK_URL: server.url });
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toMatch(/Set FIELDSTOCK_ADMIN_TOKEN/);

    const tokenInUrl = await cli(['status'], { FIELDSTOCK_URL: `${server.url}/?token=abc`, FIELDSTOCK_ADMIN_PASSWORD: ADMIN_PASSWORD });
    expect(tokenInUrl.code).toBe(2);
    expect(tokenInUrl.stderr).toMatch(/must not carry credentials/);

    const unknown = await cli(['explode'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "explode"/);
    expect(unknown.stderr).toContain('Usage: npm run erp --');
  });
});
