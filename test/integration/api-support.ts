/**
 * Helpers for the HTTP contract tests (test/integration/api-*.test.ts): they
 * talk to the backend only over HTTP, as a client following API.md would.
 */
import { describe, expect } from 'vitest';
import type { OnHandRow } from '../../shared/wire.js';
import { describeIfPg } from '../helpers/postgres.js';
import { api, demo, pullAll, type Engine, type TestServer } from '../helpers/server.js';
import { sseBlockReader } from '../helpers/sse-blocks.js';

export const ENGINES = ['sqlite', 'postgres'] as const satisfies readonly Engine[];

/** `describe` for SQLite; `describeIfPg` (skipped with a printed reason when PostgreSQL is missing) for PostgreSQL. */
export function describeEngine(engine: Engine, name: string, fn: () => void): void {
  if (engine === 'postgres') describeIfPg(`${name} (postgres)`, fn);
  else describe(`${name} (sqlite)`, fn);
}

export type Doc = Record<string, unknown>;

/** Asserts the contract's 4xx body: `{ code: "<kebab-case>", message: "<for people>" }`. */
export function expectErrorBody(body: unknown, code?: string): void {
  expect(body).toEqual({ code: expect.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/), message: expect.any(String) });
  const { code: actual, message } = body as { code: string; message: string };
  expect(message.length).toBeGreaterThan(0);
  if (code !== undefined) expect(actual).toBe(code);
}

export const warehouseId = (code: string): string => demo.warehouse(code);
export const productId = (n: number): string => demo.product(`P-${n}`);
export const productNumber = (n: number): string => `P-${n}`;

export type { OnHandRow };

/** GET /api/v1/inventory/onhand for one (warehouse, product); undefined when the backend lists no row. */
export async function onHandRow(server: Pick<TestServer, 'url'>, token: string, code: string, number: string): Promise<OnHandRow | undefined> {
  const qs = new URLSearchParams({ warehouseCode: code, productNumber: number });
  const r = await api<OnHandRow[]>(server, token, 'GET', `/api/v1/inventory/onhand?${qs.toString()}`);
  expect(r.status).toBe(200);
  expect(r.body.length).toBeLessThanOrEqual(1);
  return r.body[0];
}

/** On hand of one (warehouse, product), 0 when there is no row yet. */
export async function onHand(server: Pick<TestServer, 'url'>, token: string, code: string, number: string): Promise<number> {
  return (await onHandRow(server, token, code, number))?.onHand ?? 0;
}

/** A document by id from a full pull (undefined when the caller cannot see it). */
export async function pulledDoc(server: Pick<TestServer, 'url'>, token: string, collection: string, id: string): Promise<Doc | undefined> {
  const docs = await pullAll<Doc>(server, token, collection);
  return docs.find((d) => d.id === id);
}

export function inventoryDocId(warehouse: string, product: string): string {
  return `${warehouse}~${product}`;
}

/** Pushes rows `{ assumedMasterState, newDocumentState }` to a collection. */
export function push(server: Pick<TestServer, 'url'>, token: string, collection: string, rows: { assumedMasterState?: Doc | null; newDocumentState: Doc }[]) {
  return api<Doc[]>(server, token, 'POST', `/api/v1/replication/${collection}/push`, rows);
}

export type SseEvent = { kind: 'data'; data: unknown } | { kind: 'end' };
type SseBlock = SseEvent | { kind: 'comment'; text: string };

/** A replication stream opened with fetch (EventSource cannot send Authorization). */
export interface OpenStream {
  response: Response;
  /** The next `data:` event, parsed as JSON (comments are skipped and kept in `comments`). */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Reads on until a comment line (a heartbeat) arrives; data events read meanwhile are dropped. */
  nextComment(timeoutMs?: number): Promise<string | undefined>;
  comments: string[];
  close(): void;
}

/** Rejects after `ms` so a missing event fails the test with a message instead of hanging it. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function openStream(server: Pick<TestServer, 'url'>, token: string | undefined, collection: string): Promise<OpenStream> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/v1/replication/${collection}/stream`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: controller.signal,
  });
  const blocks = sseBlockReader(response.body);
  const comments: string[] = [];
  // The single-collection stream has no event names, and a cut connection reads as its end.
  const readBlock = async (): Promise<SseBlock> => {
    const block = await blocks.next();
    if (block.kind === 'comment') comments.push(block.text);
    if (block.kind === 'event') return { kind: 'data', data: block.data };
    if (block.kind === 'broken') return { kind: 'end' };
    return block;
  };

  return {
    response,
    comments,
    next(timeoutMs = 10_000) {
      const read = async (): Promise<SseEvent> => {
        for (;;) {
          const block = await readBlock();
          if (block.kind !== 'comment') return block;
        }
      };
      return within(read(), timeoutMs, 'stream event');
    },
    nextComment(timeoutMs = 10_000) {
      const read = async (): Promise<string | undefined> => {
        for (;;) {
          const block = await readBlock();
          if (block.kind === 'comment') return block.text;
          if (block.kind === 'end') return undefined;
        }
      };
      return within(read(), timeoutMs, 'stream comment');
    },
    close() {
      controller.abort();
      blocks.cancel();
    },
  };
}

/** Reads stream events until one carries a document with `id`; returns every document seen on the way. */
export async function readUntilDocument(stream: OpenStream, id: string): Promise<{ seen: Doc[]; checkpoint: unknown }> {
  const seen: Doc[] = [];
  for (;;) {
    const event = await stream.next();
    if (event.kind === 'end') throw new Error(`stream ended before document ${id} arrived`);
    if (event.data === 'RESYNC') continue;
    const batch = event.data as { documents: Doc[]; checkpoint: unknown };
    expect(Array.isArray(batch.documents)).toBe(true);
    seen.push(...batch.documents);
    if (batch.documents.some((d) => d.id === id)) return { seen, checkpoint: batch.checkpoint };
  }
}

/** ISO timestamp `offsetMs` from now. */
export const at = (offsetMs: number): string => new Date(Date.now() + offsetMs).toISOString();
export const HOUR = 3_600_000;
