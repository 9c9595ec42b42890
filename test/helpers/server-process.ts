/**
 * The real backend as a child process (`node --import tsx server/main.ts`),
 * so a test can `kill -9` it and start it again on the same data. The child
 * is node itself, not an npx wrapper: SIGKILL hits the server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpRequest } from './fault-proxy.js';
import { ADMIN_PASSWORD } from './server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** SIGKILL: no drain, no shutdown hook; resolves when the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful drain); resolves with the exit code. */
  stop(): Promise<number | null>;
  /** The last lines the process printed, for failure messages. */
  output(): string;
}

export interface ServerProcessOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** Reuse a port (a restart at the same address); default: a free one. */
  port?: number;
  demo?: boolean;
  startTimeoutMs?: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function spawnServer(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The child gets exactly the configuration below, nothing inherited from the test runner.
    if (!k.startsWith('FIELDSTOCK_') && k !== 'DATABASE_URL' && k !== 'NODE_OPTIONS') env[k] = v;
  }
  Object.assign(env, {
    FIELDSTOCK_DATA_DIR: options.dataDir,
    FIELDSTOCK_HOST: '127.0.0.1',
    FIELDSTOCK_PORT: String(port),
    FIELDSTOCK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    FIELDSTOCK_LOG_LEVEL: 'warn',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...(options.demo ? ['--demo'] : [])], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => {
    alive = false;
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (!alive) throw new Error(`the backend exited while starting:\n${lines.join('\n')}`);
    try {
      const r = await httpRequest(url, { method: 'GET', path: '/healthz', timeoutMs: 2000 });
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the backend did not answer /healthz in time:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    port,
    pid: child.pid ?? -1,
    async kill9() {
      if (alive) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive) child.kill('SIGTERM');
      return exited;
    },
    output: () => lines.join('\n'),
  };
}
