/**
 * Vitest globalSetup: one throwaway PostgreSQL cluster for the whole test run.
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
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin connection URL of the test cluster, or '' when PostgreSQL is unavailable. */
    pgAdminUrl: string;
    /** Why PostgreSQL is unavailable ('' when it is available). */
    pgUnavailableReason: string;
  }
}

const LOG_PREFIX = '[fieldstock test setup]';
const PG_USER = 'postgres';

interface PgBinaries {
  initdb: string;
  pgCtl: string;
}

interface Cluster {
  dir: string;
  dataDir: string;
  pgCtl: string;
  port: number;
  stopped: boolean;
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const fromEnv = process.env.FIELDSTOCK_TEST_PG_URL?.trim();
  if (fromEnv) {
    console.log(`${LOG_PREFIX} using PostgreSQL from FIELDSTOCK_TEST_PG_URL (${redact(fromEnv)})`);
    project.provide('pgAdminUrl', fromEnv);
    project.provide('pgUnavailableReason', '');
    return undefined;
  }

  const unavailable = (reason: string): undefined => {
    console.log(`${LOG_PREFIX} PostgreSQL tests will be skipped: ${reason}`);
    project.provide('pgAdminUrl', '');
    project.provide('pgUnavailableReason', reason);
    return undefined;
  };

  const bins = findBinaries();
  if (!bins) {
    return unavailable(
      'no PostgreSQL server binaries (initdb, pg_ctl) found in /usr/lib/postgresql/*/bin or PATH; ' +
        'install postgresql or set FIELDSTOCK_TEST_PG_URL',
    );
  }
  if (isRoot() && !userExists(PG_USER)) {
    return unavailable(
      `running as root but there is no '${PG_USER}' user to run initdb as (initdb refuses to run as root); ` +
        'set FIELDSTOCK_TEST_PG_URL instead',
    );
  }

  const started = Date.now();
  const cluster = await startCluster(bins);
  const url = `postgres://postgres@127.0.0.1:${cluster.port}/postgres`;
  console.log(`${LOG_PREFIX} PostgreSQL test cluster on 127.0.0.1:${cluster.port} (${Date.now() - started} ms)`);
  project.provide('pgAdminUrl', url);
  project.provide('pgUnavailableReason', '');

  // Safety net: if vitest exits without running teardown, do not leave a postmaster behind.
  const onExit = (): void => stopClusterSync(cluster);
  process.once('exit', onExit);

  return async () => {
    process.removeListener('exit', onExit);
    await stopCluster(cluster);
  };
}

// ---------------------------------------------------------------------------------------

function findBinaries(): PgBinaries | undefined {
  const candidates: string[] = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    // Highest major version first.
    const versions = readdirSync(root)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(join(root, v, 'bin'));
  }
  for (const p of (process.env.PATH ?? '').split(':')) if (p) candidates.push(p);

  for (const dir of candidates) {
    const initdb = join(dir, 'initdb');
    const pgCtl = join(dir, 'pg_ctl');
    // Debian puts a pg_ctlcluster wrapper, not initdb, on PATH; require both real binaries.
    if (existsSync(initdb) && existsSync(pgCtl) && existsSync(join(dir, 'postgres'))) {
      return { initdb, pgCtl };
    }
  }
  return undefined;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`cannot resolve uid/gid of user ${name}`);
  return { uid, gid };
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The command line to run `argv` as the postgres user when we are root, directly otherwise. */
function asPgUser(argv: string[]): { file: string; args: string[] } {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('empty command');
  if (!isRoot()) return { file, args };
  return { file: 'su', args: [PG_USER, '-s', '/bin/sh', '-c', argv.map(shellQuote).join(' ')] };
}

function run(argv: string[], cwd: string): Promise<{ code: number; output: string }> {
  const { file, args } = asPgUser(argv);
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd, env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}`.trim() });
      },
    );
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

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function startCluster(bins: PgBinaries): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'fieldstock-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  try {
    if (isRoot()) {
      const { uid, gid } = userIds(PG_USER);
      chownSync(dir, uid, gid);
    }

    const init = await run(
      [bins.initdb, '-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'],
      dir,
    );
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.output}`);

    // The port is picked now and may be taken before the postmaster binds it: retry a few times.
    let lastError = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      const serverOptions = [
        `-p ${port}`,
        `-c listen_addresses=127.0.0.1`,
        `-c unix_socket_directories='${dir}'`,
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      const start = await run(
        [bins.pgCtl, 'start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions],
        dir,
      );
      if (start.code === 0) return { dir, dataDir, pgCtl: bins.pgCtl, port, stopped: false };
      lastError = `pg_ctl start failed (exit ${start.code}) on port ${port}:\n${start.output}\n--- ${logFile} ---\n${tail(logFile)}`;
      // Make sure a half-started server is gone before the next attempt.
      await run([bins.pgCtl, 'stop', '-D', dataDir, '-m', 'immediate', '-w'], dir);
    }
    throw new Error(lastError);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${LOG_PREFIX} could not start the PostgreSQL test cluster: ${message}`, { cause: error });
  }
}

async function stopCluster(cluster: Cluster): Promise<void> {
  if (cluster.stopped) return;
  cluster.stopped = true;
  const result = await run([cluster.pgCtl, 'stop', '-D', cluster.dataDir, '-m', 'fast', '-w', '-t', '60'], cluster.dir);
  if (result.code !== 0) {
    await run([cluster.pgCtl, 'stop', '-D', cluster.dataDir, '-m', 'immediate', '-w'], cluster.dir);
  }
  rmSync(cluster.dir, { recursive: true, force: true });
}

function stopClusterSync(cluster: Cluster): void {
  if (cluster.stopped) return;
  cluster.stopped = true;
  const { file, args } = asPgUser([cluster.pgCtl, 'stop', '-D', cluster.dataDir, '-m', 'immediate', '-w']);
  spawnSync(file, args, { cwd: cluster.dir, stdio: 'ignore', timeout: 30_000 });
  rmSync(cluster.dir, { recursive: true, force: true });
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
