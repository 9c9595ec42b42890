/**
 * The Vitest side of the Tryton test server (server.ts stays free of Vitest,
 * so the bench, `npm run tryton:dev` and the Playwright tests use it too).
 */
import { afterAll, beforeAll } from 'vitest';
import { TrytonTestServer, type TrytonServerOptions } from './server.js';

/** A server for the enclosing describe: started in beforeAll, stopped and deleted in afterAll. */
export function useTrytonServer(options: TrytonServerOptions = {}): TrytonTestServer {
  const server = new TrytonTestServer(options);
  beforeAll(() => server.init(), 120_000);
  afterAll(() => server.dispose());
  return server;
}
