/**
 * `FIELDSTOCK_ERP=tryton`: Tryton 6.0 over JSON-RPC, configured by
 * FIELDSTOCK_TRYTON_URL/DATABASE/USER/PASSWORD(_FILE) and FIELDSTOCK_ERP_TIMEOUT_MS.
 */
import type { ErpAdapter } from '../../connector.js';
import { ErpError } from '../../errors.js';
import { TrytonConnector } from './connector.js';

export const adapter: ErpAdapter = {
  name: 'tryton',
  description: 'Tryton ERP over JSON-RPC (session login, typed values, idempotent creates by reference)',
  create({ config }) {
    const settings = config.tryton;
    if (!settings) throw new ErpError('erp-config', 'FIELDSTOCK_ERP=tryton needs FIELDSTOCK_TRYTON_URL, FIELDSTOCK_TRYTON_DATABASE, FIELDSTOCK_TRYTON_USER and FIELDSTOCK_TRYTON_PASSWORD(_FILE)');
    return new TrytonConnector({ ...settings, timeoutMs: config.erpTimeoutMs });
  },
};
