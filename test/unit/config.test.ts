// Configuration from the environment (server/config.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { tempDir } from '../helpers/tmp.js';

describe('loadConfig', () => {
  it('has the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4310);
    expect(config.dataDir).toBe(path.resolve('.fieldstock-data'));
    expect(path.isAbsolute(config.dataDir)).toBe(true);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.adminPassword).toBeUndefined();
    expect(config.erp).toBe('none');
    expect(config.erpTimeoutMs).toBe(30_000);
    expect(config.tryton).toBeUndefined();
    expect(config.bodyLimitBytes).toBe(1024 * 1024);
    expect(config.ledger.overReceiptTolerancePercent).toBe(0);
    expect(config.auth.throttle.maxFailures).toBeGreaterThan(0);
  });

  it('does not read process.env when given an environment object', () => {
    const saved = process.env.FIELDSTOCK_PORT;
    process.env.FIELDSTOCK_PORT = '9999';
    try {
      expect(loadConfig({}).port).toBe(4310);
    } finally {
      if (saved === undefined) delete process.env.FIELDSTOCK_PORT;
      else process.env.FIELDSTOCK_PORT = saved;
    }
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      FIELDSTOCK_HOST: '0.0.0.0',
      FIELDSTOCK_PORT: '8080',
      FIELDSTOCK_DATA_DIR: '/var/lib/fieldstock',
      DATABASE_URL: 'postgres://u:p@db/fieldstock',
      FIELDSTOCK_ADMIN_PASSWORD: 'secret',
      FIELDSTOCK_ERP: 'tryton',
      FIELDSTOCK_ERP_TIMEOUT_MS: '5000',
      FIELDSTOCK_TRYTON_URL: 'http://tryton.internal:8000/',
      FIELDSTOCK_TRYTON_DATABASE: 'erp',
      FIELDSTOCK_TRYTON_USER: 'fieldstock',
      FIELDSTOCK_TRYTON_PASSWORD: 'tryton-secret',
      FIELDSTOCK_BODY_LIMIT: '2048',
      FIELDSTOCK_OVER_RECEIPT_TOLERANCE_PERCENT: '10',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/var/lib/fieldstock',
      databaseUrl: 'postgres://u:p@db/fieldstock',
      adminPassword: 'secret',
      erp: 'tryton',
      erpTimeoutMs: 5000,
      tryton: { url: 'http://tryton.internal:8000', database: 'erp', user: 'fieldstock' },
      bodyLimitBytes: 2048,
      ledger: { overReceiptTolerancePercent: 10 },
    });
    expect(config.tryton?.password.reveal()).toBe('tryton-secret');
  });

  it('treats empty values as unset', () => {
    const config = loadConfig({ FIELDSTOCK_PORT: '', DATABASE_URL: '', FIELDSTOCK_ADMIN_PASSWORD: '' });
    expect(config.port).toBe(4310);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.adminPassword).toBeUndefined();
  });

  it.each(['abc', '-1', '80.5', '4310abc', '70000', '65536', '0x1F', '1e3', ' '])('rejects FIELDSTOCK_PORT=%j with an error naming the variable', (port) => {
    expect(() => loadConfig({ FIELDSTOCK_PORT: port })).toThrow(/FIELDSTOCK_PORT/);
  });

  it('accepts the highest port', () => {
    expect(loadConfig({ FIELDSTOCK_PORT: '65535' }).port).toBe(65535);
  });

  it.each(['sap', 'Tryton', 'NONE', ' none'])('rejects FIELDSTOCK_ERP=%j with an error listing the allowed values', (erp) => {
    expect(() => loadConfig({ FIELDSTOCK_ERP: erp })).toThrow(/FIELDSTOCK_ERP must be "none" or "tryton"/);
  });

  describe('Tryton settings', () => {
    const tryton = { FIELDSTOCK_ERP: 'tryton', FIELDSTOCK_TRYTON_URL: 'http://127.0.0.1:8000', FIELDSTOCK_TRYTON_DATABASE: 'erp', FIELDSTOCK_TRYTON_USER: 'admin' };

    it('reads the password from FIELDSTOCK_TRYTON_PASSWORD_FILE without its trailing newline', () => {
      const dir = tempDir('config-secret');
      try {
        const file = path.join(dir.path, 'password');
        writeFileSync(file, 'from-file\n');
        expect(loadConfig({ ...tryton, FIELDSTOCK_TRYTON_PASSWORD_FILE: file }).tryton?.password.reveal()).toBe('from-file');
        expect(() => loadConfig({ ...tryton, FIELDSTOCK_TRYTON_PASSWORD_FILE: path.join(dir.path, 'missing') })).toThrow(/FIELDSTOCK_TRYTON_PASSWORD_FILE .* cannot be read \(ENOENT\)/);
        expect(() => loadConfig({ ...tryton, FIELDSTOCK_TRYTON_PASSWORD: 'x', FIELDSTOCK_TRYTON_PASSWORD_FILE: file })).toThrow(/not both/);
      } finally {
        dir.cleanup();
      }
    });

    it('never prints the password', () => {
      const config = loadConfig({ ...tryton, FIELDSTOCK_TRYTON_PASSWORD: 'hunter2-tryton' });
      expect(`${JSON.stringify(config)} ${inspect(config, { depth: 10 })} ${String(config.tryton?.password)}`).not.toContain('hunter2-tryton');
    });

    it('names every missing setting when FIELDSTOCK_ERP=tryton', () => {
      expect(() => loadConfig({ FIELDSTOCK_ERP: 'tryton', FIELDSTOCK_TRYTON_URL: 'http://127.0.0.1:8000' })).toThrow(
        'Tryton settings missing: FIELDSTOCK_TRYTON_DATABASE, FIELDSTOCK_TRYTON_USER, FIELDSTOCK_TRYTON_PASSWORD or FIELDSTOCK_TRYTON_PASSWORD_FILE',
      );
    });

    it.each(['tryton.internal:8000', 'ftp://tryton', 'http://admin:pw@tryton:8000', 'http://tryton:8000/?db=x'])('rejects FIELDSTOCK_TRYTON_URL=%j', (url) => {
      expect(() => loadConfig({ ...tryton, FIELDSTOCK_TRYTON_PASSWORD: 'pw', FIELDSTOCK_TRYTON_URL: url })).toThrow(/FIELDSTOCK_TRYTON_URL/);
    });

    it.each(['0', 'abc', '600001'])('rejects FIELDSTOCK_ERP_TIMEOUT_MS=%j', (value) => {
      expect(() => loadConfig({ FIELDSTOCK_ERP_TIMEOUT_MS: value })).toThrow(/FIELDSTOCK_ERP_TIMEOUT_MS/);
    });
  });

  it('rejects a non-numeric body limit', () => {
    expect(() => loadConfig({ FIELDSTOCK_BODY_LIMIT: '1MB' })).toThrow(/FIELDSTOCK_BODY_LIMIT/);
  });
});
