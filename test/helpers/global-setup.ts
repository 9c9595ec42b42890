/**
 * Vitest globalSetup: one PostgreSQL for the whole test run, from startTestCluster() in
 * test/helpers/pg-cluster.ts:
 *
 * - FIELDSTOCK_TEST_PG_URL set  -> use that server (an admin URL, e.g.
 *   postgres://postgres@127.0.0.1:5432/postgres) and start nothing.
 * - PostgreSQL binaries found   -> initdb a cluster in a fresh temp dir, start it on
 *   127.0.0.1 with a free port, stop it and delete the dir in teardown.
 * - No binaries                 -> provide '' (tests using describeIfPg are skipped)
 *   and print one line saying so.
 *
 * Tests read the URL with inject('pgAdminUrl') through test/helpers/postgres.ts.
 */
import type { TestProject } from 'vitest/node';
import { startTestCluster } from './pg-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection URL of the test cluster, or '' when PostgreSQL is unavailable. */
    pgAdminUrl: string;
    /** Why PostgreSQL is unavailable ('' when it is available). */
    pgUnavailableReason: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startTestCluster();
  project.provide('pgAdminUrl', cluster.adminUrl);
  project.provide('pgUnavailableReason', cluster.unavailableReason);
  return cluster.stop;
}
