/**
 * A throwaway PostgreSQL cluster for the bench, started the way
 * test/helpers/global-setup.ts does for vitest (which cannot be used outside
 * vitest): initdb as the `postgres` user when we are root, a fresh temp
 * folder, a free port on 127.0.0.1. Unlike the test cluster it keeps
 * PostgreSQL's durable defaults (fsync, synchronous_commit on), to compare
 * fairly with SQLite's synchronous=FULL.
 *
 * FIELDSTOCK_BENCH_PG_URL (an admin URL) uses an existing server instead.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_USER = 'postgres';

export interface BenchCluster {
  /** Admin URL (database `postgres`). */
  adminUrl: string;
  description: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a cluster, or explains in the returned string why it cannot. */
export async function startBenchCluster(): Promise<BenchCluster | string> {
  const fromEnv = process.env.FIELDSTOCK_BENCH_PG_URL?.trim();
  if (fromEnv) return clusterAt(fromEnv, 'FIELDSTOCK_BENCH_PG_URL', async () => undefined);

  const bin = findBinDir();
  if (!bin) return 'no PostgreSQL server binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin or PATH';
  if (isRoot() && spawnSync('id', ['-u', PG_USER], { stdio: 'ignore' }).status !== 0) {
    return `running as root without a '${PG_USER}' user to run initdb as`;
  }
  const pgCtl = join(bin, 'pg_ctl');
  const dir = mkdtempSync(join(tmpdir(), 'fieldstock-bench-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  try {
    if (isRoot()) {
      const uid = Number(spawnSync('id', ['-u', PG_USER], { encoding: 'utf8' }).stdout.trim());
      const gid = Number(spawnSync('id', ['-g', PG_USER], { encoding: 'utf8' }).stdout.trim());
      chownSync(dir, uid, gid);
    }
    const init = await run([join(bin, 'initdb'), '-D', dataDir, '-U', PG_USER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], dir);
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.output}`);
    let lastError = '';
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const port = await freePort();
      const options = [`-p ${port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories='${dir}'`, '-c max_connections=100'].join(' ');
      const start = await run([pgCtl, 'start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', options], dir);
      if (start.code === 0) {
        let stopped = false;
        let stopping: Promise<void> | undefined;
        // One stop for every caller (Ctrl-C and the normal path may both ask).
        const stop = () =>
          (stopping ??= (async () => {
            const r = await run([pgCtl, 'stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], dir);
            if (r.code !== 0) await run([pgCtl, 'stop', '-D', dataDir, '-m', 'immediate', '-w'], dir);
            rmSync(dir, { recursive: true, force: true });
            stopped = true;
            process.removeListener('exit', stopSync);
          })());
        // If the bench dies, do not leave a postmaster behind.
        const stopSync = () => {
          if (stopped) return;
          stopped = true;
          const { file, args } = asPgUser([pgCtl, 'stop', '-D', dataDir, '-m', 'immediate', '-w']);
          spawnSync(file, args, { cwd: dir, stdio: 'ignore', timeout: 30_000 });
          rmSync(dir, { recursive: true, force: true });
        };
        process.once('exit', stopSync);
        return clusterAt(`postgres://${PG_USER}@127.0.0.1:${port}/postgres`, `throwaway cluster ${bin}, 127.0.0.1:${port}, fsync on`, stop);
      }
      lastError = `pg_ctl start failed on port ${port}:\n${start.output}\n${tail(logFile)}`;
      await run([pgCtl, 'stop', '-D', dataDir, '-m', 'immediate', '-w'], dir);
    }
    throw new Error(lastError);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return error instanceof Error ? error.message : String(error);
  }
}

function clusterAt(adminUrl: string, description: string, stop: () => Promise<void>): BenchCluster {
  return {
    adminUrl,
    description,
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
    stop,
  };
}

function findBinDir(): string | undefined {
  const candidates: string[] = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(join(root, v, 'bin'));
  }
  for (const p of (process.env.PATH ?? '').split(':')) if (p) candidates.push(p);
  return candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')) && existsSync(join(d, 'postgres')));
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

function asPgUser(argv: string[]): { file: string; args: string[] } {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('empty command');
  if (!isRoot()) return { file, args };
  return { file: 'su', args: [PG_USER, '-s', '/bin/sh', '-c', argv.map(shellQuote).join(' ')] };
}

function run(argv: string[], cwd: string): Promise<{ code: number; output: string }> {
  const { file, args } = asPgUser(argv);
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}`.trim() });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not pick a free port'))));
    });
  });
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
