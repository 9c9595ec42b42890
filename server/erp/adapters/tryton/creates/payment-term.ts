/**
 * account.invoice.payment_term: Tryton 6.0 validates that a term's last line
 * is of type "remainder" (account_invoice/payment_term.py, check_remainder),
 * so a term made in Fieldstock, which knows only its name, gets that one
 * line: everything is due at once, the simplest term there is. Lines are
 * edited in Tryton; Fieldstock never writes them after the create.
 */
import type { ErpValues } from '../../../values.js';
import type { PrepareCreate } from './types.js';

export const preparePaymentTerm: PrepareCreate = async (_ctx, values): Promise<ErpValues> => {
  if (values.lines !== undefined) return values;
  return { ...values, lines: [['create', [{ type: 'remainder', sequence: 0 }]]] };
};
