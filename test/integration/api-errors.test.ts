// Error contract (API.md "Errors") and the operational endpoints: every 4xx is
// { code, message }, bad input is refused rather than repaired, bodies over the
// limit are 413, 5xx reveal no internals; /healthz, /readyz and /metrics answer.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pgAdminUrl } from '../helpers/postgres.js';
import { api, adjustment, startTestServer, type TestServer } from '../helpers/server.js';
import { ENGINES, describeEngine, expectErrorBody, onHand, productId, pulledDoc, warehouseId } from './api-support.js';

/** A push body of exactly `bytes` bytes: one valid row, padded with JSON whitespace. */
function pushBodyOfSize(bytes: number): string {
  const row = JSON.stringify([{ newDocumentState: adjustment({ warehouseId: warehouseId('TRUCK-1'), productId: productId(1001), quantity: 1 }) }]);
  return `${row.slice(0, -1)}${' '.repeat(Math.max(0, bytes - row.length))}]`;
}

async function rawPost(server: Pick<TestServer, 'url'>, path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the assertion on the body will say so
  }
  return { status: response.status, body: parsed, text };
}

describeEngine('sqlite', 'error contract', () => {
  let server: TestServer;
  let failCommits = false;
  beforeAll(async () => {
    server = await startTestServer({
      hooks: {
        beforeCommit: async () => {
          if (failCommits) throw new Error('SECRET-INTERNAL-DETAIL: relation "docs" in /srv/fieldstock/server/store/write.ts');
        },
      },
    });
  });
  afterAll(() => server?.close());

  it('answers unknown routes and methods with 404 { code, message }', async () => {
    const token = await server.token('tech1');
    for (const [method, path] of [
      ['GET', '/api/v1/no-such-route'],
      ['GET', '/'],
      ['POST', '/api/v2/auth/login'],
      ['DELETE', '/api/v1/replication/products/pull'],
    ] as const) {
      const r = await api(server, token, method, path);
      expect(r.status, `${method} ${path}`).toBe(404);
      expectErrorBody(r.body);
    }
  });

  it('answers malformed JSON with 400 malformed-json', async () => {
    const login = await rawPost(server, '/api/v1/auth/login', '{"username": "tech1", "password": ', { 'content-type': 'application/json' });
    expect(login.status).toBe(400);
    expectErrorBody(login.body, 'malformed-json');

    const token = await server.token('tech1');
    const push = await rawPost(server, '/api/v1/replication/inventoryTransactions/push', '[{"newDocumentState": {]', {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
    });
    expect(push.status).toBe(400);
    expectErrorBody(push.body, 'malformed-json');
  });

  it('refuses rather than repairs bad request bodies: unknown properties and wrong types are 400', async () => {
    const extra = await api(server, undefined, 'POST', '/api/v1/auth/login', { username: 'tech1', password: 'fieldstock-demo', remember: true });
    expect(extra.status).toBe(400);
    expectErrorBody(extra.body);
    expect((extra.body as { message: string }).message).toContain('remember');

    // A number is not silently coerced into the string "5".
    const wrongType = await api(server, undefined, 'POST', '/api/v1/auth/login', { username: 5, password: 'fieldstock-demo' });
    expect(wrongType.status).toBe(400);
    expectErrorBody(wrongType.body);

    const missing = await api(server, undefined, 'POST', '/api/v1/auth/login', { username: 'tech1' });
    expect(missing.status).toBe(400);
    expectErrorBody(missing.body);

    const notAnObject = await api(server, undefined, 'POST', '/api/v1/auth/login', ['tech1', 'fieldstock-demo']);
    expect(notAnObject.status).toBe(400);
    expectErrorBody(notAnObject.body);

    const token = await server.token('tech1');
    const pushNotArray = await api(server, token, 'POST', '/api/v1/replication/inventoryTransactions/push', { newDocumentState: {} });
    expect(pushNotArray.status).toBe(400);
    expectErrorBody(pushNotArray.body);
    const pushExtraRowField = await api(server, token, 'POST', '/api/v1/replication/inventoryTransactions/push', [
      { newDocumentState: adjustment({ warehouseId: warehouseId('TRUCK-1'), productId: productId(1001), quantity: 1 }), force: true },
    ]);
    expect(pushExtraRowField.status).toBe(400);
    expectErrorBody(pushExtraRowField.body);

    const onhandExtraQuery = await api(server, token, 'GET', '/api/v1/inventory/onhand?warehouse=TRUCK-1');
    expect(onhandExtraQuery.status).toBe(400);
    expectErrorBody(onhandExtraQuery.body);
  });

  it('answers a body that is not JSON with a 4xx { code, message }', async () => {
    const r = await rawPost(server, '/api/v1/auth/login', 'username=tech1&password=fieldstock-demo', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expectErrorBody(r.body);
  });

  it('answers a body over 1 MiB with 413 and accepts one just under it', async () => {
    const token = await server.token('tech1');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const tooLarge = await rawPost(server, '/api/v1/replication/inventoryTransactions/push', pushBodyOfSize(1024 * 1024 + 1), headers);
    expect(tooLarge.status).toBe(413);
    expectErrorBody(tooLarge.body);

    const fits = pushBodyOfSize(1024 * 1024 - 16);
    expect(Buffer.byteLength(fits)).toBeLessThan(1024 * 1024);
    const accepted = await rawPost(server, '/api/v1/replication/inventoryTransactions/push', fits, headers);
    expect(accepted.status).toBe(200);
  });

  it('reveals no internals in a 5xx body, and a failed write leaves nothing behind', async () => {
    const token = await server.token('tech1');
    const admin = await server.token('admin');
    const before = await onHand(server, admin, 'TRUCK-1', 'P-1002');
    const failed = adjustment({ warehouseId: warehouseId('TRUCK-1'), productId: productId(1002), quantity: 1 });
    failCommits = true;
    try {
      const r = await api(server, token, 'POST', '/api/v1/replication/inventoryTransactions/push', [{ newDocumentState: failed }]);
      expect(r.status).toBeGreaterThanOrEqual(500);
      const text = JSON.stringify(r.body);
      expect(text).not.toContain('SECRET-INTERNAL-DETAIL');
      expect(text).not.toContain('write.ts');
      expect(text).not.toMatch(/\bat .*:\d+:\d+/); // no stack frames
      expect(text).not.toContain('stack');
    } finally {
      failCommits = false;
    }
    expect(await pulledDoc(server, token, 'inventoryTransactions', failed.id)).toBeUndefined();
    expect(await onHand(server, admin, 'TRUCK-1', 'P-1002')).toBe(before);

    // The server carries on, and the client's retry of the same document posts it once.
    const retry = await api(server, token, 'POST', '/api/v1/replication/inventoryTransactions/push', [{ newDocumentState: failed }]);
    expect(retry.status).toBe(200);
    expect(await pulledDoc(server, token, 'inventoryTransactions', failed.id)).toMatchObject({ status: 'posted' });
    expect(await onHand(server, admin, 'TRUCK-1', 'P-1002')).toBe(before + 1);
  });

  it('serves /healthz, /readyz and Prometheus /metrics with fieldstock_ metrics', async () => {
    const health = await api(server, undefined, 'GET', '/healthz');
    expect(health.status).toBe(200);
    const ready = await api(server, undefined, 'GET', '/readyz');
    expect(ready.status).toBe(200);

    // Some traffic so the request metrics have samples.
    await api(server, await server.token('tech1'), 'GET', '/api/v1/replication/products/pull?limit=5');
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^# HELP fieldstock_\w+ /m);
    expect(text).toMatch(/^# TYPE fieldstock_\w+ (counter|gauge|histogram|summary)$/m);
    // Every sample line is `name{labels} value`.
    const samples = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(samples.length).toBeGreaterThan(0);
    for (const line of samples) expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? ([-+0-9.eE]+|NaN|[+-]Inf)( \d+)?$/);
    expect(samples.some((l) => l.startsWith('fieldstock_'))).toBe(true);
  });
});

describeEngine('sqlite', 'configurable body limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demo: false, config: { bodyLimitBytes: 4096 } });
  });
  afterAll(() => server?.close());

  it('answers 413 above config.bodyLimitBytes and accepts bodies under it', async () => {
    const small = await api(server, undefined, 'POST', '/api/v1/auth/login', { username: 'admin', password: 'x'.repeat(400) });
    expect(small.status).toBe(401);

    const big = await api(server, undefined, 'POST', '/api/v1/auth/login', { username: 'admin', password: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expectErrorBody(big.body);
  });
});

for (const engine of ENGINES) {
  describeEngine(engine, 'readiness', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ engine, demo: false });
    });
    afterAll(() => server?.close());

    it('answers /healthz and /readyz 200 while the store is reachable', async () => {
      expect((await api(server, undefined, 'GET', '/healthz')).status).toBe(200);
      const ready = await api<Record<string, unknown>>(server, undefined, 'GET', '/readyz');
      expect(ready.status).toBe(200);
    });

    if (engine === 'postgres') {
      it('answers /readyz 503 { code, message } once the database is gone, while /healthz stays 200', async () => {
        const name = new URL(server.databaseUrl ?? '').pathname.slice(1);
        const admin = new pg.Client({ connectionString: pgAdminUrl() });
        await admin.connect();
        try {
          await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
        } finally {
          await admin.end();
        }
        const r = await api(server, undefined, 'GET', '/readyz');
        expect(r.status).toBe(503);
        expectErrorBody(r.body);
        expect(JSON.stringify(r.body)).not.toContain(name);
        expect((await api(server, undefined, 'GET', '/healthz')).status).toBe(200);
      });
    }
  });
}
