/**
 * The bench's PostgreSQL: FIELDSTOCK_BENCH_PG_URL (an admin URL of an existing server), or
 * a throwaway cluster from test/helpers/pg-cluster.ts. Unlike the test cluster it keeps
 * PostgreSQL's durable defaults (fsync, synchronous_commit on), to compare fairly with
 * SQLite's synchronous=FULL.
 */
import pg from 'pg';
import { clusterFromEnv, startThrowawayCluster, type ThrowawayCluster } from '../helpers/pg-cluster.js';

export interface BenchCluster extends ThrowawayCluster {
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
}

/** Starts a cluster, or explains in the returned string why it cannot. */
export async function startBenchCluster(): Promise<BenchCluster | string> {
  let cluster = clusterFromEnv('FIELDSTOCK_BENCH_PG_URL');
  if (!cluster) {
    try {
      const result = await startThrowawayCluster({ durable: true, label: 'bench' });
      if ('unavailable' in result) return result.unavailable;
      cluster = result;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
  const { adminUrl } = cluster;
  return {
    ...cluster,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}
