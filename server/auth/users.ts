import type { Kysely } from 'kysely';
import type { Role, UpdateUserRequest, UserSummary } from '../../shared/wire.js';
import { AppError, badRequest, notFound } from '../http/errors.js';
import { idsByNaturalKey } from '../ledger/lookup.js';
import type { Database } from '../store/tables.js';
import { hashPassword } from './passwords.js';

/**
 * Administering users (the admin routes in server/admin/user-routes.ts).
 * Role and warehouse changes need no session work: every request re-reads the
 * user, and open streams re-check on their heartbeat (replication/stream.ts).
 */

/** Warehouse ids for codes; 400 unknown-warehouse naming every code that matches no warehouse. */
export async function warehouseIdsOf(db: Kysely<Database>, codes: readonly string[]): Promise<string[]> {
  const ids = await idsByNaturalKey(db, 'warehouses', codes);
  const missing = [...new Set(codes.filter((c) => !ids.has(c)))];
  if (missing.length > 0) throw new AppError(400, 'unknown-warehouse', `No warehouse has code ${missing.join(', ')}.`);
  return [...new Set(codes.map((c) => ids.get(c) as string))];
}

type UserRow = Pick<Database['users'], 'id' | 'username' | 'role' | 'warehouse_ids' | 'disabled'>;

function summaryOf(row: UserRow, codeOf: ReadonlyMap<string, string>): UserSummary {
  const ids = JSON.parse(row.warehouse_ids) as string[];
  // An id whose warehouse document is gone is shown as the id, so the admin sees it rather than nothing.
  const warehouseCodes = ids.map((id) => codeOf.get(id) ?? id).sort(byCodeUnits);
  return { id: row.id, username: row.username, role: row.role as Role, warehouseCodes, disabled: row.disabled !== 0 };
}

/** Plain code-unit order, the same on SQLite and PostgreSQL (whose collation may differ). */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function warehouseCodes(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('docs').select(['id', 'natural_key']).where('collection', '=', 'warehouses').execute();
  return new Map(rows.flatMap((r) => (r.natural_key ? [[r.id, r.natural_key] as const] : [])));
}

const USER_COLUMNS = ['id', 'username', 'role', 'warehouse_ids', 'disabled'] as const;

export async function listUsers(db: Kysely<Database>): Promise<UserSummary[]> {
  const [rows, codes] = await Promise.all([db.selectFrom('users').select(USER_COLUMNS).execute(), warehouseCodes(db)]);
  return rows.map((row) => summaryOf(row, codes)).sort((a, b) => byCodeUnits(a.username, b.username));
}

/**
 * Applies any subset of role, warehouses, disabled and password to the user named
 * `username`. `actorId` is the admin asking: they may not disable or demote their
 * own account, so there is always an admin left who can undo a mistake.
 * Disabling or a new password ends every session of the user (their tokens stop working).
 */
export async function updateUser(db: Kysely<Database>, actorId: string, username: string, changes: UpdateUserRequest): Promise<UserSummary> {
  if (Object.keys(changes).length === 0) throw badRequest('Send at least one of role, warehouseCodes, disabled or password.');
  const user = await db.selectFrom('users').select(USER_COLUMNS).where('username', '=', username).executeTakeFirst();
  if (!user) throw notFound(`There is no user "${username}".`);
  if (user.id === actorId && (changes.disabled === true || (changes.role !== undefined && changes.role !== 'admin'))) {
    throw badRequest('You cannot disable or demote your own account; another admin can.');
  }
  const warehouseIds = changes.warehouseCodes === undefined ? undefined : await warehouseIdsOf(db, changes.warehouseCodes);
  const passwordHash = changes.password === undefined ? undefined : await hashPassword(changes.password);
  const endSessions = changes.disabled === true || passwordHash !== undefined;

  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(warehouseIds !== undefined ? { warehouse_ids: JSON.stringify(warehouseIds) } : {}),
        ...(changes.disabled !== undefined ? { disabled: changes.disabled ? 1 : 0 } : {}),
        ...(passwordHash !== undefined ? { password_hash: passwordHash } : {}),
      })
      .where('id', '=', user.id)
      .execute();
    if (endSessions) {
      const sessions = trx.selectFrom('sessions').select('id').where('user_id', '=', user.id);
      await trx.deleteFrom('auth_tokens').where('session_id', 'in', sessions).execute();
      await trx.updateTable('sessions').set({ revoked_at: Date.now() }).where('user_id', '=', user.id).where('revoked_at', 'is', null).execute();
    }
  });

  const updated = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', user.id).executeTakeFirstOrThrow();
  return summaryOf(updated, await warehouseCodes(db));
}
