// Auth contract (API.md "Auth"): login, refresh rotation, logout, bearer checks,
// login throttling and admin user creation, as an outside client sees them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import type { LoginResponse, TokenPair } from '../../shared/wire.js';
import { ADMIN_PASSWORD, DEMO_PASSWORD, api, startTestServer, type TestServer } from '../helpers/server.js';
import { ENGINES, describeEngine, expectErrorBody, warehouseId } from './api-support.js';

const login = (server: TestServer, username: string, password: string) =>
  api<LoginResponse>(server, undefined, 'POST', '/api/v1/auth/login', { username, password });

for (const engine of ENGINES) {
  describeEngine(engine, 'auth contract', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ engine });
    });
    afterAll(() => server?.close());

    it('returns a token pair and the user with its warehouse scope on login', async () => {
      const r = await login(server, 'tech1', DEMO_PASSWORD);
      expect(r.status).toBe(200);
      expect(r.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: expect.any(Number),
        user: { id: expect.any(String), username: 'tech1', role: 'technician', warehouseIds: [warehouseId('TRUCK-1')] },
      });
      expect(r.body.expiresIn).toBeGreaterThan(0);
      expect(r.body.accessToken).not.toBe(r.body.refreshToken);

      const me = await api(server, r.body.accessToken, 'GET', '/api/v1/auth/me');
      expect(me.status).toBe(200);
      expect(me.body).toEqual(r.body.user);
    });

    it('answers 401 invalid-credentials for a wrong password or an unknown user', async () => {
      const wrong = await login(server, 'tech2', 'not-the-password');
      expect(wrong.status).toBe(401);
      expectErrorBody(wrong.body, 'invalid-credentials');
      expect(JSON.stringify(wrong.body)).not.toContain('accessToken');

      const unknown = await login(server, 'nobody-here', DEMO_PASSWORD);
      expect(unknown.status).toBe(401);
      expectErrorBody(unknown.body, 'invalid-credentials');
    });

    it('answers 401 without a bearer token, with a garbage one, and with a refresh token used as access token', async () => {
      const pair = await login(server, 'tech3', DEMO_PASSWORD);
      for (const token of [undefined, 'garbage', 'x'.repeat(43), pair.body.refreshToken]) {
        for (const path of ['/api/v1/auth/me', '/api/v1/replication/products/pull', '/api/v1/inventory/onhand']) {
          const r = await api(server, token, 'GET', path);
          expect(r.status, `${path} with ${token === undefined ? 'no token' : 'a bad token'}`).toBe(401);
          expectErrorBody(r.body);
        }
      }
      const malformedHeader = await fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Basic ${pair.body.accessToken}` } });
      expect(malformedHeader.status).toBe(401);
    });

    it('rotates tokens on refresh: a refresh token works once, and reusing it revokes the session', async () => {
      const first = await login(server, 'clerk1', DEMO_PASSWORD);
      expect(first.status).toBe(200);

      const second = await api<TokenPair>(server, undefined, 'POST', '/api/v1/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: expect.any(Number) });
      expect(second.body.accessToken).not.toBe(first.body.accessToken);
      expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
      expect((await api(server, second.body.accessToken, 'GET', '/api/v1/auth/me')).status).toBe(200);

      // The old refresh token was used: presenting it again fails and ends the session (token theft).
      const reused = await api(server, undefined, 'POST', '/api/v1/auth/refresh', { refreshToken: first.body.refreshToken });
      expect(reused.status).toBe(401);
      expectErrorBody(reused.body);

      const afterRevoke = await api(server, second.body.accessToken, 'GET', '/api/v1/auth/me');
      expect(afterRevoke.status).toBe(401);
      const newestRefresh = await api(server, undefined, 'POST', '/api/v1/auth/refresh', { refreshToken: second.body.refreshToken });
      expect(newestRefresh.status).toBe(401);

      const unknown = await api(server, undefined, 'POST', '/api/v1/auth/refresh', { refreshToken: 'never-issued' });
      expect(unknown.status).toBe(401);
      expectErrorBody(unknown.body);
    });

    it('revokes the session on logout: the access and refresh tokens stop working', async () => {
      const session = await login(server, 'tech2', DEMO_PASSWORD);
      const other = await login(server, 'tech2', DEMO_PASSWORD);
      expect((await api(server, session.body.accessToken, 'GET', '/api/v1/auth/me')).status).toBe(200);

      const out = await api(server, session.body.accessToken, 'POST', '/api/v1/auth/logout');
      expect(out.status).toBeLessThan(300);

      const me = await api(server, session.body.accessToken, 'GET', '/api/v1/auth/me');
      expect(me.status).toBe(401);
      expectErrorBody(me.body);
      expect((await api(server, undefined, 'POST', '/api/v1/auth/refresh', { refreshToken: session.body.refreshToken })).status).toBe(401);
      // Only that session ended: the same user's other session goes on.
      expect((await api(server, other.body.accessToken, 'GET', '/api/v1/auth/me')).status).toBe(200);

      const withoutToken = await api(server, undefined, 'POST', '/api/v1/auth/logout');
      expect(withoutToken.status).toBe(401);
    });

    it('lets an admin create a user who can then sign in with those warehouses, and refuses duplicates, non-admins and unknown warehouses', async () => {
      const admin = await server.token('admin');
      const created = await api<{ id: string }>(server, admin, 'POST', '/api/v1/admin/users', {
        username: `tech-new-${engine}`,
        password: 'a-long-password',
        role: 'technician',
        warehouseCodes: ['TRUCK-2', 'WH-NORTH'],
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.any(String) });

      const signedIn = await login(server, `tech-new-${engine}`, 'a-long-password');
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.user.id).toBe(created.body.id);
      expect(signedIn.body.user.role).toBe('technician');
      expect([...signedIn.body.user.warehouseIds].sort()).toEqual([warehouseId('TRUCK-2'), warehouseId('WH-NORTH')].sort());

      const duplicate = await api(server, admin, 'POST', '/api/v1/admin/users', {
        username: `tech-new-${engine}`,
        password: 'another-password',
        role: 'warehouse',
        warehouseCodes: [],
      });
      expect(duplicate.status).toBe(409);
      expectErrorBody(duplicate.body);
      // The first user's password still works: the duplicate changed nothing.
      expect((await login(server, `tech-new-${engine}`, 'a-long-password')).status).toBe(200);

      for (const who of ['tech1', 'clerk1', 'integration1']) {
        const forbidden = await api(server, await server.token(who), 'POST', '/api/v1/admin/users', {
          username: `sneaky-${who}`,
          password: 'a-long-password',
          role: 'admin',
          warehouseCodes: [],
        });
        expect(forbidden.status, who).toBe(403);
        expectErrorBody(forbidden.body);
        expect((await login(server, `sneaky-${who}`, 'a-long-password')).status).toBe(401);
      }

      const unknownWarehouse = await api(server, admin, 'POST', '/api/v1/admin/users', {
        username: `tech-ghost-${engine}`,
        password: 'a-long-password',
        role: 'technician',
        warehouseCodes: ['TRUCK-1', 'TRUCK-99'],
      });
      expect(unknownWarehouse.status).toBe(400);
      expectErrorBody(unknownWarehouse.body);
      expect((unknownWarehouse.body as { message: string }).message).toContain('TRUCK-99');
      expect((await login(server, `tech-ghost-${engine}`, 'a-long-password')).status).toBe(401);

      const noToken = await api(server, undefined, 'POST', '/api/v1/admin/users', {
        username: 'anonymous-user',
        password: 'a-long-password',
        role: 'admin',
        warehouseCodes: [],
      });
      expect(noToken.status).toBe(401);
    });

    it('gives an admin every warehouse as scope', async () => {
      const r = await login(server, 'admin', ADMIN_PASSWORD);
      expect(r.status).toBe(200);
      expect(r.body.user.role).toBe('admin');
      for (const code of ['WH-MAIN', 'WH-NORTH', 'TRUCK-1', 'TRUCK-2', 'TRUCK-3']) expect(r.body.user.warehouseIds).toContain(warehouseId(code));
    });
  });
}

describeEngine('sqlite', 'login throttling', () => {
  let server: TestServer;
  const maxFailures = 2;
  beforeAll(async () => {
    const base = loadConfig({});
    server = await startTestServer({
      config: { auth: { ...base.auth, throttle: { ...base.auth.throttle, maxFailures } } },
    });
  });
  afterAll(() => server?.close());

  it('throttles repeated failures with 429 and Retry-After, even for the right password, without touching other users', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < maxFailures + 2; i += 1) statuses.push((await login(server, 'tech1', `wrong-${i}`)).status);
    // Failures count up to the limit, then the user is locked.
    expect(statuses.slice(0, maxFailures)).toEqual(Array.from({ length: maxFailures }, () => 401));
    expect(statuses).toContain(429);

    const locked = await login(server, 'tech1', DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expectErrorBody(locked.body, 'too-many-requests');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(JSON.stringify(locked.body)).not.toContain('accessToken');

    // Another user signing in from the same address is not locked out by tech1's failures.
    expect((await login(server, 'tech2', DEMO_PASSWORD)).status).toBe(200);
  });
});
