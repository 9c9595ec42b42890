// The erp CLI's arguments and output (server/erp/outbox/cli-*.ts); talking to a server is in test/integration/erp-outbox-cli.test.ts.
import { describe, expect, it } from 'vitest';
import { serverUrl } from '../../server/erp/outbox/cli-client.js';
import { formatAge, formatErrors, formatStatus } from '../../server/erp/outbox/cli-format.js';
import { runCli } from '../../server/erp/outbox/cli-run.js';
import type { MapStatusView } from '../../shared/erp/outbox-wire.js';

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, (t) => out.push(t), (t) => err.push(t));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('erp CLI arguments', () => {
  it('prints the usage for help, and exits 2 for nothing, unknown commands and options', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Usage: npm run erp --') });
    expect((await run([])).code).toBe(2);
    expect(await run(['frobnicate'])).toMatchObject({ code: 2, err: expect.stringContaining('Unknown command "frobnicate"') });
    expect(await run(['status', '--verbose'])).toMatchObject({ code: 2, err: expect.stringContaining('Unknown option --verbose') });
  });

  it('checks arguments before connecting to anything', async () => {
    expect(await run(['retry'])).toMatchObject({ code: 2, err: expect.stringContaining('retry takes one item id') });
    expect(await run(['pause', 'Bad Map'])).toMatchObject({ code: 2, err: expect.stringContaining('"Bad Map" is not a map name') });
    expect(await run(['pause', 'a', 'b'])).toMatchObject({ code: 2 });
    expect(await run(['resume', 'warehouses', '--reason', 'x'])).toMatchObject({ code: 2, err: '--reason is for pause only.' });
    expect(await run(['errors', '--limit', 'many'])).toMatchObject({ code: 2 });
    expect(await run(['pause', 'warehouses', '--reason'])).toMatchObject({ code: 2, err: expect.stringContaining('--reason needs a value') });
  });

  it('needs credentials from the environment', async () => {
    expect(await run(['status'], { FIELDSTOCK_URL: 'http://127.0.0.1:1' })).toMatchObject({ code: 2, err: expect.stringContaining('Set FIELDSTOCK_ADMIN_TOKEN') });
  });
});

describe('serverUrl', () => {
  it('defaults to the local backend and drops a trailing slash', () => {
    expect(serverUrl({})).toBe('http://127.0.0.1:4310');
    expect(serverUrl({ FIELDSTOCK_URL: 'https://stock.example.com/fieldstock/' })).toBe('https://stock.example.com/fieldstock');
  });

  it.each(['ftp://host', 'not a url', 'http://admin:pw@host', 'http://host/?access_token=abc'])('refuses %j', (url) => {
    expect(() => serverUrl({ FIELDSTOCK_URL: url })).toThrow(/FIELDSTOCK_URL/);
  });
});

describe('output', () => {
  it('formats ages people read at a glance', () => {
    expect([null, 0, 4_999, 125_000, 3 * 3_600_000 + 12 * 60_000, 2 * 86_400_000 + 4 * 3_600_000].map(formatAge)).toEqual(['-', '0s', '4s', '2m 5s', '3h 12m', '2d 4h']);
  });

  it('says what an empty outbox means instead of an empty table', () => {
    expect(formatStatus({ maps: [], alertThreshold: 10 })).toMatch(/nothing has been queued/);
    expect(formatErrors([])).toMatch(/No failed ERP outbox items/);
  });

  it('shows a map in alert and points to the errors command', () => {
    const map: MapStatusView = {
      map: 'journals',
      paused: false,
      pausedAt: null,
      reason: null,
      depth: { pending: 12, 'in-flight': 1, done: 40, poison: 0 },
      retrying: 12,
      oldestPendingAgeMs: 90_000,
      lastError: { itemId: 'i-1', code: 'erp-network', message: 'ECONNREFUSED', at: '2030-01-01T00:00:00.000Z' },
      alert: true,
      handledOperations: ['create'],
    };
    const text = formatStatus({ maps: [map], alertThreshold: 10 });
    expect(text).toMatch(/^journals\s+ALERT\s+12\s+1\s+0\s+40\s+12\s+1m 30s\s+erp-network: ECONNREFUSED \(item i-1/m);
    expect(text).toContain('Alert (10 or more poison or retrying items): journals. See: npm run erp -- errors');
  });
});
