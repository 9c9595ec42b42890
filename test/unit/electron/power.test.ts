import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventChannel } from '../../../shared/ipc.js';
import { watchPowerAndNetwork, type PowerMonitorLike } from '../../../electron/main/power.js';

function fakePowerMonitor() {
  const listeners = new Set<() => void>();
  const monitor: PowerMonitorLike = {
    on: (_event, listener) => listeners.add(listener),
    removeListener: (_event, listener) => listeners.delete(listener),
  };
  return { monitor, listeners, resume: () => listeners.forEach((l) => l()) };
}

describe('power and network signals', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function start(initiallyOnline = true) {
    const power = fakePowerMonitor();
    const sent: EventChannel[] = [];
    let online = initiallyOnline;
    const stop = watchPowerAndNetwork({
      powerMonitor: power.monitor,
      isOnline: () => online,
      broadcast: (channel) => sent.push(channel),
      intervalMs: 1_000,
    });
    return { power, sent, stop, setOnline: (value: boolean) => (online = value) };
  }

  it('sends platform:resume when the machine wakes up', () => {
    const { power, sent } = start();
    power.resume();
    expect(sent).toEqual(['platform:resume']);
  });

  it('sends platform:offline then platform:online as connectivity changes', () => {
    const { sent, setOnline } = start(true);
    setOnline(false);
    vi.advanceTimersByTime(1_000);
    setOnline(true);
    vi.advanceTimersByTime(1_000);
    expect(sent).toEqual(['platform:offline', 'platform:online']);
  });

  it('sends nothing while connectivity stays the same', () => {
    const { sent } = start(true);
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([]);
  });

  it('re-checks the network at once on resume', () => {
    const { power, sent, setOnline } = start(true);
    setOnline(false);
    power.resume();
    expect(sent).toEqual(['platform:resume', 'platform:offline']);
  });

  it('stops listening and sampling when stopped', () => {
    const { power, sent, stop, setOnline } = start(true);
    stop();
    setOnline(false);
    vi.advanceTimersByTime(5_000);
    expect(power.listeners.size).toBe(0);
    expect(sent).toEqual([]);
  });
});
