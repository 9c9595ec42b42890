/**
 * Tells the renderer when to resync: on resume from sleep, and when the
 * machine goes on or off the network. Main has no connectivity event, so the
 * state is sampled (cheap: net.isOnline reads a cached flag) and only changes
 * are sent. A resume also re-samples at once, since the network state after
 * sleep is often different.
 */
import type { EventChannel } from '../../shared/ipc.js';

export interface PowerMonitorLike {
  on(event: 'resume', listener: () => void): unknown;
  removeListener(event: 'resume', listener: () => void): unknown;
}

export interface PowerWatchOptions {
  powerMonitor: PowerMonitorLike;
  isOnline: () => boolean;
  /** Sends an event to every app window. */
  broadcast: (channel: EventChannel) => void;
  intervalMs?: number;
}

/** Starts watching; the returned function stops it. */
export function watchPowerAndNetwork(options: PowerWatchOptions): () => void {
  const { powerMonitor, isOnline, broadcast } = options;
  let online = isOnline();

  const sample = () => {
    const now = isOnline();
    if (now === online) return;
    online = now;
    broadcast(now ? 'platform:online' : 'platform:offline');
  };
  const onResume = () => {
    broadcast('platform:resume');
    sample();
  };

  powerMonitor.on('resume', onResume);
  const timer = setInterval(sample, options.intervalMs ?? 5_000);
  // Never the reason the process stays alive.
  timer.unref();

  return () => {
    clearInterval(timer);
    powerMonitor.removeListener('resume', onResume);
  };
}
