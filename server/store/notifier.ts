import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Store } from './open.js';

export const CHANGES_CHANNEL = 'fieldstock_changes';
/** Emitted with this name when any collection may have changed (missed notifications, another process). */
export const ANY_COLLECTION = '*';

/**
 * Tells live streams that a collection changed. Notifications only wake
 * subscribers up; each subscriber then reads from its own checkpoint, so a
 * lost or duplicated notification can delay a change but never lose one.
 */
export class ChangeNotifier {
  private readonly events = new EventEmitter();
  private listener: pg.Client | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private lastSeq = -1;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly pollIntervalMs = 1000,
  ) {
    this.events.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.lastSeq = await this.currentSeq();
    if (this.store.connectListener) await this.listen();
    // A cheap safety net: another process on the same SQLite file, or a
    // notification lost while the LISTEN connection was down.
    this.pollTimer = setInterval(() => void this.poll(), this.pollIntervalMs);
    this.pollTimer.unref();
  }

  /** Called after a local commit (SQLite has no LISTEN/NOTIFY). */
  committed(collections: Iterable<string>, seq: number): void {
    if (seq > this.lastSeq) this.lastSeq = seq;
    for (const c of collections) this.events.emit('change', c);
  }

  subscribe(handler: (collection: string) => void): () => void {
    this.events.on('change', handler);
    return () => this.events.off('change', handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await listener.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (!this.store.connectListener || this.closed) return;
    try {
      const client = await this.store.connectListener();
      client.on('notification', (msg) => {
        if (msg.payload) this.events.emit('change', msg.payload);
      });
      client.on('error', () => {
        if (this.listener === client) this.listener = undefined;
        void client.end().catch(() => undefined);
        setTimeout(() => void this.listen(), 1000).unref();
      });
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      this.listener = client;
      // Anything that changed while we were not listening.
      this.events.emit('change', ANY_COLLECTION);
    } catch {
      setTimeout(() => void this.listen(), 1000).unref();
    }
  }

  private async poll(): Promise<void> {
    if (this.closed || this.events.listenerCount('change') === 0) return;
    try {
      const seq = await this.currentSeq();
      if (seq > this.lastSeq) {
        this.lastSeq = seq;
        this.events.emit('change', ANY_COLLECTION);
      }
    } catch {
      // The store is unreachable; /readyz reports it. Try again on the next tick.
    }
  }

  private async currentSeq(): Promise<number> {
    const row = await this.store.db.selectFrom('change_counter').select('value').where('id', '=', 1).executeTakeFirst();
    return row?.value ?? 0;
  }
}
