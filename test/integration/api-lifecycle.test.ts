// The backend as a process (API.md "Starting the backend"): `server/main.ts --demo`
// starts from the environment, seeds the demo idempotently, and on SIGTERM
// ends open streams, drains and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { ADMIN_PASSWORD, DEMO_PASSWORD, adjustment, api, pullAll, pushNew, startTestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';
import { ENGINES, describeEngine, onHand, openStream, productId, productNumber, pulledDoc, warehouseId, type Doc } from './api-support.js';
import type { LoginResponse } from '../../shared/wire.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

interface Backend {
  url: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node --import tsx server/main.ts [--demo]` and waits until /healthz answers. */
async function startBackend(env: Record<string, string>, args: string[] = ['--demo']): Promise<Backend> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, FIELDSTOCK_HOST: '127.0.0.1', FIELDSTOCK_PORT: String(port) };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;

  let gone = false;
  void exited.then(() => (gone = true));
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (gone) throw new Error(`the backend exited before it was healthy:\n${output}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.status === 200) return { url, child, exited, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the backend did not become healthy:\n${output}`);
}

/** Sends SIGTERM and waits (generously) for the exit. */
async function stopBackend(backend: Backend): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  backend.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      backend.child.kill('SIGKILL');
      reject(new Error(`the backend did not exit after SIGTERM:\n${backend.output()}`));
    }, 20_000);
  });
  try {
    return await Promise.race([backend.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function login(url: string, username: string, password: string): Promise<string> {
  const r = await api<LoginResponse>({ url }, undefined, 'POST', '/api/v1/auth/login', { username, password });
  expect(r.status, `login ${username}`).toBe(200);
  return r.body.accessToken;
}

/** What must not change when the demo is seeded again. */
async function snapshot(url: string, token: string) {
  const products = await pullAll<Doc>({ url }, token, 'products');
  const warehouses = await pullAll<Doc>({ url }, token, 'warehouses');
  const purchaseOrders = await pullAll<Doc>({ url }, token, 'purchaseOrders');
  const onhand = await api<unknown[]>({ url }, token, 'GET', '/api/v1/inventory/onhand');
  expect(onhand.status).toBe(200);
  const ids = (docs: Doc[]) => docs.map((d) => String(d.id)).sort();
  return { products: ids(products), warehouses: ids(warehouses), purchaseOrders: ids(purchaseOrders), onhand: onhand.body };
}

for (const engine of ENGINES) {
  describeEngine(engine, 'backend process', () => {
    let dir: TempDir;
    let database: TestDatabase | undefined;
    let env: Record<string, string>;
    const started: Backend[] = [];

    beforeAll(async () => {
      dir = tempDir(`lifecycle-${engine}`);
      database = engine === 'postgres' ? await createTestDatabase() : undefined;
      env = {
        FIELDSTOCK_DATA_DIR: dir.path,
        FIELDSTOCK_ADMIN_PASSWORD: ADMIN_PASSWORD,
        FIELDSTOCK_LOG_LEVEL: 'warn',
        FIELDSTOCK_HEARTBEAT_MS: '200',
        ...(database ? { DATABASE_URL: database.url } : {}),
      };
    });
    afterAll(async () => {
      for (const b of started) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
      await database?.drop();
      dir?.cleanup();
    });

    it('ends open streams and exits 0 on SIGTERM, and seeding the demo again changes nothing', async () => {
      const first = await startBackend(env);
      started.push(first);
      // The admin password came from FIELDSTOCK_ADMIN_PASSWORD: nothing is printed.
      expect(first.output()).not.toMatch(/password:/i);
      const admin = await login(first.url, 'admin', ADMIN_PASSWORD);
      const tech1 = await login(first.url, 'tech1', DEMO_PASSWORD);

      const seeded = await snapshot(first.url, admin);
      expect(seeded.products.length).toBeGreaterThanOrEqual(200);
      expect(seeded.warehouses).toHaveLength(5);
      expect(seeded.purchaseOrders.length).toBeGreaterThanOrEqual(5);

      // Stock moves after seeding; a second seed must not reset it.
      const before = await onHand({ url: first.url }, admin, 'TRUCK-1', productNumber(1001));
      const push = await pushNew({ url: first.url }, tech1, 'inventoryTransactions', [adjustment({ warehouseId: warehouseId('TRUCK-1'), productId: productId(1001), quantity: 7 })]);
      expect(push.status).toBe(200);
      expect(await onHand({ url: first.url }, admin, 'TRUCK-1', productNumber(1001))).toBe(before + 7);
      const moved = await snapshot(first.url, admin);

      const stream = await openStream({ url: first.url }, tech1, 'inventory');
      expect(stream.response.status).toBe(200);
      expect(await stream.next()).toEqual({ kind: 'data', data: 'RESYNC' });

      const exit = await stopBackend(first);
      expect(exit, first.output()).toEqual({ code: 0, signal: null });
      // The stream was ended by the server, not left hanging.
      expect(await stream.next(5_000)).toEqual({ kind: 'end' });
      stream.close();
      await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();

      const second = await startBackend(env);
      started.push(second);
      expect(second.output()).not.toMatch(/password:/i);
      const admin2 = await login(second.url, 'admin', ADMIN_PASSWORD);
      expect(await snapshot(second.url, admin2)).toEqual(moved);
      expect(await onHand({ url: second.url }, admin2, 'TRUCK-1', productNumber(1001))).toBe(before + 7);
      // The demo users were not created twice and still sign in.
      await login(second.url, 'tech1', DEMO_PASSWORD);
      await login(second.url, 'integration1', DEMO_PASSWORD);

      expect(await stopBackend(second)).toEqual({ code: 0, signal: null });
    });
  });
}

describeEngine('sqlite', 'graceful close', () => {
  it('finishes a request that is in flight when the server is told to stop, and keeps what it wrote', async () => {
    let entered: () => void = () => undefined;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let hold = false;
    // beforeCommit runs inside the push's database transaction: holding it keeps the request in flight.
    const server = await startTestServer({
      hooks: {
        beforeCommit: async () => {
          if (!hold) return;
          entered();
          await gate;
        },
      },
    });
    try {
      const token = await server.token('tech1');
      const before = await onHand(server, await server.token('admin'), 'TRUCK-1', productNumber(1003));
      const tx = adjustment({ warehouseId: warehouseId('TRUCK-1'), productId: productId(1003), quantity: 4 });
      hold = true;
      const pending = pushNew(server, token, 'inventoryTransactions', [tx]);
      await inFlight;

      // What main.ts does on SIGTERM.
      const closing = server.fieldstock.close();
      // Wait until the server is really stopping (it no longer serves new requests) before letting the push finish.
      for (let attempt = 0; ; attempt += 1) {
        const status = await fetch(`${server.url}/healthz`).then(
          (r) => r.status,
          () => 0,
        );
        if (status !== 200) break;
        if (attempt > 200) throw new Error('the server kept serving new requests after close()');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      release();
      const response = await pending;
      expect(response.status).toBe(200);
      await closing;
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();

      // The drained request committed: a new instance on the same data has it.
      const reopened = await startTestServer({ demo: false, reuse: { databaseUrl: undefined, dataDir: server.dataDir } });
      try {
        const admin = await reopened.token('admin');
        expect(await pulledDoc(reopened, admin, 'inventoryTransactions', tx.id)).toMatchObject({ status: 'posted' });
        expect(await onHand(reopened, admin, 'TRUCK-1', productNumber(1003))).toBe(before + 4);
      } finally {
        await reopened.close();
      }
    } finally {
      release();
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });
});

describeEngine('sqlite', 'admin bootstrap', () => {
  let dir: TempDir;
  const started: Backend[] = [];
  beforeAll(() => {
    dir = tempDir('bootstrap');
  });
  afterAll(() => {
    for (const b of started) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
    dir?.cleanup();
  });

  it('prints a generated admin password once when FIELDSTOCK_ADMIN_PASSWORD is not set, and it signs in', async () => {
    const env = { FIELDSTOCK_DATA_DIR: dir.path, FIELDSTOCK_LOG_LEVEL: 'warn', FIELDSTOCK_ADMIN_PASSWORD: '' };
    const first = await startBackend(env, []);
    started.push(first);
    const printed = /password: (\S+)/.exec(first.output());
    expect(printed, first.output()).not.toBeNull();
    const password = printed?.[1] ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    await login(first.url, 'admin', password);
    // Without --demo there is no demo data.
    expect((await api({ url: first.url }, undefined, 'POST', '/api/v1/auth/login', { username: 'tech1', password: DEMO_PASSWORD })).status).toBe(401);
    expect(await stopBackend(first)).toEqual({ code: 0, signal: null });

    const second = await startBackend(env, []);
    started.push(second);
    expect(second.output()).not.toContain(password);
    await login(second.url, 'admin', password);
    expect(await stopBackend(second)).toEqual({ code: 0, signal: null });
  });
});
