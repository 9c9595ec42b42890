/**
 * A small ERP for the outbox tests: a real HTTP server on 127.0.0.1 that
 * creates records idempotently by the `idempotency-key` header (a second
 * request with a key returns the first record, as Tryton createOnce does with
 * our reference), counts every request and every effect, and can be told to
 * fail: answer 503 a number of times, refuse with a business error (422), or
 * apply the effect and then hold the answer (for a worker killed mid-call).
 *
 * And the outbox handler that talks to it, mapping HTTP answers to ErpError
 * codes as an adapter would. Free of Vitest: the crash child imports it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErpError } from '../../server/erp/errors.js';
import type { OutboxHandler } from '../../server/erp/outbox/types.js';

export interface ErpRecordSeen {
  erpId: string;
  key: string;
  map: string;
  operation: string;
  documentId: string;
  payload: unknown;
}

export interface FakeErp {
  url: string;
  /** Requests received per idempotency key (every attempt, answered or not). */
  requests(key: string): number;
  totalRequests(): number;
  /** Records created, in the order the ERP applied them (each key at most once). */
  effects: ErpRecordSeen[];
  /** The next `times` requests for `documentId` (any key) answer 503. */
  failWith503(documentId: string, times: number): void;
  /** Requests for `documentId` answer 422 with this message until cleared. */
  refuse(documentId: string, message: string): void;
  clearRefusal(documentId: string): void;
  /** The next request for `documentId` is applied, then never answered; resolves when it arrived. */
  holdAfterApplying(documentId: string): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeErp(): Promise<FakeErp> {
  const requestsByKey = new Map<string, number>();
  const records = new Map<string, ErpRecordSeen>();
  const effects: ErpRecordSeen[] = [];
  const failures = new Map<string, number>();
  const refusals = new Map<string, string>();
  const holds = new Map<string, () => void>();
  const held: http.ServerResponse[] = [];
  let total = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      total += 1;
      const key = String(req.headers['idempotency-key'] ?? '');
      requestsByKey.set(key, (requestsByKey.get(key) ?? 0) + 1);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Omit<ErpRecordSeen, 'erpId' | 'key'>;
      const send = (status: number, answer: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      };
      const failing = failures.get(body.documentId) ?? 0;
      if (failing > 0) {
        failures.set(body.documentId, failing - 1);
        send(503, { message: 'ERP busy' });
        return;
      }
      const refusal = refusals.get(body.documentId);
      if (refusal) {
        send(422, { message: refusal });
        return;
      }
      let record = records.get(key);
      if (!record) {
        record = { ...body, key, erpId: `ERP-${records.size + 1}` };
        records.set(key, record);
        effects.push(record);
      }
      const hold = holds.get(body.documentId);
      if (hold) {
        // One request is held; the ones after it are answered.
        holds.delete(body.documentId);
        held.push(res);
        hold();
        return;
      }
      send(200, { erpId: record.erpId });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: (key) => requestsByKey.get(key) ?? 0,
    totalRequests: () => total,
    effects,
    failWith503: (documentId, times) => failures.set(documentId, times),
    refuse: (documentId, message) => refusals.set(documentId, message),
    clearRefusal: (documentId) => refusals.delete(documentId),
    holdAfterApplying: (documentId) => new Promise<void>((resolve) => holds.set(documentId, resolve)),
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The outbox handler an adapter would be: one idempotent create per item, errors as ErpError codes. */
export function erpHandler(url: string): OutboxHandler {
  return async (item) => {
    let response: Response;
    try {
      response = await fetch(`${url}/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': item.idempotencyKey },
        body: JSON.stringify({ map: item.map, operation: item.operation, documentId: item.documentId, payload: item.payload }),
        signal: item.signal,
      });
    } catch (error) {
      throw new ErpError('erp-network', `the ERP could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    const answer = (await response.json()) as { erpId?: string; message?: string };
    if (response.status >= 500) throw new ErpError('erp-server-error', answer.message ?? `HTTP ${response.status}`);
    if (response.status === 422) throw new ErpError('erp-user-error', answer.message ?? 'refused');
    if (!response.ok) throw new ErpError('erp-protocol', `HTTP ${response.status}`);
    return { erpId: answer.erpId };
  };
}
