// The outbox's handler registry and how one delivery's answer is classified (server/erp/outbox/handlers.ts, deliver-one.ts).
import { describe, expect, it } from 'vitest';
import { ErpError } from '../../server/erp/errors.js';
import { callHandler, classify } from '../../server/erp/outbox/deliver-one.js';
import { OutboxHandlers } from '../../server/erp/outbox/handlers.js';

const delivery = { id: 'item-1', map: 'warehouses', operation: 'create', documentId: 'doc-1', payload: {}, attempt: 1, idempotencyKey: 'item-1' };

describe('OutboxHandlers', () => {
  it('finds a handler by map and operation, lists the pairs, and unregisters', async () => {
    const handlers = new OutboxHandlers();
    const off = handlers.register('warehouses', 'create', () => Promise.resolve({ erpId: '7' }));
    handlers.register('warehouses', 'update', () => Promise.resolve());
    expect(handlers.get('warehouses', 'create')).toBeDefined();
    expect(handlers.get('warehouses', 'delete')).toBeUndefined();
    expect(handlers.operationsOf('warehouses')).toEqual(['create', 'update']);
    off();
    expect(handlers.get('warehouses', 'create')).toBeUndefined();
    expect(handlers.pairs()).toEqual([{ map: 'warehouses', operation: 'update' }]);
  });

  it('refuses a second handler for one pair and names that are not plain', () => {
    const handlers = new OutboxHandlers();
    handlers.register('warehouses', 'create', () => Promise.resolve());
    expect(() => handlers.register('warehouses', 'create', () => Promise.resolve())).toThrow(/already registered/);
    expect(() => handlers.register('Ware Houses', 'create', () => Promise.resolve())).toThrow(/map "Ware Houses"/);
    expect(() => handlers.register('warehouses', '', () => Promise.resolve())).toThrow(/operation ""/);
  });
});

describe('one delivery', () => {
  it('returns the ERP id a handler answers, and null for none', async () => {
    expect(await callHandler(() => Promise.resolve({ erpId: '42' }), delivery, 1_000)).toEqual({ ok: true, erpId: '42' });
    expect(await callHandler(() => Promise.resolve(), delivery, 1_000)).toEqual({ ok: true, erpId: null });
    expect(await callHandler(() => Promise.resolve({ erpId: '' }), delivery, 1_000)).toEqual({ ok: true, erpId: null });
  });

  it('keeps the retryable flag of ERP error codes', () => {
    expect(classify(new ErpError('erp-network', 'refused'))).toEqual({ ok: false, error: { code: 'erp-network', message: 'refused' }, retryable: true });
    expect(classify(new ErpError('erp-concurrency', 'changed'))).toMatchObject({ retryable: true });
    expect(classify(new ErpError('erp-server-error', '500'))).toMatchObject({ retryable: true });
    expect(classify(new ErpError('erp-user-error', 'PO is closed'))).toEqual({ ok: false, error: { code: 'erp-user-error', message: 'PO is closed' }, retryable: false });
    expect(classify(new ErpError('erp-forbidden', 'no'))).toMatchObject({ retryable: false });
  });

  it('retries what it does not understand, with the message', () => {
    expect(classify(new TypeError('x is undefined'))).toEqual({ ok: false, error: { code: 'internal-error', message: 'x is undefined' }, retryable: true });
    expect(classify('a string')).toMatchObject({ error: { code: 'internal-error', message: 'a string' } });
    expect(classify(new Error(''))).toMatchObject({ error: { message: 'The handler failed without a message.' } });
  });

  it('turns a handler that does not answer in time into a retryable timeout and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const answer = await callHandler(
      (item) => {
        signal = item.signal;
        return new Promise(() => undefined);
      },
      delivery,
      20,
    );
    expect(answer).toMatchObject({ ok: false, retryable: true, error: { code: 'erp-timeout' } });
    expect(signal?.aborted).toBe(true);
  });
});
