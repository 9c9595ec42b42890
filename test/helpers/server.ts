import type { Fieldstock } from '../../server/app.js';
import type { Config } from '../../server/config.js';
import { demoId } from '../../server/demo/data.js';
import type { ExtraCollection } from '../../server/replication/registry.js';
import type { WriteHooks } from '../../server/store/write.js';
import type { LoginResponse } from '../../shared/wire.js';
import { bootServer } from './boot.js';
import { createTestDatabase } from './postgres.js';
import { tempDir } from './tmp.js';

export const ADMIN_PASSWORD = 'admin-test-password';
export const DEMO_PASSWORD = 'fieldstock-demo';
export type Engine = 'sqlite' | 'postgres';

export interface TestServer {
  url: string;
  fieldstock: Fieldstock;
  engine: Engine;
  /** The store location, to start a second instance on the same data. */
  databaseUrl: string | undefined;
  dataDir: string;
  login(username: string, password?: string): Promise<LoginResponse>;
  /** Bearer token for a user (cached per user name). */
  token(username: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  engine?: Engine;
  demo?: boolean;
  extraCollections?: ExtraCollection[];
  hooks?: WriteHooks;
  config?: Partial<Config>;
  /** Reuse an existing store (a second instance). */
  reuse?: { databaseUrl: string | undefined; dataDir: string };
}

/** Boots the real app on a free port against a fresh SQLite folder or PostgreSQL database. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const engine = options.engine ?? 'sqlite';
  const dir = options.reuse ? undefined : tempDir('fieldstock-test');
  const pg = !options.reuse && engine === 'postgres' ? await createTestDatabase() : undefined;
  const dataDir = options.reuse?.dataDir ?? dir?.path ?? '';
  const databaseUrl = options.reuse ? options.reuse.databaseUrl : pg?.url;
  const booted = await bootServer({
    dataDir,
    databaseUrl,
    adminPassword: ADMIN_PASSWORD,
    demo: options.demo !== false,
    extraCollections: options.extraCollections,
    hooks: options.hooks,
    config: options.config,
  });
  const tokens = new Map<string, string>();
  const login = (username: string, password?: string) =>
    booted.login(username, password ?? (username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD));

  return {
    url: booted.url,
    fieldstock: booted.fieldstock,
    engine,
    databaseUrl,
    dataDir,
    login,
    async token(username) {
      let t = tokens.get(username);
      if (!t) {
        t = (await login(username)).accessToken;
        tokens.set(username, t);
      }
      return t;
    },
    async close() {
      await booted.fieldstock.close();
      await pg?.drop();
      dir?.cleanup();
    },
  };
}

/** Ids of the demo data, as the seed makes them. */
export const demo = {
  warehouse: (code: string) => demoId(code),
  product: (number: string) => demoId(number),
  purchaseOrder: (number: string) => demoId(number),
};

/** fetch with a bearer token and JSON body; returns status and parsed body. */
export async function api<T = unknown>(
  server: Pick<TestServer, 'url'>,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep text
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** A new pending adjustment document, as a client would push it. */
export function adjustment(fields: { id?: string; warehouseId: string; productId: string; quantity: number; occurredAt?: string; type?: string; toWarehouseId?: string }) {
  return {
    id: fields.id ?? crypto.randomUUID(),
    type: fields.type ?? 'adjustment',
    warehouseId: fields.warehouseId,
    ...(fields.toWarehouseId ? { toWarehouseId: fields.toWarehouseId } : {}),
    productId: fields.productId,
    quantity: fields.quantity,
    occurredAt: fields.occurredAt ?? new Date().toISOString(),
    status: 'pending',
    _deleted: false,
  };
}

/** Pushes new documents (no assumed master state). */
export function pushNew(server: Pick<TestServer, 'url'>, token: string, collection: string, docs: unknown[]) {
  return api<unknown[]>(server, token, 'POST', `/api/v1/replication/${collection}/push`, docs.map((d) => ({ newDocumentState: d })));
}

/** Pulls every page of a collection from the start. */
export async function pullAll<D = Record<string, unknown>>(server: Pick<TestServer, 'url'>, token: string, collection: string, limit = 1000): Promise<D[]> {
  const docs: D[] = [];
  let checkpoint: unknown = null;
  for (;;) {
    const qs = new URLSearchParams({ limit: String(limit) });
    if (checkpoint) qs.set('checkpoint', JSON.stringify(checkpoint));
    const r = await api<{ documents: D[]; checkpoint: unknown }>(server, token, 'GET', `/api/v1/replication/${collection}/pull?${qs.toString()}`);
    if (r.status !== 200) throw new Error(`pull ${collection}: ${r.status} ${JSON.stringify(r.body)}`);
    docs.push(...r.body.documents);
    checkpoint = r.body.checkpoint;
    if (r.body.documents.length < limit) return docs;
  }
}
