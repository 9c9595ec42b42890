/**
 * The bench's servers run in their own Node processes (one core each on a
 * 2-core machine: the client gets the other). The parent talks to them over
 * Node's IPC channel: the child sends `ready`, answers requests, and exits on
 * `close`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ReadyMessage {
  type: 'ready';
  url: string;
  /** Time the child spent seeding its documents. */
  seedMs: number;
  [key: string]: unknown;
}

export interface RequestMessage {
  type: 'request';
  id: number;
  method: string;
  params?: unknown;
}

export interface ResponseMessage {
  type: 'response';
  id: number;
  result?: unknown;
  error?: string;
}

export interface ServerProcess {
  ready: ReadyMessage;
  pid: number;
  request<T>(method: string, params?: unknown): Promise<T>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;

/** Starts `node --import tsx <file>` with an IPC channel and waits for its `ready` message. */
export async function startServerProcess(file: string, env: Record<string, string>, extraNodeArgs: string[] = []): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...extraNodeArgs, '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url))], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A send to a child that just died (Ctrl-C reaches the whole process group) must not crash the bench.
  child.on('error', (error) => console.error(`${file}: ${error.message}`));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${file} exited (code ${code}, signal ${signal}) before answering`));
      pending.clear();
      resolve();
    });
  });

  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} was not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (code ${code}, signal ${signal}) before it was ready`));
    });
    child.on('message', (raw: unknown) => {
      const message = raw as ReadyMessage | ResponseMessage;
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else if (message.type === 'response') {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (!p) return;
        if (message.error !== undefined) p.reject(new Error(`${file} ${message.error}`));
        else p.resolve(message.result);
      }
    });
  });

  return {
    ready,
    pid: child.pid ?? -1,
    request<T>(method: string, params?: unknown): Promise<T> {
      if (exited) return Promise.reject(new Error(`${file} has exited`));
      const id = nextId++;
      const message: RequestMessage = { type: 'request', id, method, params };
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: (v) => resolve(v as T), reject });
        child.send(message);
      });
    },
    async stop() {
      if (exited) return;
      if (child.connected) child.send({ type: 'close' });
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Child side: answers requests from the parent with `handlers`, closes with `close`. */
export function serveParent(handlers: Record<string, (params: unknown) => Promise<unknown>>, close: () => Promise<void>): void {
  if (!process.send) throw new Error('this file is started by test/bench/run.ts (it needs an IPC channel)');
  const send = (message: unknown) => process.send?.(message);
  // Asked to close, the parent died, or Ctrl-C reached the whole process group: clean up (temp folders), then exit.
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void close()
      .catch((error: unknown) => console.error(error))
      .finally(() => process.exit(0));
  };
  process.on('message', (raw: unknown) => {
    const message = raw as RequestMessage | { type: 'close' };
    if (message.type === 'close') {
      shutdown();
      return;
    }
    // Built in: CPU time this process has used (user + system), for per-run server CPU figures.
    const handler =
      message.method === 'cpu'
        ? async () => {
            const usage = process.cpuUsage();
            return (usage.user + usage.system) / 1000;
          }
        : handlers[message.method];
    if (!handler) {
      send({ type: 'response', id: message.id, error: `has no method ${message.method}` } satisfies ResponseMessage);
      return;
    }
    handler(message.params).then(
      (result) => send({ type: 'response', id: message.id, result } satisfies ResponseMessage),
      (error: unknown) => send({ type: 'response', id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ResponseMessage),
    );
  });
  process.on('disconnect', shutdown);
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

export function sendReady(message: ReadyMessage): void {
  process.send?.(message);
}
