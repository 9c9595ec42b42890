import type { Kysely } from 'kysely';
import type { Database } from '../../store/tables.js';
/** What the outbox gauges show, per map (only what still waits: done items are counted by the deliveries counter). */
export interface OutboxGaugeSnapshot {
    maps: {
        map: string;
        depth: {
            pending: number;
            'in-flight': number;
            poison: number;
        };
        retrying: number;
        /** null: nothing waits. */
        oldestPendingAgeSeconds: number | null;
        alert: boolean;
    }[];
}
/**
 * Reads the snapshot from the store; one read serves all outbox gauges of
 * a scrape (each gauge's collect asks, within a second of each other).
 */
export declare function outboxGaugeSource(db: Kysely<Database>, alertThreshold: number, now?: () => number): () => Promise<OutboxGaugeSnapshot>;
