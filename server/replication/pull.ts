import type { Kysely } from 'kysely';
import type { ReplicationCheckpoint, SessionUser } from '../../shared/wire.js';
import type { Database } from '../store/tables.js';
import type { CollectionPolicy } from './registry.js';
import { readScopeCondition } from './scope.js';

export interface PullPage {
  /** The documents as stored JSON text, ready to splice into the response without re-encoding. */
  rawDocuments: string[];
  checkpoint: ReplicationCheckpoint | null;
}

/**
 * Documents changed after the checkpoint, in sequence order, in the user's
 * read scope. Sequence order equals commit order (see store/write.ts), so
 * paging by sequence never skips a change that committed late.
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
  return {
    rawDocuments: rows.map((r) => r.data),
    checkpoint: last ? { seq: last.seq } : checkpoint,
  };
}

export function pullPageJson(page: PullPage): string {
  return `{"documents":[${page.rawDocuments.join(',')}],"checkpoint":${JSON.stringify(page.checkpoint)}}`;
}

export function parseCheckpoint(raw: string | undefined): ReplicationCheckpoint | null | 'invalid' {
  if (raw === undefined || raw === '' || raw === 'null' || raw === 'undefined') return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (value === null) return null;
    if (typeof value === 'object' && value !== null && 'seq' in value) {
      const seq = (value as { seq: unknown }).seq;
      if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0) return { seq };
    }
    return 'invalid';
  } catch {
    return 'invalid';
  }
}
