/**
 * The real backend for a test (a child process with --demo on a private SQLite
 * folder and a free port, see test/helpers/server-process.ts) and a small HTTP
 * client to check what the backend recorded.
 */
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { InventoryTransaction, Journal } from '../../../shared/collections.js';
import type { LoginResponse, OnHandRow, PullResponse, ReplicationCheckpoint, Role, UserSummary } from '../../../shared/wire.js';
import { ROOT } from './renderer-build.js';

// Not imported from test/helpers/server.ts (nor server-process.ts, which imports it): that module needs Vitest's runtime.
export const ADMIN_PASSWORD = 'admin-e2e-password';
export const DEMO_PASSWORD = 'fieldstock-demo';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Backend {
  url: string;
  /** The last lines the process printed, for failure reports. */
  output(): string;
  /** SIGTERM (graceful drain), SIGKILL after 15 s; resolves when the process is gone. */
  stop(): Promise<void>;
}

/**
 * `node --import tsx server/main.ts --demo` (node itself, not an npm wrapper, so the
 * signals reach the server), configured only by the variables below and `extraEnv`
 * (e.g. FIELDSTOCK_ERP and FIELDSTOCK_TRYTON_* for a test against a real ERP).
 */
export async function startBackend(dataDir: string, extraEnv: Readonly<Record<string, string>> = {}): Promise<Backend> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('FIELDSTOCK_') && k !== 'DATABASE_URL' && k !== 'NODE_OPTIONS') env[k] = v;
  }
  Object.assign(env, {
    FIELDSTOCK_DATA_DIR: dataDir,
    FIELDSTOCK_HOST: '127.0.0.1',
    FIELDSTOCK_PORT: String(port),
    FIELDSTOCK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FIELDSTOCK_LOG_LEVEL: 'warn',
    ...extraEnv,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--demo'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 300) lines.splice(0, lines.length - 300);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let alive = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      alive = false;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!alive) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (!alive) throw new Error(`the backend exited while starting:\n${lines.join('\n')}`);
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the backend did not answer ${url}/healthz in time:\n${lines.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, output: () => lines.join('\n'), stop };
}

export class BackendClient {
  private constructor(
    readonly baseUrl: string,
    private readonly accessToken: string,
  ) {}

  static async signIn(baseUrl: string, username: string, password: string): Promise<BackendClient> {
    const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!response.ok) throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as LoginResponse;
    return new BackendClient(baseUrl, body.accessToken);
  }

  private async request<T>(method: 'GET' | 'POST' | 'PATCH', route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers: { authorization: `Bearer ${this.accessToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async createUser(user: { username: string; password: string; role: Role; warehouseCodes: string[] }): Promise<string> {
    return (await this.request<{ id: string }>('POST', '/api/v1/admin/users', user)).id;
  }

  /**
   * Changes a user's warehouses through the admin API, as an admin would. The backend
   * applies it to the user's next request at once; a device signed in keeps the profile
   * it got at sign-in (so its forms still offer the old warehouses) until it signs in again.
   */
  async setUserWarehouses(username: string, warehouseCodes: string[]): Promise<UserSummary> {
    return this.request<UserSummary>('PATCH', `/api/v1/admin/users/${encodeURIComponent(username)}`, { warehouseCodes });
  }

  /** On hand by product number in one warehouse (products without a level are absent). */
  async onHand(warehouseCode: string): Promise<Map<string, number>> {
    const rows = await this.request<OnHandRow[]>('GET', `/api/v1/inventory/onhand?warehouseCode=${encodeURIComponent(warehouseCode)}`);
    return new Map(rows.map((r) => [r.productNumber, r.onHand]));
  }

  /** Every document of a collection this user may read, through the replication pull. */
  async pullAll<D>(collection: string): Promise<D[]> {
    const documents: D[] = [];
    let checkpoint: ReplicationCheckpoint | null = null;
    for (;;) {
      const params = new URLSearchParams({ limit: '1000' });
      if (checkpoint) params.set('checkpoint', JSON.stringify(checkpoint));
      const page: PullResponse<D> = await this.request<PullResponse<D>>('GET', `/api/v1/replication/${collection}/pull?${params.toString()}`);
      documents.push(...page.documents);
      if (page.documents.length === 0 || !page.checkpoint) return documents;
      checkpoint = page.checkpoint;
    }
  }

  transactions(): Promise<InventoryTransaction[]> {
    return this.pullAll<InventoryTransaction>('inventoryTransactions');
  }

  journals(): Promise<Journal[]> {
    return this.pullAll<Journal>('journals');
  }
}
