import { sql, type Kysely } from 'kysely';
import type { Database, ErpOutboxTable } from '../../store/tables.js';
import { OUTBOX_STATUSES, type MapStatusView, type OutboxItemView, type OutboxStatus } from '../../../shared/erp/outbox-wire.js';

export interface MapCounts {
  map: string;
  depth: Record<OutboxStatus, number>;
  retrying: number;
  /** created_at of the oldest pending or in-flight item. */
  oldestPendingAt: number | null;
}

const zeroDepth = (): Record<OutboxStatus, number> => ({ pending: 0, 'in-flight': 0, done: 0, poison: 0 });

/**
 * Items per map and status, read from the store (so every instance answers
 * the same). `done` is only counted when asked: it grows forever, and the
 * metrics scrape and alert check need only what still waits.
 */
export async function countByMap(db: Kysely<Database>, options: { includeDone: boolean }): Promise<Map<string, MapCounts>> {
  let query = db
    .selectFrom('erp_outbox')
    .select([
      'map_name',
      'status',
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when attempts > 0 then 1 else 0 end)`.as('failed'),
      sql<number | null>`min(created_at)`.as('oldest'),
    ])
    .groupBy(['map_name', 'status']);
  if (!options.includeDone) query = query.where('status', '<>', 'done');
  const rows = await query.execute();
  const maps = new Map<string, MapCounts>();
  for (const r of rows) {
    let entry = maps.get(r.map_name);
    if (!entry) {
      entry = { map: r.map_name, depth: zeroDepth(), retrying: 0, oldestPendingAt: null };
      maps.set(r.map_name, entry);
    }
    const status = r.status;
    if (!(OUTBOX_STATUSES as readonly string[]).includes(status)) continue;
    entry.depth[status] = Number(r.n);
    if (status === 'pending') entry.retrying = Number(r.failed ?? 0);
    if ((status === 'pending' || status === 'in-flight') && r.oldest !== null) {
      const oldest = Number(r.oldest);
      entry.oldestPendingAt = entry.oldestPendingAt === null ? oldest : Math.min(entry.oldestPendingAt, oldest);
    }
  }
  return maps;
}

/** A map raises an alert when its poison items, or its items waiting for a retry, reach the threshold. */
export function isAlerting(counts: Pick<MapCounts, 'depth' | 'retrying'>, threshold: number): boolean {
  return counts.depth.poison >= threshold || counts.retrying >= threshold;
}

/** What GET /api/v1/admin/erp/status answers per map: every map with items or a pause state, by name. */
export async function readMapStatuses(db: Kysely<Database>, options: { now: number; alertThreshold: number; handledOperations: (map: string) => string[] }): Promise<MapStatusView[]> {
  const counts = await countByMap(db, { includeDone: true });
  const states = await db.selectFrom('erp_map_state').selectAll().execute();
  const stateOf = new Map(states.map((s) => [s.map_name, s]));
  const names = [...new Set([...counts.keys(), ...stateOf.keys()])].sort();
  const views: MapStatusView[] = [];
  for (const map of names) {
    const c = counts.get(map) ?? { map, depth: zeroDepth(), retrying: 0, oldestPendingAt: null };
    const state = stateOf.get(map);
    const last = await db
      .selectFrom('erp_outbox')
      .select(['id', 'last_error_code', 'last_error_message', 'last_error_at'])
      .where('map_name', '=', map)
      .where('last_error_at', 'is not', null)
      .orderBy('last_error_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    views.push({
      map,
      paused: state?.paused === 1,
      pausedAt: state?.paused === 1 && state.paused_at !== null ? iso(state.paused_at) : null,
      reason: state?.paused === 1 ? state.reason : null,
      depth: c.depth,
      retrying: c.retrying,
      oldestPendingAgeMs: c.oldestPendingAt === null ? null : Math.max(0, options.now - c.oldestPendingAt),
      lastError:
        last && last.last_error_at !== null
          ? { itemId: last.id, code: last.last_error_code ?? 'unknown', message: last.last_error_message ?? '', at: iso(last.last_error_at) }
          : null,
      alert: isAlerting(c, options.alertThreshold),
      handledOperations: options.handledOperations(map),
    });
  }
  return views;
}

export function itemView(row: ErpOutboxTable): OutboxItemView {
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload) as unknown;
  } catch {
    payload = row.payload;
  }
  return {
    id: row.id,
    seq: Number(row.seq),
    map: row.map_name,
    operation: row.operation,
    documentId: row.document_id,
    dedupeKey: row.dedupe_key,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: iso(row.next_attempt_at),
    lastError: row.last_error_code !== null ? { code: row.last_error_code, message: row.last_error_message ?? '', at: iso(row.last_error_at ?? row.updated_at) } : null,
    erpId: row.erp_id,
    payload,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

const iso = (ms: number) => new Date(Number(ms)).toISOString();
