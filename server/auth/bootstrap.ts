import { randomBytes } from 'node:crypto';
import type { AuthService } from './service.js';
import type { Store } from '../store/open.js';

/**
 * A new store gets an `admin` user. Its password comes from
 * FIELDSTOCK_ADMIN_PASSWORD, or is generated and returned so it is printed
 * once to the console (never to the logs).
 */
export async function ensureAdmin(store: Store, auth: AuthService, password: string | undefined): Promise<string | undefined> {
  const existing = await store.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirst();
  if (existing) return undefined;
  const chosen = password ?? randomBytes(15).toString('base64url');
  await auth.createUser({ username: 'admin', password: chosen, role: 'admin', warehouseCodes: [] }, []);
  return password ? undefined : chosen;
}
