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

  describe('inbound ERP sync', () => {
    it('has the documented defaults, with the maps under config/erp-maps/<adapter>', () => {
      expect(loadConfig({}).erpSync).toEqual({ mapsDir: path.resolve('config', 'erp-maps', 'none'), intervalMs: 30_000, overlapMs: 5_000, reconcileIntervalMs: 600_000 });
      expect(loadConfig({ FIELDSTOCK_ERP: 'tryton', FIELDSTOCK_TRYTON_URL: 'http://127.0.0.1:8000', FIELDSTOCK_TRYTON_DATABASE: 'erp', FIELDSTOCK_TRYTON_USER: 'a', FIELDSTOCK_TRYTON_PASSWORD: 'p' }).erpSync.mapsDir).toBe(
        path.resolve('config', 'erp-maps', 'tryton'),
      );
    });

    it('reads FIELDSTOCK_ERP_SYNC_INTERVAL_MS, FIELDSTOCK_ERP_SYNC_OVERLAP_MS, FIELDSTOCK_ERP_RECONCILE_INTERVAL_MS and FIELDSTOCK_ERP_MAPS_DIR', () => {
      const config = loadConfig({
        FIELDSTOCK_ERP_SYNC_INTERVAL_MS: '0',
        FIELDSTOCK_ERP_SYNC_OVERLAP_MS: '1500',
        FIELDSTOCK_ERP_RECONCILE_INTERVAL_MS: '60000',
        FIELDSTOCK_ERP_MAPS_DIR: '/etc/fieldstock/maps',
      });
      expect(config.erpSync).toEqual({ mapsDir: '/etc/fieldstock/maps', intervalMs: 0, overlapMs: 1500, reconcileIntervalMs: 60_000 });
    });

    it.each([
      ['FIELDSTOCK_ERP_SYNC_INTERVAL_MS', '-5'],
      ['FIELDSTOCK_ERP_SYNC_OVERLAP_MS', '5s'],
      ['FIELDSTOCK_ERP_SYNC_OVERLAP_MS', '86400001'],
      ['FIELDSTOCK_ERP_RECONCILE_INTERVAL_MS', '1e3'],
    ])('rejects %s=%j with an error naming the variable', (name, value) => {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
    });
  });

  describe('ERP inventory levels', () => {
    it('runs every 5 minutes by default, at FIELDSTOCK_ERP_LEVELS_INTERVAL_MS when set, and never on the timer with 0', () => {
      expect(loadConfig({}).erpLevels).toEqual({ intervalMs: 300_000 });
      expect(loadConfig({ FIELDSTOCK_ERP_LEVELS_INTERVAL_MS: '60000' }).erpLevels).toEqual({ intervalMs: 60_000 });
      expect(loadConfig({ FIELDSTOCK_ERP_LEVELS_INTERVAL_MS: '0' }).erpLevels).toEqual({ intervalMs: 0 });
    });

    it.each(['-1', '5m', '1e3'])('rejects FIELDSTOCK_ERP_LEVELS_INTERVAL_MS=%j with an error naming the variable', (value) => {
      expect(() => loadConfig({ FIELDSTOCK_ERP_LEVELS_INTERVAL_MS: value })).toThrow(/FIELDSTOCK_ERP_LEVELS_INTERVAL_MS/);
    });
  });

  describe('ERP outbox settings', () => {
    it('has the documented defaults', () => {
      expect(loadConfig({}).erpOutbox).toEqual({
        intervalMs: 5_000,
        batchSize: 20,
        maxAttempts: 20,
        backoffBaseMs: 2_000,
        backoffFactor: 2,
        backoffMaxMs: 600_000,
        leaseMs: 300_000,
        alertThreshold: 10,
      });
    });

    it('reads every FIELDSTOCK_ERP_OUTBOX_* variable', () => {
      const config = loadConfig({
        FIELDSTOCK_ERP_OUTBOX_INTERVAL_MS: '0',
        FIELDSTOCK_ERP_OUTBOX_BATCH: '5',
        FIELDSTOCK_ERP_OUTBOX_MAX_ATTEMPTS: '3',
        FIELDSTOCK_ERP_OUTBOX_BACKOFF_BASE_MS: '500',
        FIELDSTOCK_ERP_OUTBOX_BACKOFF_FACTOR: '3',
        FIELDSTOCK_ERP_OUTBOX_BACKOFF_MAX_MS: '9000',
        FIELDSTOCK_ERP_OUTBOX_LEASE_MS: '45000',
        FIELDSTOCK_ERP_OUTBOX_ALERT_THRESHOLD: '1',
      });
      expect(config.erpOutbox).toEqual({ intervalMs: 0, batchSize: 5, maxAttempts: 3, backoffBaseMs: 500, backoffFactor: 3, backoffMaxMs: 9000, leaseMs: 45_000, alertThreshold: 1 });
    });

    it.each([
      ['FIELDSTOCK_ERP_OUTBOX_BATCH', '0'],
      ['FIELDSTOCK_ERP_OUTBOX_BATCH', '1001'],
      ['FIELDSTOCK_ERP_OUTBOX_MAX_ATTEMPTS', '0'],
      ['FIELDSTOCK_ERP_OUTBOX_BACKOFF_BASE_MS', '-5'],
      ['FIELDSTOCK_ERP_OUTBOX_BACKOFF_FACTOR', '1.5'],
      ['FIELDSTOCK_ERP_OUTBOX_ALERT_THRESHOLD', 'ten'],
      ['FIELDSTOCK_ERP_OUTBOX_INTERVAL_MS', '5s'],
    ])('rejects %s=%j with an error naming it', (name, value) => {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
    });

    it('refuses a backoff maximum below its base, and a lease no longer than an ERP call', () => {
      expect(() => loadConfig({ FIELDSTOCK_ERP_OUTBOX_BACKOFF_BASE_MS: '5000', FIELDSTOCK_ERP_OUTBOX_BACKOFF_MAX_MS: '1000' })).toThrow(/BACKOFF_MAX_MS \(1000\) must be at least/);
      expect(() => loadConfig({ FIELDSTOCK_ERP_OUTBOX_LEASE_MS: '30000' })).toThrow(/LEASE_MS \(30000\) must be longer than FIELDSTOCK_ERP_TIMEOUT_MS \(30000\)/);
      expect(loadConfig({ FIELDSTOCK_ERP_OUTBOX_LEASE_MS: '30000', FIELDSTOCK_ERP_TIMEOUT_MS: '10000' }).erpOutbox.leaseMs).toBe(30_000);
    });
  });

  it('rejects a non-numeric body limit', () => {
    expect(() => loadConfig({ FIELDSTOCK_BODY_LIMIT: '1MB' })).toThrow(/FIELDSTOCK_BODY_LIMIT/);
  });
});
