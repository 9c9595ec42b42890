import type { Kysely } from 'kysely';
import type { ReplicationCheckpoint, SessionUser } from '../../shared/wire.js';
import type { Database } from '../store/tables.js';
import type { CollectionPolicy } from './registry.js';
import { readScopeCondition, scopeFingerprint } from './scope.js';

export interface PullPage {
  /** The documents as stored JSON text, ready to splice into the response without re-encoding. */
  rawDocuments: string[];
  checkpoint: ReplicationCheckpoint | null;
}

/**
 * Documents changed after the checkpoint, in sequence order, in the user's
 * read scope. Sequence order equals commit order (see store/write.ts), so
 * paging by sequence never skips a change that committed late. The checkpoint
 * returned carries the fingerprint of the scope it was read under.
 */
export async function pullPage(
  db: Kysely<Database>,
  policy: CollectionPolicy,
  user: SessionUser,
  checkpoint: ReplicationCheckpoint | null,
  limit: number,
): Promise<PullPage> {
  let query = db
    .selectFrom('docs')
    .select(['seq', 'data'])
    .where('collection', '=', policy.name)
    .where('seq', '>', checkpoint?.seq ?? 0);
  const scope = readScopeCondition(policy, user);
  if (scope) query = query.where(scope);
  const rows = await query.orderBy('seq').limit(limit).execute();
  const last = rows[rows.length - 1];
  const seq = last?.seq ?? checkpoint?.seq;
  return {
    rawDocuments: rows.map((r) => r.data),
    checkpoint: seq === undefined ? null : { seq, scope: scopeFingerprint(policy, user) },
  };
}

export function pullPageJson(page: PullPage): string {
  return `{"documents":[${page.rawDocuments.join(',')}],"checkpoint":${JSON.stringify(page.checkpoint)}}`;
}

/** A checkpoint's scope is a fingerprint (replication/scope.ts): short, but leave room to change its form. */
const SCOPE_MAX_LENGTH = 64;

export function parseCheckpoint(raw: string | undefined): ReplicationCheckpoint | null | 'invalid' {
  if (raw === undefined || raw === '' || raw === 'null' || raw === 'undefined') return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value) || !('seq' in value)) return 'invalid';
    const { seq, scope } = value as { seq: unknown; scope?: unknown };
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return 'invalid';
    if (scope === undefined) return { seq };
    if (typeof scope !== 'string' || scope.length > SCOPE_MAX_LENGTH) return 'invalid';
    return { seq, scope };
  } catch {
    return 'invalid';
  }
}

/**
 * Where a client's pull resumes. A checkpoint taken under another scope than the
 * caller's current one (an admin changed their warehouses or role) starts over, so
 * the documents the new scope allows arrive even though they changed long before
 * the checkpoint; the client applies the ones it already has as no-ops. A
 * checkpoint without a scope (built by hand, or from before scopes existed) is
 * taken as it is.
 */
export function resumeFrom(checkpoint: ReplicationCheckpoint | null, currentScope: string): ReplicationCheckpoint | null {
  if (checkpoint?.scope === undefined || checkpoint.scope === currentScope) return checkpoint;
  // { seq: 0 } rather than null: the answer then carries a checkpoint in the new scope even when it is empty.
  return { seq: 0 };
}
