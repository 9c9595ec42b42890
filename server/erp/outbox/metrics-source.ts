import type { Kysely } from 'kysely';
import type { Database } from '../../store/tables.js';
import { countByMap, isAlerting } from './status.js';

/** What the outbox gauges show, per map (only what still waits: done items are counted by the deliveries counter). */
export interface OutboxGaugeSnapshot {
  maps: {
    map: string;
    depth: { pending: number; 'in-flight': number; poison: number };
    retrying: number;
    /** null: nothing waits. */
    oldestPendingAgeSeconds: number | null;
    alert: boolean;
  }[];
}

/**
 * Reads the snapshot from the store. prom-client collects all gauges of a
 * scrape at once, so calls made while a read is under way share it: one
 * query per scrape, and never an answer older than the scrape.
 */
export function outboxGaugeSource(db: Kysely<Database>, alertThreshold: number, now: () => number = Date.now): () => Promise<OutboxGaugeSnapshot> {
  let reading: Promise<OutboxGaugeSnapshot> | undefined;
  return () => {
    if (reading) return reading;
    const value = read(db, alertThreshold, now()).finally(() => {
      reading = undefined;
    });
    reading = value;
    return value;
  };
}

async function read(db: Kysely<Database>, alertThreshold: number, at: number): Promise<OutboxGaugeSnapshot> {
  const counts = await countByMap(db, { includeDone: false });
  return {
    maps: [...counts.values()].map((c) => ({
      map: c.map,
      depth: { pending: c.depth.pending, 'in-flight': c.depth['in-flight'], poison: c.depth.poison },
      retrying: c.retrying,
      oldestPendingAgeSeconds: c.oldestPendingAt === null ? null : Math.max(0, at - c.oldestPendingAt) / 1000,
      alert: isAlerting(c, alertThreshold),
    })),
  };
}
