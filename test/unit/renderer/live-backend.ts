/**
 * Screen tests against a real backend: one demo server per file, devices that
 * sign in with a memory RxDB and the fast sync tuning, and clean-up after each
 * test (signed-out sessions, unmounted screens) and after the file.
 */
import { cleanup } from '@testing-library/react';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { SessionController, type ActiveSession } from '../../../renderer/session/controller.js';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../../helpers/server.js';
import { memoryPlatform } from './memory-platform.js';
import { FAST_SYNC, waitFor } from './sync-helpers.js';

export interface LiveBackend {
  /** The file's server (started in beforeAll). */
  server(): TestServer;
  /** Signs a demo user in on a new device and waits for its first sync, online. */
  signIn(username: string): Promise<ActiveSession>;
}

export function useLiveBackend(seed?: (server: TestServer) => Promise<void>): LiveBackend {
  let server: TestServer | undefined;
  const controllers: SessionController[] = [];
  beforeAll(async () => {
    // See sign-in.test.tsx: happy-dom's cancelled animations reject unhandled; Fluent skips motion without animate().
    Object.defineProperty(Element.prototype, 'animate', { value: undefined, configurable: true });
    server = await startTestServer({ demo: true });
    await seed?.(server);
  });
  afterEach(async () => {
    cleanup();
    for (const controller of controllers.splice(0)) await controller.signOut();
  });
  afterAll(async () => {
    server?.fieldstock.app.server.closeAllConnections();
    await server?.close();
  });
  const current = (): TestServer => {
    if (!server) throw new Error('the backend has not started');
    return server;
  };
  return {
    server: current,
    async signIn(username) {
      const controller = new SessionController({ platform: memoryPlatform(), onView: () => {}, storage: () => getRxStorageMemory(), multiInstance: false, sync: FAST_SYNC });
      controllers.push(controller);
      expect(await controller.signIn(current().url, username, DEMO_PASSWORD)).toBeNull();
      const session = controller.active;
      if (!session) throw new Error(`${username} is not signed in`);
      await waitFor(session.sync.status$, (s) => s.firstSync.done && s.connection === 'online', `${username}'s first sync`);
      return session;
    },
  };
}
