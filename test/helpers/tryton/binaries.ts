/**
 * Where Debian's Tryton lives. Run by path: the python3 on PATH may be a
 * separate interpreter that cannot see Debian's Python packages, and the
 * scripts' shebang points at the right one (/usr/bin/python3).
 */
import { existsSync } from 'node:fs';

export const TRYTOND = process.env.FIELDSTOCK_TEST_TRYTOND ?? '/usr/bin/trytond';
export const TRYTOND_ADMIN = process.env.FIELDSTOCK_TEST_TRYTOND_ADMIN ?? '/usr/bin/trytond-admin';

/** Why Tryton tests cannot run here, or undefined when they can. */
export function trytonUnavailableReason(): string | undefined {
  const missing = [TRYTOND, TRYTOND_ADMIN].filter((file) => !existsSync(file));
  if (missing.length === 0) return undefined;
  return `${missing.join(' and ')} not found (apt-get install --no-install-recommends tryton-server tryton-modules-stock tryton-modules-purchase tryton-modules-stock-lot tryton-modules-carrier; .ci/run does)`;
}
