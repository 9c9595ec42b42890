/**
 * A real trytond for one test file: its own folder with a copy of the run's
 * pristine database, its own free port on 127.0.0.1.
 *
 *   describeIfTryton('tryton rpc', () => {
 *     const tryton = useTrytonServer();          // use-server.ts: beforeAll start, afterAll dispose
 *     it('...', async () => { tryton.url; await tryton.reset(); });
 *   });
 *
 * reset() = stop, copy the pristine file back, start (never copy under a
 * running server). stop()/start() let a test take Tryton down mid-run; the
 * database and port are kept, so clients reconnect to the same URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrytonRpcOptions } from '../../../server/erp/adapters/tryton/rpc.js';
import { Secret } from '../../../server/erp/secret.js';
import { TRYTOND } from './binaries.js';
import { ADMIN_LOGIN, ADMIN_PASSWORD, pristineTemplate, TEMPLATE_DATABASE } from './template.js';

export interface TrytonServerOptions {
  /** Extra trytond.conf text, e.g. "[session]\ntimeout = 2\n". */
  extraConfig?: string;
}

const READY_TIMEOUT_MS = 30_000;
const TERM_GRACE_MS = 5_000;

export class TrytonTestServer {
  readonly database = TEMPLATE_DATABASE;
  readonly user = ADMIN_LOGIN;
  readonly password = new Secret(ADMIN_PASSWORD);
  /** Timings of the last start/stop (for the report; tests never assert them). */
  readonly timings = { templateMs: 0, lastStartMs: 0, lastStopMs: 0 };
  readonly #dir: string;
  readonly #options: TrytonServerOptions;
  #port = 0;
  #template = '';
  #child: ChildProcess | undefined;
  #exited: Promise<void> | undefined;
  readonly #safetyNet = (): void => {
    this.#child?.kill('SIGKILL');
  };

  constructor(options: TrytonServerOptions = {}) {
    this.#options = options;
    this.#dir = mkdtempSync(join(tmpdir(), 'fieldstock-trytond-'));
  }

  get url(): string {
    if (this.#port === 0) throw new Error('TrytonTestServer: not started yet');
    return `http://127.0.0.1:${this.#port}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  /** First start: copies the pristine database, picks a port, starts trytond. */
  async init(): Promise<void> {
    const started = Date.now();
    this.#template = (await pristineTemplate()).file;
    this.timings.templateMs = Date.now() - started;
    this.#copyPristine();
    await this.start();
  }

  async start(): Promise<void> {
    if (this.#child) return;
    const started = Date.now();
    let lastError: Error | undefined;
    // The port is free when picked but may be taken before trytond binds it: try again with another.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (this.#port === 0 || attempt > 0) this.#port = await freePort();
      try {
        await this.#spawnAndWait();
        this.timings.lastStartMs = Date.now() - started;
        return;
      } catch (error) {
        lastError = error as Error;
        await this.stop();
        if (!/Address already in use/i.test(lastError.message)) break;
      }
    }
    throw lastError ?? new Error('trytond did not start');
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    const exited = this.#exited;
    if (!child || !exited) return;
    const started = Date.now();
    // A paused process would not act on SIGTERM.
    child.kill('SIGCONT');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), TERM_GRACE_MS);
    await exited;
    clearTimeout(timer);
    this.#child = undefined;
    this.#exited = undefined;
    process.removeListener('exit', this.#safetyNet);
    this.timings.lastStopMs = Date.now() - started;
  }

  /** Freezes trytond (SIGSTOP): connections are accepted, nothing answers; for timeout tests. */
  pause(): void {
    if (!this.#child) throw new Error('TrytonTestServer: not running');
    this.#child.kill('SIGSTOP');
  }

  resume(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Options for a TrytonRpc/TrytonConnector talking to this server as admin. */
  rpcOptions(overrides: Partial<TrytonRpcOptions> = {}): TrytonRpcOptions {
    return { url: this.url, database: this.database, user: this.user, password: this.password, timeoutMs: 10_000, ...overrides };
  }

  /** Back to the pristine database; every session of the old process is gone (clients get 401). */
  async reset(): Promise<void> {
    await this.stop();
    this.#copyPristine();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** trytond's log so far (for failure messages). */
  log(): string {
    try {
      return readFileSync(join(this.#dir, 'trytond.log'), 'utf8');
    } catch {
      return '';
    }
  }

  #copyPristine(): void {
    copyFileSync(this.#template, join(this.#dir, `${TEMPLATE_DATABASE}.sqlite`));
  }

  async #spawnAndWait(): Promise<void> {
    const conf = join(this.#dir, 'trytond.conf');
    writeFileSync(conf, `[database]\nuri = sqlite://\npath = ${this.#dir}\n[web]\nlisten = 127.0.0.1:${this.#port}\n${this.#options.extraConfig ?? ''}`);
    const logFile = join(this.#dir, 'trytond.log');
    const logFd = openSync(logFile, 'a');
    const child = spawn(TRYTOND, ['-c', conf], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    this.#child = child;
    let exitCode: number | null | undefined;
    this.#exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitCode = code ?? (signal ? -1 : null);
        resolve();
      });
      child.once('error', () => resolve());
    });
    process.once('exit', this.#safetyNet);

    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (exitCode !== undefined) throw new Error(`trytond exited (${exitCode}) before answering:\n${this.log().slice(-3000)}`);
      if (await answers(this.url)) return;
      if (Date.now() > deadline) throw new Error(`trytond did not answer on ${this.url} within ${READY_TIMEOUT_MS} ms:\n${this.log().slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: 0, method: 'common.server.version', params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  } catch {
    return false;
  }
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
