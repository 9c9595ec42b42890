// Configuration from the environment (server/config.ts).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';

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
      bodyLimitBytes: 2048,
      ledger: { overReceiptTolerancePercent: 10 },
    });
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

  it('rejects a non-numeric body limit', () => {
    expect(() => loadConfig({ FIELDSTOCK_BODY_LIMIT: '1MB' })).toThrow(/FIELDSTOCK_BODY_LIMIT/);
  });
});
