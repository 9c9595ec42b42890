// The ERP adapter registry (server/erp/registry.ts): adapters are the folders of
// server/erp/adapters/, loaded by name; anything else is refused with the list.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { ErpError } from '../../server/erp/errors.js';
import { assertErpAdapterName, createErpConnector, describeAdapterNames, erpAdapterNames, loadErpAdapter } from '../../server/erp/registry.js';
import { noneSink } from '../../server/ledger/aggregation/sink.js';
import { tempDir } from '../helpers/tmp.js';

async function rejection(promise: Promise<unknown>): Promise<ErpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ErpError) return error;
    throw error;
  }
  throw new Error('expected an ErpError');
}

describe('ERP adapter registry', () => {
  const scratch = tempDir('erp-adapters');
  afterAll(() => scratch.cleanup());

  it('lists the adapter folders', () => {
    expect(erpAdapterNames()).toEqual(['none', 'tryton']);
  });

  it('lists a new folder with an index module without any other change, and ignores folders without one or with odd names', () => {
    for (const name of ['odoo', 'empty', 'Bad_Name']) mkdirSync(join(scratch.path, name));
    writeFileSync(join(scratch.path, 'odoo', 'index.ts'), 'export const adapter = {};\n');
    writeFileSync(join(scratch.path, 'Bad_Name', 'index.ts'), 'export const adapter = {};\n');
    expect(erpAdapterNames(scratch.path)).toEqual(['odoo']);
  });

  it.each(['sap', 'odoo', 'Tryton', '../tryton', 'tryton/../none', '', ' none'])('refuses the adapter %j with the available ones', async (name) => {
    const error = await rejection(loadErpAdapter(name));
    expect(error.code).toBe('erp-config');
    expect(error.message).toContain('must be "none" or "tryton"');
    expect(error.message).toContain(`not "${name}"`);
  });

  it('names the configuration variable when config checks the name', () => {
    expect(() => assertErpAdapterName('sap')).toThrow('FIELDSTOCK_ERP must be "none" or "tryton", not "sap"');
    expect(describeAdapterNames(['none', 'odoo', 'tryton'])).toBe('"none", "odoo" or "tryton"');
  });

  it('loads "none": no ERP, journals post locally, writes are refused with a clear code', async () => {
    const connector = await createErpConnector(loadConfig({}), {});
    expect(connector).toMatchObject({ name: 'none', external: false });
    expect(connector.journals).toBe(noneSink);
    expect(await connector.readIds('stock.location')).toEqual([]);
    const page = await connector.readChanges('stock.location', { fields: [], cursor: null, overlapMs: 0, limit: 10 });
    expect(page).toMatchObject({ records: [], caughtUp: true });
    const error = await rejection(connector.createOnce('stock.location', 'W1', {}));
    expect(error).toMatchObject({ code: 'erp-not-configured', retryable: false });
  });

  it('loads "tryton" and builds a connector from the settings without calling the server', async () => {
    const env = { FIELDSTOCK_ERP: 'tryton', FIELDSTOCK_TRYTON_URL: 'http://127.0.0.1:9/', FIELDSTOCK_TRYTON_DATABASE: 'db', FIELDSTOCK_TRYTON_USER: 'admin', FIELDSTOCK_TRYTON_PASSWORD: 'pw' };
    const adapter = await loadErpAdapter('tryton');
    expect(adapter.name).toBe('tryton');
    const connector = await createErpConnector(loadConfig(env), env);
    expect(connector).toMatchObject({ name: 'tryton', external: true });
    // Port 9 (discard) is closed here: the first call is the first network use.
    const error = await rejection(connector.check());
    expect(error.code).toBe('erp-network');
    expect(error.message).toContain('http://127.0.0.1:9');
  });

  it('refuses to build the tryton connector without its settings', async () => {
    const adapter = await loadErpAdapter('tryton');
    expect(() => adapter.create({ config: loadConfig({}), env: {} })).toThrow(/FIELDSTOCK_ERP=tryton needs FIELDSTOCK_TRYTON_URL/);
  });
});
