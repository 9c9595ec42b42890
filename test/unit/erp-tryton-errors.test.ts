// How Tryton's JSON-RPC `error` members map to typed ErpErrors
// (server/erp/adapters/tryton/rpc.ts trytonError); payloads as trytond 6.0 sends them.
import { describe, expect, it } from 'vitest';
import { trytonError } from '../../server/erp/adapters/tryton/rpc.js';
import { ERP_ERROR_CODES, ErpError } from '../../server/erp/errors.js';

const METHOD = 'model.purchase.purchase.create';

describe('trytonError', () => {
  it('takes a UserError\'s message (and description) as the message', () => {
    const error = trytonError(METHOD, ['UserError', ['A value is required for field "Party" in "Purchase".', '', null]]);
    expect(error).toBeInstanceOf(ErpError);
    expect(error).toMatchObject({ code: 'erp-user-error', retryable: false, method: METHOD, message: 'A value is required for field "Party" in "Purchase".' });
    expect(trytonError(METHOD, ['UserError', ['Cannot delete.', 'It is posted.', null]]).message).toBe('Cannot delete. - It is posted.');
    expect(error.toSinkError()).toEqual({ code: 'erp-user-error', message: 'A value is required for field "Party" in "Purchase".' });
  });

  it('maps warnings, concurrency and login requests', () => {
    expect(trytonError(METHOD, ['UserWarning', ['w1', 'Are you sure?', '']])).toMatchObject({ code: 'erp-user-warning', message: 'Are you sure?' });
    expect(trytonError(METHOD, ['ConcurrencyException', 'Records were modified in the meanwhile'])).toMatchObject({ code: 'erp-concurrency', retryable: true });
    expect(trytonError(METHOD, ['LoginException', ['password', 'Password', 'password']]).code).toBe('erp-login-failed');
  });

  it('reports other exceptions as server errors without their traceback', () => {
    const error = trytonError('model.x.search', ["'x'", 'Traceback (most recent call last):\n  File "secret.py"']);
    expect(error).toMatchObject({ code: 'erp-server-error', retryable: true, message: "Tryton failed on model.x.search: 'x'" });
    expect(error.message).not.toContain('Traceback');
  });

  it('recognizes the SQLite backend\'s missing database', () => {
    expect(trytonError('common.db.login', ["Database '/srv/nosuch.sqlite' doesn't exist!", '']).code).toBe('erp-database-not-found');
  });

  it('survives malformed error members', () => {
    for (const member of [null, 42, [], ['UserError'], ['UserError', 'not-a-list'], { odd: true }]) {
      const error = trytonError(METHOD, member);
      expect(Object.keys(ERP_ERROR_CODES)).toContain(error.code);
      expect(error.message.length).toBeGreaterThan(0);
    }
  });
});
