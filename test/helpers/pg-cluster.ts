/**
 * Throwaway PostgreSQL clusters, free of Vitest so that Vitest's global setup, the mocha
 * conformance run and the bench can all use them.
 *
 * startThrowawayCluster() runs initdb in a fresh temp dir (as the `postgres` user when we
 * are root: initdb refuses to run as root), starts the server on 127.0.0.1 with a free
 * port, and stops it and deletes the dir in stop() or, failing that, when the process
 * exits. `durable: false` turns fsync, synchronous_commit and full_page_writes off (fast
 * tests); `durable: true` keeps PostgreSQL's defaults (fair timings).
 *
 * startTestCluster() is the one the tests use: FIELDSTOCK_TEST_PG_URL or a non-durable
 * throwaway cluster, with one console line saying which (or why PostgreSQL is skipped).
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PG_USER = 'postgres';

export interface ThrowawayCluster {
  /** Admin URL (user `postgres`, database `postgres`). */
  adminUrl: string;
  /** What the cluster is, for a log line. */
  description: string;
  /** Stops the server and deletes its dir; one stop for every caller. */
  stop(): Promise<void>;
}

/** Why no cluster could be had (no binaries, no `postgres` user when root). */
export interface ClusterUnavailable {
  unavailable: string;
}

/**
 * Starts a throwaway cluster, or says why it cannot. Throws when the binaries are there but
 * initdb or pg_ctl fails (the temp dir is deleted first).
 */
export async function startThrowawayCluster(options: { durable: boolean; label: string }): Promise<ThrowawayCluster | ClusterUnavailable> {
  const bin = findBinDir();
  if (!bin) return { unavailable: 'no PostgreSQL server binaries (initdb, pg_ctl) found in /usr/lib/postgresql/*/bin or PATH (install postgresql)' };
  if (isRoot() && !userExists(PG_USER)) {
    return { unavailable: `running as root but there is no '${PG_USER}' user to run initdb as (initdb refuses to run as root)` };
  }

  const pgCtl = join(bin, 'pg_ctl');
  const dir = mkdtempSync(join(tmpdir(), `fieldstock-${options.label}-pg-`));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  try {
    if (isRoot()) {
      const { uid, gid } = userIds(PG_USER);
      chownSync(dir, uid, gid);
    }
    const init = await run([join(bin, 'initdb'), '-D', dataDir, '-U', PG_USER, '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync'], dir);
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${init.output}`);

    const settings = options.durable ? [] : ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'];
    // The port is picked now and may be taken before the postmaster binds it: retry a few times.
    let lastError = '';
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const port = await freePort();
      const serverOptions = [
        `-p ${port}`,
        '-c listen_addresses=127.0.0.1',
        `-c unix_socket_directories='${dir}'`,
        ...settings.map((s) => `-c ${s}`),
        '-c max_connections=200',
      ].join(' ');
      const start = await run([pgCtl, 'start', '-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions], dir);
      if (start.code === 0) {
        return {
          adminUrl: `postgres://${PG_USER}@127.0.0.1:${port}/postgres`,
          description: `throwaway ${options.label} cluster ${bin}, 127.0.0.1:${port}, fsync ${options.durable ? 'on' : 'off'}`,
          stop: stopper(pgCtl, dataDir, dir),
        };
      }
      lastError = `pg_ctl start failed (exit ${start.code}) on port ${port}:\n${start.output}\n--- ${logFile} ---\n${tail(logFile)}`;
      // Make sure a half-started server is gone before the next attempt.
      await run([pgCtl, 'stop', '-D', dataDir, '-m', 'immediate', '-w'], dir);
    }
    throw new Error(lastError);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** An existing server whose admin URL is in `variable`, if set; its stop() does nothing. */
export function clusterFromEnv(variable: string): ThrowawayCluster | undefined {
  const url = process.env[variable]?.trim();
  if (!url) return undefined;
  return { adminUrl: url, description: `${variable} (${redact(url)})`, stop: async () => undefined };
}

export interface TestCluster {
  /** Admin URL of the cluster, or '' when PostgreSQL is unavailable. */
  adminUrl: string;
  /** Why it is unavailable ('' when available). */
  unavailableReason: string;
  stop(): Promise<void>;
}

const LOG_PREFIX = '[fieldstock test setup]';

/**
 * The tests' PostgreSQL: FIELDSTOCK_TEST_PG_URL if set, else a non-durable throwaway
 * cluster, else the reason tests that need it are skipped. Throws if a cluster should
 * start but does not.
 */
export async function startTestCluster(): Promise<TestCluster> {
  const existing = clusterFromEnv('FIELDSTOCK_TEST_PG_URL');
  if (existing) {
    console.log(`${LOG_PREFIX} using PostgreSQL from ${existing.description}`);
    return { adminUrl: existing.adminUrl, unavailableReason: '', stop: existing.stop };
  }
  const started = Date.now();
  let result: ThrowawayCluster | ClusterUnavailable;
  try {
    result = await startThrowawayCluster({ durable: false, label: 'test' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${LOG_PREFIX} could not start the PostgreSQL test cluster: ${message}`, { cause: error });
  }
  if ('unavailable' in result) {
    const reason = `${result.unavailable}; set FIELDSTOCK_TEST_PG_URL to use an existing server instead`;
    console.log(`${LOG_PREFIX} PostgreSQL tests will be skipped: ${reason}`);
    return { adminUrl: '', unavailableReason: reason, stop: async () => undefined };
  }
  console.log(`${LOG_PREFIX} PostgreSQL ${result.description} (${Date.now() - started} ms)`);
  return { adminUrl: result.adminUrl, unavailableReason: '', stop: result.stop };
}

// ---------------------------------------------------------------------------------------

/** stop() for a started cluster, plus the safety net: if the process exits first, stop it then. */
function stopper(pgCtl: string, dataDir: string, dir: string): () => Promise<void> {
  let stopped = false;
  let stopping: Promise<void> | undefined;
  const stopNow = (): void => {
    if (stopped) return;
    stopped = true;
    const { file, args } = asPgUser([pgCtl, 'stop', '-D', dataDir, '-m', 'immediate', '-w']);
    spawnSync(file, args, { cwd: dir, stdio: 'ignore', timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  return () =>
    (stopping ??= (async () => {
      const result = await run([pgCtl, 'stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '60'], dir);
      if (result.code !== 0) await run([pgCtl, 'stop', '-D', dataDir, '-m', 'immediate', '-w'], dir);
      rmSync(dir, { recursive: true, force: true });
      stopped = true;
      process.removeListener('exit', stopNow);
    })());
}

function findBinDir(): string | undefined {
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
  // Debian puts a pg_ctlcluster wrapper, not initdb, on PATH; require the real binaries.
  return candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')) && existsSync(join(d, 'postgres')));
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

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
