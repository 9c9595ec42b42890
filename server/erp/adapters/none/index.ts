/**
 * `FIELDSTOCK_ERP=none`: no ERP. Fieldstock is the master of every record, so
 * there is nothing to read from an ERP, and ERP journals post locally (the
 * ledger's noneSink walks their lines to `posted` at once). Asking it to write
 * to an ERP is a configuration mistake and says so.
 */
import type { ErpAdapter, ErpConnector } from '../../connector.js';
import { ErpError } from '../../errors.js';
import { noneSink } from '../../../ledger/aggregation/sink.js';

function notConfigured(what: string): Promise<never> {
  return Promise.reject(new ErpError('erp-not-configured', `${what}: no ERP is configured (FIELDSTOCK_ERP=none), Fieldstock is the master`));
}

const connector: ErpConnector = {
  name: 'none',
  external: false,
  journals: noneSink,
  check: () => Promise.resolve({ version: 'none' }),
  // No ERP holds records, so every sweep is immediately caught up.
  readChanges: (_model, query) => Promise.resolve({ records: [], cursor: query.cursor ?? '', caughtUp: true }),
  readIds: () => Promise.resolve([]),
  read: () => Promise.resolve([]),
  findByReference: () => Promise.resolve(undefined),
  createOnce: (model) => notConfigured(`create ${model}`),
  update: (model) => notConfigured(`update ${model}`),
  close: () => Promise.resolve(),
};

export const adapter: ErpAdapter = {
  name: 'none',
  description: 'No ERP: Fieldstock is the master; journals post locally',
  create: () => connector,
};
