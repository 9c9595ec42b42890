import type { ExpressionBuilder } from 'kysely';
import type { SessionUser } from '../../shared/wire.js';
import type { Database } from '../store/tables.js';
import type { CollectionPolicy } from './registry.js';
import type { StoredDoc } from '../store/write.js';

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

