export interface AggregationTimer {
  /** Stops the timer and waits for a run in progress, so the store can close after it. */
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` (0: never), one run at a time: the next run is
 * scheduled when the previous one ends, so a slow run never overlaps itself.
 * A failed run is reported to `onError` and the timer goes on; nothing here
 * may crash the server.
 */
export function startAggregationTimer(intervalMs: number, run: () => Promise<unknown>, onError: (error: unknown) => void): AggregationTimer {
  if (intervalMs <= 0) return { stop: () => Promise.resolve() };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
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
        schedule();
      });
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
