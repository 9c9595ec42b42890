export interface AggregationTimer {
  /** Stops the timer and waits for a run in progress, so the store can close after it. */
  stop(): Promise<void>;
  /**
   * Runs now instead of at the next tick (after the run in progress, when
   * there is one; several wakes meanwhile make one run). Does nothing when
   * the timer is off (interval 0) or stopped.
   */
  wake(): void;
}

/**
 * Runs `run` every `intervalMs` (0: never), one run at a time: the next run is
 * scheduled when the previous one ends, so a slow run never overlaps itself.
 * A failed run is reported to `onError` and the timer goes on; nothing here
 * may crash the server.
 */
export function startAggregationTimer(intervalMs: number, run: () => Promise<unknown>, onError: (error: unknown) => void): AggregationTimer {
  if (intervalMs <= 0) return { stop: () => Promise.resolve(), wake: () => undefined };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let wokenWhileRunning = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(tick, intervalMs);
    // The timer alone never keeps the process alive.
    timer.unref();
  };
  const tick = () => {
    running = run()
      .then(
        () => undefined,
        (error: unknown) => {
          try {
            onError(error);
          } catch {
            // A failing logger must not stop the timer either.
          }
        },
      )
      .finally(() => {
        running = undefined;
        if (wokenWhileRunning && !stopped) {
          wokenWhileRunning = false;
          tick();
        } else schedule();
      });
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
    wake() {
      if (stopped) return;
      if (running) {
        wokenWhileRunning = true;
        return;
      }
      if (timer) clearTimeout(timer);
      tick();
    },
  };
}
