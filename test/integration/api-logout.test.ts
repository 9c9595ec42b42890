import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('logout', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const me = (token: string) => fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });

  it('accepts an empty body sent with Content-Type: application/json', async () => {
    const session = await server.login('tech1');
    const out = await fetch(`${server.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' },
    });
    expect(out.status).toBe(204);
    expect((await me(session.accessToken)).status).toBe(401);
  });

  it('ends the session with the refresh token alone, for a client whose access token expired', async () => {
    const session = await server.login('tech1');
    const out = await fetch(`${server.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    expect(out.status).toBe(204);
    expect((await me(session.accessToken)).status).toBe(401);
    const refresh = await fetch(`${server.url}/api/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    expect(refresh.status).toBe(401);
  });

  it('refuses an unknown refresh token and unknown body properties', async () => {
    const bad = await fetch(`${server.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: 'not-a-token' }),
    });
    expect(bad.status).toBe(401);
    const extra = await fetch(`${server.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: 'x', admin: true }),
    });
    expect(extra.status).toBe(400);
    expect(((await extra.json()) as { code: string }).code).toBe('invalid-request');
  });
});
