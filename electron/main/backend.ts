/**
 * For `npm start` only: runs the Fieldstock backend beside the app, with demo
 * data, so a fresh checkout has something to sync with.
 *
 * It runs as a child process on the system's Node, not inside Electron's main
 * process: better-sqlite3 is compiled for Node's ABI, and a backend crash must
 * not take the window down with it. A packaged app never starts it (the
 * technician's device talks to the depot's server), so no Node is needed on
 * end users' machines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

export interface BackendCommand {
  command: string;
  args: string[];
  cwd: string;
}

export interface EmbeddedBackendOptions {
  backend: BackendCommand;
  /** SQLite folder (FIELDSTOCK_DATA_DIR). */
  dataDir: string;
  /**
   * The port to use when it is free (the renderer's sign-in form proposes
   * 127.0.0.1:4310, the backend's default); another free one otherwise.
   */
  preferredPort?: number;
  readyTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface EmbeddedBackend {
  url: string;
  stop(): Promise<void>;
}

/** `node --import tsx server/main.ts --demo` in the checkout, or undefined outside one. */
export function devBackendCommand(repoRoot: string, nodePath: string): BackendCommand | undefined {
  if (!existsSync(path.join(repoRoot, 'server', 'main.ts'))) return undefined;
  return { command: nodePath, args: ['--import', 'tsx', 'server/main.ts', '--demo'], cwd: repoRoot };
}

export async function startEmbeddedBackend(options: EmbeddedBackendOptions): Promise<EmbeddedBackend> {
  const port = await freeLoopbackPort(options.preferredPort);
  const url = `http://127.0.0.1:${port}`;
  const { command, args, cwd } = options.backend;
  const env: NodeJS.ProcessEnv = {
    ...(options.env ?? process.env),
    FIELDSTOCK_HOST: '127.0.0.1',
    FIELDSTOCK_PORT: String(port),
    FIELDSTOCK_DATA_DIR: options.dataDir,
  };
  // Set when Electron itself was started as Node; the child is a plain Node.
  delete env.ELECTRON_RUN_AS_NODE;

  // stdout is inherited: the backend prints the generated admin password there, once.
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not run ${command}: ${error.message}`));
    child.once('exit', (code, signal) => resolve(`exited early (${signal ?? `status ${code}`})`));
  });

  try {
    await waitUntilReady(`${url}/readyz`, exited, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { url, stop: () => stopChild(child) };
}

async function waitUntilReady(readyUrl: string, exited: Promise<string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let failure: string | undefined;
  void exited.then((reason) => (failure = reason));
  while (Date.now() < deadline) {
    if (failure !== undefined) throw new Error(`The embedded backend ${failure}.`);
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`The embedded backend was not ready at ${readyUrl} within ${timeoutMs} ms.`);
}

/** SIGTERM lets the backend drain and close SQLite cleanly; SIGKILL only if it hangs. */
async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  // No pid: it never started. An exit code or signal: it is already gone.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

/** `preferred` if it can be bound on 127.0.0.1, else any free port. */
async function freeLoopbackPort(preferred?: number): Promise<number> {
  if (preferred !== undefined) {
    try {
      return await bindAndRelease(preferred);
    } catch {
      // Taken (another backend, another app): fall through to any free port.
    }
  }
  return bindAndRelease(0);
}

function bindAndRelease(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port on 127.0.0.1'))));
    });
  });
}
