/** Output and statistics helpers shared by the bench's sections. */
import os from 'node:os';

/** `node --expose-gc`: a full collection before every timed run, so no run pays for the garbage of the previous one. */
export const collectGarbage = (globalThis as { gc?: () => void }).gc;

export async function settle(): Promise<void> {
  collectGarbage?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** Nearest-rank percentile (p in 0..100). */
export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
export const fmtMs = (ms: number) => `${fmtInt(ms)} ms`;
export const fmtRate = (docs: number, ms: number) => `${fmtInt((docs / ms) * 1000)} docs/s`;
export const fmtRatio = (r: number) => `${r.toFixed(2)}x`;
export const loadAverage = () => os.loadavg().map((l) => l.toFixed(2)).join(' / ');

export function table(headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

export const heading = (text: string) => console.log(`\n## ${text}\n`);
export const note = (text: string) => console.log(`  ${text}`);
