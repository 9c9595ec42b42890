/**
 * The per-model create modules, by Tryton model: what a record needs before
 * Tryton accepts its create (TrytonConnector.createOnce runs the module under
 * the create's lock, only when no record carries our reference yet).
 */
import { prepareCarrier } from './carrier.js';
import { preparePaymentTerm } from './payment-term.js';
import type { PrepareCreate } from './types.js';
import { prepareWarehouse } from './warehouse.js';

const CREATES: Readonly<Record<string, PrepareCreate>> = {
  'account.invoice.payment_term': preparePaymentTerm,
  carrier: prepareCarrier,
  'stock.location': prepareWarehouse,
};

export function createModule(model: string): PrepareCreate | undefined {
  return Object.hasOwn(CREATES, model) ? CREATES[model] : undefined;
}

export type { CreateContext, PrepareCreate } from './types.js';
