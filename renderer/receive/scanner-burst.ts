/**
 * Telling a USB barcode scanner from a person at the keyboard. A scanner is a
 * keyboard to the computer: it "types" the code and presses Enter. The
 * difference is speed and regularity. Scanners send a key every few
 * milliseconds (about 1–30 ms, wireless ones at the slow end); a person's
 * keys come 80 ms or more apart, and even a fast typist's occasional
 * 30 ms roll-over does not last across a whole code.
 *
 * The heuristic: the printable keys since the last pause (a gap longer than
 * BURST_BREAK_MS starts afresh), followed by Enter, are a scan when there are
 * at least MIN_SCAN_LENGTH of them and they arrived on average no more than
 * MAX_AVERAGE_GAP_MS apart (counting the gap to the Enter). The average
 * tolerates one late key (a busy main thread) without accepting human typing.
 * Times are passed in, so the rule is tested without a clock.
 */
export const MIN_SCAN_LENGTH = 4;
export const MAX_AVERAGE_GAP_MS = 50;
export const BURST_BREAK_MS = 150;

export class ScannerBurst {
  private keys = '';
  private firstAt = 0;
  private lastAt = 0;

  /** True when no key of a possible scan is held: the next key starts one. */
  get idle(): boolean {
    return this.keys.length === 0;
  }

  /** A printable key at `at` ms. Returns true when it starts a new burst. */
  key(char: string, at: number): boolean {
    const starts = this.keys.length === 0 || at - this.lastAt > BURST_BREAK_MS;
    if (starts) {
      this.keys = '';
      this.firstAt = at;
    }
    this.keys += char;
    this.lastAt = at;
    return starts;
  }

  /** Enter at `at` ms: the scanned code when the burst was a scan, else null. Either way the burst ends. */
  enter(at: number): string | null {
    const keys = this.keys;
    const scanned = keys.length >= MIN_SCAN_LENGTH && at - this.lastAt <= BURST_BREAK_MS && (at - this.firstAt) / keys.length <= MAX_AVERAGE_GAP_MS;
    this.reset();
    return scanned ? keys : null;
  }

  /** Any other key (Tab, arrows, Backspace…) means a person: forget the burst. */
  reset(): void {
    this.keys = '';
  }
}
