import { createHash } from 'node:crypto';
import type { ExpressionBuilder } from 'kysely';
import type { SessionUser } from '../../shared/wire.js';
import type { Database } from '../store/tables.js';
import type { StoredDoc } from '../store/write.js';
import type { CollectionPolicy } from './registry.js';

/** The fingerprint of "everything": admins, and collections every signed-in user reads. */
export const WHOLE_SCOPE = 'all';

/**
 * A short, stable fingerprint of what a user may read: their id (they read the
 * documents they wrote), role and sorted warehouses. Checkpoints carry it, so a
 * pull can tell that the caller's scope changed since and start over.
 */
export function userScopeFingerprint(user: SessionUser): string {
  if (user.role === 'admin') return WHOLE_SCOPE;
  const warehouses = [...new Set(user.warehouseIds)].sort();
  return createHash('sha256').update(JSON.stringify([user.id, user.role, warehouses])).digest('base64url').slice(0, 16);
}

/** The fingerprint for one collection: collections everyone reads never need to start over. */
export function scopeFingerprint(policy: CollectionPolicy, user: SessionUser): string {
  return policy.readScope === 'all' ? WHOLE_SCOPE : userScopeFingerprint(user);
}

/** The read-scope condition on `docs` for a user and collection, or undefined when everything is visible. */
export function readScopeCondition(policy: CollectionPolicy, user: SessionUser) {
  if (policy.readScope === 'all' || user.role === 'admin') return undefined;
  const ids = user.warehouseIds;
  return (eb: ExpressionBuilder<Database, 'docs'>) =>
    eb.or([
      ...(ids.length > 0 ? [eb('scope_a', 'in', ids), eb('scope_b', 'in', ids)] : [eb.val(false).$castTo<boolean>()]),
      eb('owner_id', '=', user.id),
    ]);
}

export function canRead(policy: CollectionPolicy, user: SessionUser, doc: Pick<StoredDoc, 'scopeA' | 'scopeB' | 'ownerId'>): boolean {
  if (policy.readScope === 'all' || user.role === 'admin') return true;
  if (doc.ownerId === user.id) return true;
  return inScope(user, doc.scopeA) || inScope(user, doc.scopeB);
}

export function inScope(user: SessionUser, warehouseId: string | null | undefined): boolean {
  if (!warehouseId) return false;
  return user.role === 'admin' || user.warehouseIds.includes(warehouseId);
}

