/**
 * Exponential backoff shared by every request of one sync engine: when the
 * server is unreachable, all nine collections fail together, and retrying
 * each one every few seconds would drain a laptop's battery for nothing.
 * RxDB's own retryTime is a fixed delay; this adds the growing part.
 */
export class Backoff {
  private failures = 0;
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  /** Resolves at once after a success, later after consecutive failures, or as soon as reset() is called. */
  wait(): Promise<void> {
    if (this.failures === 0) return Promise.resolve();
    const delay = Math.min(this.maxMs, this.minMs * 2 ** (this.failures - 1));
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, delay);
      this.sleepers.add(wake);
    });
  }

  succeeded(): void {
    this.failures = 0;
  }

  failed(): void {
    this.failures = Math.min(this.failures + 1, 30);
  }

  /** The network is back or the device woke up: try now. */
  reset(): void {
    this.failures = 0;
    for (const wake of [...this.sleepers]) wake();
  }
}
