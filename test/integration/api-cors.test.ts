import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('cross-origin calls', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demo: false, config: { corsOrigins: ['app://fieldstock', 'https://stock.example.com'] } });
  });
  afterAll(() => server.close());

  const preflight = (origin: string) =>
    fetch(`${server.url}/api/v1/replication/products/pull`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });

  it("lets the desktop app's origin call the API with a bearer token", async () => {
    const response = await preflight('app://fieldstock');
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe('app://fieldstock');
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });

  it('allows configured origins and no others', async () => {
    expect((await preflight('https://stock.example.com')).headers.get('access-control-allow-origin')).toBe('https://stock.example.com');
    expect((await preflight('https://evil.example.net')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends the CORS headers on the event stream too', async () => {
    const token = await server.token('admin');
    const abort = new AbortController();
    const response = await fetch(`${server.url}/api/v1/replication/products/stream`, {
      headers: { authorization: `Bearer ${token}`, origin: 'app://fieldstock' },
      signal: abort.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('access-control-allow-origin')).toBe('app://fieldstock');
    abort.abort();
  });
});
