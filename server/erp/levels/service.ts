/**
 * The levels runs of one backend instance: one at a time (a run asked for
 * while one is going waits for it, then runs), the last outcome kept for the
 * admin API. Several instances may run at once: each posts under the write
 * lock, and reads on hand and in flight there, so a second run finds the
 * first one's journals and posts only what is still missing.
 */
import { runLevels, type LevelsDeps, type LevelsOptions, LEVELS_DEFAULTS } from './run.js';
import type { LevelsRun } from '../../../shared/erp/levels-wire.js';

export class ErpLevelsService {
  #tail: Promise<unknown> = Promise.resolve();
  #last: LevelsRun | undefined;

  constructor(
    private readonly deps: LevelsDeps,
    private readonly options: LevelsOptions = LEVELS_DEFAULTS,
  ) {}

  get lastRun(): LevelsRun | undefined {
    return this.#last;
  }

  run(): Promise<LevelsRun> {
    const current = this.#tail.then(async () => {
      const result = await runLevels(this.deps, this.options);
      this.#last = result;
      return result;
    });
    this.#tail = current.catch(() => undefined);
    return current;
  }

  /** Resolves when no run is going (the app's close waits for it before the store closes). */
  async idle(): Promise<void> {
    await this.#tail;
  }
}
