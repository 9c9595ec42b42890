import type { FieldstockPlatform, PlatformEvent, StoredSession } from '../../../shared/platform.js';

/** The platform API in memory, for sync and session tests in Node: events are raised by the test. */
export interface MemoryPlatform extends FieldstockPlatform {
  session: StoredSession | null;
  /** Every session saved, in order (refresh tokens rotate). */
  saved: StoredSession[];
  emit(event: PlatformEvent): void;
  listenerCount(event: PlatformEvent): number;
}

export function memoryPlatform(initial: StoredSession | null = null): MemoryPlatform {
  const listeners = new Map<PlatformEvent, Set<() => void>>();
  const platform: MemoryPlatform = {
    session: initial,
    saved: [],
    async info() {
      return { platform: 'web', version: 'test' };
    },
    async saveSession(session) {
      platform.session = { ...session };
      platform.saved.push({ ...session });
    },
    async loadSession() {
      return platform.session ? { ...platform.session } : null;
    },
    async clearSession() {
      platform.session = null;
    },
    async currentPosition() {
      return null;
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    async exportFile() {},
    async printPage() {},
    emit(event) {
      for (const listener of [...(listeners.get(event) ?? [])]) listener();
    },
    listenerCount(event) {
      return listeners.get(event)?.size ?? 0;
    },
  };
  return platform;
}
