import { defineConfig } from 'vitest/config';

// Test runner configuration. `npm test` (scripts/test.mjs) runs typecheck, lint and
// then vitest with a JSON reporter; `npx vitest run <file>` works for local iteration.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts'],
    // Separate processes: native modules (better-sqlite3) and servers with open
    // sockets are isolated per test file.
    pool: 'forks',
    // The CI machine has 2 cores.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Starts one throwaway PostgreSQL cluster for the whole run (see the file).
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
