// The Tryton JSON-RPC client against a real trytond (test/helpers/tryton): session
// login and context, re-login after the server lost its sessions, typed errors,
// timeouts and unreachable servers, and that no secret leaks into errors.
import { inspect } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import { ErpError } from '../../server/erp/errors.js';
import { Secret } from '../../server/erp/secret.js';
import { describeIfTryton } from '../helpers/tryton/describe.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';

async function caught(promise: Promise<unknown>): Promise<ErpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ErpError) return error;
    throw error;
  }
  throw new Error('expected an ErpError, got a result');
}

describeIfTryton('Tryton JSON-RPC client', () => {
  const tryton = useTrytonServer();
  const clients: TrytonRpc[] = [];
  const client = (overrides: Parameters<typeof tryton.rpcOptions>[0] = {}): TrytonRpc => {
    const rpc = new TrytonRpc(tryton.rpcOptions(overrides));
    clients.push(rpc);
    return rpc;
  };

  afterEach(async () => {
    tryton.resume();
    if (!tryton.running) await tryton.start();
    await Promise.all(clients.splice(0).map((c) => c.logout()));
  });

  it('logs in once, fetches the user context once and sends it with every call', async () => {
    const rpc = client();
    expect(await rpc.version()).toMatch(/^6\.0\./);
    const context = await rpc.context();
    expect(context.language).toBe('en');
    expect(Array.isArray(context.groups)).toBe(true);

    const [admin] = (await rpc.model('res.user', 'search_read', [[['login', '=', 'admin']], 0, 1, null, ['login', 'language']])) as { login: string }[];
    expect(admin?.login).toBe('admin');
    // The context travels with the call: a per-call addition is honoured (inactive records are found only with active_test false).
    const [partyId] = (await rpc.model('party.party', 'create', [[{ name: 'Dormant' }]])) as number[];
    await rpc.model('party.party', 'write', [[partyId ?? 0], { active: false }]);
    expect(await rpc.model('party.party', 'search', [[['id', '=', partyId ?? 0]]])).toEqual([]);
    expect(await rpc.model('party.party', 'search', [[['id', '=', partyId ?? 0]]], { active_test: false })).toEqual([partyId]);
    expect(rpc.stats).toMatchObject({ logins: 1, relogins: 0 });
  });

  it('logs in again, once, when the server no longer knows the session (reset: HTTP 401)', async () => {
    const rpc = client();
    await rpc.model('res.user', 'search', [[]]);
    expect(rpc.stats.logins).toBe(1);

    await tryton.reset();
    const [one, two] = await Promise.all([rpc.model('res.user', 'search', [[['login', '=', 'admin']]]), rpc.model('party.party', 'search', [[]])]);
    expect((one as number[]).length).toBe(1);
    expect(two).toEqual([]);
    // Two calls got 401 at the same time; one login served both.
    expect(rpc.stats).toMatchObject({ logins: 2, relogins: 1 });
  });

  it('maps a Tryton UserError to erp-user-error with Tryton\'s message', async () => {
    const rpc = client();
    const error = await caught(rpc.model('ir.model.access', 'create', [[{}]]));
    expect(error.code).toBe('erp-user-error');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('A value is required for field "Model" in "Model access".');
    expect(error.method).toBe('model.ir.model.access.create');
  });

  it('maps an unknown model to erp-server-error without the traceback', async () => {
    const error = await caught(client().model('no.such.model', 'search', [[]]));
    expect(error.code).toBe('erp-server-error');
    expect(error.message).toContain('model.no.such.model.search');
    expect(error.message).not.toContain('Traceback');
  });

  it('refuses a wrong password with erp-login-failed, and never shows the password', async () => {
    const password = 'wrong-secret-9f8e7d';
    const error = await caught(client({ password: new Secret(password) }).context());
    expect(error.code).toBe('erp-login-failed');
    expect(error.retryable).toBe(false);
    expect(`${error.message} ${inspect(error)} ${JSON.stringify(error)}`).not.toContain(password);
  });

  it('keeps the password and the session key out of inspect(), JSON and errors', async () => {
    const rpc = client();
    await rpc.context();
    const error = await caught(rpc.model('ir.model.access', 'create', [[{}]]));
    const printed = `${inspect(rpc, { depth: 10, showHidden: true })} ${JSON.stringify(rpc)} ${inspect(error, { depth: 10 })} ${JSON.stringify(tryton.rpcOptions())}`;
    expect(printed).not.toContain(tryton.password.reveal());
    expect(printed).not.toMatch(/Session [A-Za-z0-9+/=]{20,}/);
  });

  it('reports a stopped server as erp-network (retryable), and works again after it restarts', async () => {
    const rpc = client();
    await rpc.context();
    await tryton.stop();
    const error = await caught(rpc.model('res.user', 'search', [[]]));
    expect(error.code).toBe('erp-network');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/cannot reach Tryton at http:\/\/127\.0\.0\.1:\d+ for model\.res\.user\.search: ECONNREFUSED/);

    await tryton.start();
    expect(((await rpc.model('res.user', 'search', [[]])) as number[]).length).toBeGreaterThan(0);
  });

  it('gives up on a server that accepts but does not answer with erp-timeout', async () => {
    // A fresh client: its first exchange (the login) meets the frozen server, so no warm-up call races the short timeout.
    tryton.pause();
    const error = await caught(client({ timeoutMs: 300 }).model('res.user', 'search', [[]]));
    expect(error.code).toBe('erp-timeout');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/^Tryton at http:\/\/127\.0\.0\.1:\d+ did not answer common\.db\.login within 300 ms/);
  });

  it('reports a missing database as erp-database-not-found', async () => {
    const error = await caught(client({ database: 'nosuchdb' }).context());
    expect(error.code).toBe('erp-database-not-found');
    expect(error.message).toContain('nosuchdb');
  });
});

describeIfTryton('Tryton JSON-RPC client against login rate limiting', () => {
  // After one failed attempt logins answer 429; attempts (each 429 adds one) count for 3 s,
  // so a retry waits longer than that to get through.
  const tryton = useTrytonServer({ extraConfig: '[session]\nmax_attempt = 0\ntimeout = 3\n' });

  it('backs off on 429 and logs in once the attempts expire; without waits left it fails with erp-rate-limited', async () => {
    const wrong = new TrytonRpc(tryton.rpcOptions({ password: new Secret('not-it') }));
    expect((await caught(wrong.context())).code).toBe('erp-login-failed');

    const impatient = new TrytonRpc(tryton.rpcOptions({ loginBackoffMs: [] }));
    const limited = await caught(impatient.context());
    expect(limited.code).toBe('erp-rate-limited');
    expect(limited.retryable).toBe(true);

    const patient = new TrytonRpc(tryton.rpcOptions({ loginBackoffMs: [3_500, 3_500] }));
    expect((await patient.context()).language).toBe('en');
    expect(patient.stats.rateLimited).toBeGreaterThanOrEqual(1);
    expect(patient.stats.logins).toBe(1);
    await patient.logout();
  });
});
