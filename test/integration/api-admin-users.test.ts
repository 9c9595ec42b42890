// Administering users (docs/api.md "Users"): list, change role, warehouses or
// password, disable; an admin never locks themselves out; disabling or a new
// password ends every session of the user.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LoginResponse, Role, UserSummary } from '../../shared/wire.js';
import { DEMO_PASSWORD, api, startTestServer, type TestServer } from '../helpers/server.js';
import { ENGINES, describeEngine, expectErrorBody, warehouseId } from './api-support.js';

const PASSWORD = 'a-long-password';

for (const engine of ENGINES) {
  describeEngine(engine, 'admin users', () => {
    let server: TestServer;
    let admin: string;
    let serial = 0;

    beforeAll(async () => {
      server = await startTestServer({ engine });
      admin = await server.token('admin');
    });
    afterAll(() => server?.close());

    /** A new user of this test only (tests never change the demo users other tests rely on). */
    async function newUser(role: Role, warehouseCodes: string[]): Promise<string> {
      serial += 1;
      const username = `user-${serial}-${role}`;
      const r = await api(server, admin, 'POST', '/api/v1/admin/users', { username, password: PASSWORD, role, warehouseCodes });
      expect(r.status).toBe(201);
      return username;
    }

    const patch = (token: string | undefined, username: string, body?: unknown) =>
      api<UserSummary>(server, token, 'PATCH', `/api/v1/admin/users/${encodeURIComponent(username)}`, body);
    const login = (username: string, password = PASSWORD) => api<LoginResponse>(server, undefined, 'POST', '/api/v1/auth/login', { username, password });
    const me = (token: string) => api(server, token, 'GET', '/api/v1/auth/me');
    const refresh = (refreshToken: string) => api(server, undefined, 'POST', '/api/v1/auth/refresh', { refreshToken });
    const listed = async (username: string) => (await api<UserSummary[]>(server, admin, 'GET', '/api/v1/admin/users')).body.find((u) => u.username === username);

    it('lists every user ordered by user name, with warehouse codes and never a password', async () => {
      const r = await api<UserSummary[]>(server, admin, 'GET', '/api/v1/admin/users');
      expect(r.status).toBe(200);
      const names = r.body.map((u) => u.username);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      for (const name of ['admin', 'clerk1', 'integration1', 'tech1', 'tech2', 'tech3']) expect(names).toContain(name);
      for (const user of r.body) expect(Object.keys(user).sort()).toEqual(['disabled', 'id', 'role', 'username', 'warehouseCodes']);
      expect(r.body.find((u) => u.username === 'clerk1')).toEqual({ id: expect.any(String), username: 'clerk1', role: 'warehouse', warehouseCodes: ['WH-MAIN', 'WH-NORTH'], disabled: false });
      expect(r.body.find((u) => u.username === 'tech1')).toMatchObject({ role: 'technician', warehouseCodes: ['TRUCK-1'], disabled: false });
      expect(JSON.stringify(r.body)).not.toMatch(/scrypt|password/i);

      for (const who of ['tech1', 'clerk1', 'integration1']) {
        const forbidden = await api(server, await server.token(who), 'GET', '/api/v1/admin/users');
        expect(forbidden.status, who).toBe(403);
        expectErrorBody(forbidden.body, 'forbidden');
      }
      expect((await api(server, undefined, 'GET', '/api/v1/admin/users')).status).toBe(401);
    });

    it("changes a user's role and warehouses, which the next request already sees", async () => {
      const username = await newUser('technician', ['TRUCK-1']);
      const session = await login(username);
      expect(session.status).toBe(200);

      const r = await patch(admin, username, { role: 'warehouse', warehouseCodes: ['WH-NORTH', 'TRUCK-3', 'WH-NORTH'] });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ id: session.body.user.id, username, role: 'warehouse', warehouseCodes: ['TRUCK-3', 'WH-NORTH'], disabled: false });
      expect(await listed(username)).toEqual(r.body);

      // The session goes on, with the new role and scope.
      const now = await me(session.body.accessToken);
      expect(now.status).toBe(200);
      expect(now.body).toMatchObject({ role: 'warehouse' });
      expect([...(now.body as { warehouseIds: string[] }).warehouseIds].sort()).toEqual([warehouseId('TRUCK-3'), warehouseId('WH-NORTH')].sort());

      const emptied = await patch(admin, username, { warehouseCodes: [] });
      expect(emptied.status).toBe(200);
      expect(emptied.body).toMatchObject({ role: 'warehouse', warehouseCodes: [] });
    });

    it('refuses bad requests with { code, message } and changes nothing', async () => {
      const username = await newUser('technician', ['TRUCK-1']);
      const before = await listed(username);
      const cases: [unknown, string][] = [
        [{}, 'invalid-request'],
        [undefined, 'invalid-request'],
        [{ role: 'boss' }, 'invalid-request'],
        [{ warehouseCodes: 'TRUCK-2' }, 'invalid-request'],
        [{ disabled: 'yes' }, 'invalid-request'],
        [{ password: 'short' }, 'invalid-request'],
        [{ username: 'renamed' }, 'invalid-request'],
        [{ role: 'technician', isAdmin: true }, 'invalid-request'],
        ['{"role":', 'malformed-json'],
      ];
      for (const [body, code] of cases) {
        const r = await patch(admin, username, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expectErrorBody(r.body, code);
      }

      const unknown = await patch(admin, username, { role: 'warehouse', warehouseCodes: ['TRUCK-2', 'TRUCK-98', 'NOWHERE'] });
      expect(unknown.status).toBe(400);
      expectErrorBody(unknown.body, 'unknown-warehouse');
      expect((unknown.body as unknown as { message: string }).message).toContain('TRUCK-98');
      expect((unknown.body as unknown as { message: string }).message).toContain('NOWHERE');
      expect((unknown.body as unknown as { message: string }).message).not.toContain('TRUCK-2,');

      expect(await listed(username)).toEqual(before);
    });

    it('answers 404 not-found for an unknown user, 403 for non-admins and 401 without a token', async () => {
      const missing = await patch(admin, 'nobody-here', { disabled: true });
      expect(missing.status).toBe(404);
      expectErrorBody(missing.body, 'not-found');

      const username = await newUser('technician', ['TRUCK-1']);
      for (const who of ['tech1', 'clerk1', 'integration1']) {
        const r = await patch(await server.token(who), username, { warehouseCodes: ['TRUCK-1', 'TRUCK-2'] });
        expect(r.status, who).toBe(403);
        expectErrorBody(r.body, 'forbidden');
      }
      // Nor may a user widen their own scope.
      const self = await login(username);
      expect((await patch(self.body.accessToken, username, { role: 'admin' })).status).toBe(403);
      expect((await patch(undefined, username, { disabled: true })).status).toBe(401);
      expect(await listed(username)).toMatchObject({ role: 'technician', warehouseCodes: ['TRUCK-1'], disabled: false });
    });

    it('never lets an admin disable or demote their own account, but another admin may', async () => {
      const second = await newUser('admin', []);
      const secondSession = await login(second);
      const token = secondSession.body.accessToken;
      for (const body of [{ disabled: true }, { role: 'technician' }, { role: 'warehouse', warehouseCodes: ['WH-MAIN'] }]) {
        const r = await patch(token, second, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expectErrorBody(r.body, 'invalid-request');
      }
      expect(await listed(second)).toMatchObject({ role: 'admin', disabled: false });
      // Harmless changes to one's own account are fine.
      expect((await patch(token, second, { role: 'admin', disabled: false })).status).toBe(200);

      const demoted = await patch(admin, second, { role: 'technician', warehouseCodes: ['TRUCK-2'] });
      expect(demoted.status).toBe(200);
      expect(demoted.body).toMatchObject({ role: 'technician', warehouseCodes: ['TRUCK-2'] });
      // Demoted at once: the same session no longer reaches admin routes.
      expect((await api(server, token, 'GET', '/api/v1/admin/users')).status).toBe(403);
    });

    it("disabling ends every session of the user: tokens get 401, refresh and sign-in fail; enabling again allows a new sign-in", async () => {
      const username = await newUser('technician', ['TRUCK-1']);
      const [a, b] = [await login(username), await login(username)];
      expect((await me(a.body.accessToken)).status).toBe(200);

      const r = await patch(admin, username, { disabled: true });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ username, disabled: true });
      for (const session of [a, b]) {
        const denied = await me(session.body.accessToken);
        expect(denied.status).toBe(401);
        expectErrorBody(denied.body, 'unauthorized');
        const pulled = await api(server, session.body.accessToken, 'GET', '/api/v1/replication/inventory/pull');
        expect(pulled.status).toBe(401);
        expect((await refresh(session.body.refreshToken)).status).toBe(401);
      }
      expect((await login(username)).status).toBe(401);

      expect((await patch(admin, username, { disabled: false })).body).toMatchObject({ disabled: false });
      // The old sessions stay ended; a new sign-in works.
      expect((await me(a.body.accessToken)).status).toBe(401);
      const again = await login(username);
      expect(again.status).toBe(200);
      expect((await me(again.body.accessToken)).status).toBe(200);
    });

    it('a new password ends every session of the user; only the new password signs in', async () => {
      const username = await newUser('warehouse', ['WH-MAIN']);
      const [a, b] = [await login(username), await login(username)];
      const other = await server.login('tech3', DEMO_PASSWORD);

      const r = await patch(admin, username, { password: 'the-new-password' });
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain('the-new-password');
      for (const session of [a, b]) {
        expect((await me(session.body.accessToken)).status).toBe(401);
        expect((await refresh(session.body.refreshToken)).status).toBe(401);
      }
      const old = await login(username);
      expect(old.status).toBe(401);
      expectErrorBody(old.body, 'invalid-credentials');
      const fresh = await login(username, 'the-new-password');
      expect(fresh.status).toBe(200);
      expect((await me(fresh.body.accessToken)).status).toBe(200);
      // Other users' sessions are untouched.
      expect((await me(other.accessToken)).status).toBe(200);
    });

    it('still creates users at POST /api/v1/admin/users, who then appear in the list', async () => {
      const username = await newUser('integration', ['WH-MAIN', 'TRUCK-1']);
      expect(await listed(username)).toEqual({ id: expect.any(String), username, role: 'integration', warehouseCodes: ['TRUCK-1', 'WH-MAIN'], disabled: false });
    });
  });
}
