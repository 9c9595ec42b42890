/**
 * Section 3 of `npm run bench`: the first sync of the renderer's real code
 * path in headless Chromium: openDatabase (RxDB on Dexie, IndexedDB) and the
 * app's pull handler (renderer/sync/http-replication.ts) with
 * replicateRxCollection, from a real backend process seeded with N inventory
 * documents; beside it, on the same page, RxDB's own bulkInsert of the same
 * N documents into a fresh database as the floor.
 *
 * test/bench/browser/entry.ts is bundled with esbuild into
 * test/bench/browser/dist/bench.js (gitignored). The page is served at the
 * backend's own origin (Playwright answers /__bench/ before the first request
 * and stops intercepting afterwards), so the API needs no CORS and no proxy.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from '@playwright/test';
import type { RendererBench, BrowserRun } from './browser/entry.js';
import { login } from './client.js';
import { BENCH_CLERK, BENCH_CLERK_PASSWORD } from './constants.js';
import { startServerProcess } from './process.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/support/browser.js';

// The same Debian Chromium and flags as the end-to-end tests.
export { CHROMIUM_PATH };

const BROWSER_DIR = fileURLToPath(new URL('./browser/', import.meta.url));
const BUNDLE = path.join(BROWSER_DIR, 'dist', 'bench.js');
const BATCH_SIZE = 1000;
export const RENDERER_GOAL_RATIO = 1.5;

export interface RendererSample {
  syncMs: number;
  memoryMs: number;
  bulkMs: number;
  pagedMs: number;
}

export interface RendererResult {
  docs: number;
  samples: RendererSample[];
  syncMs: number;
  /** The same replication from pages in memory: what RxDB's replication itself costs over bulkInsert. */
  memoryMs: number;
  bulkMs: number;
  /** bulkInsert in pages of the pull batch size, one after another. */
  pagedMs: number;
  /** syncMs / bulkMs of the medians. */
  ratio: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Why the section cannot run here, or undefined. */
export function rendererSkipReason(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) return `${CHROMIUM_PATH} is missing (apt-get install -y chromium)`;
  return undefined;
}

async function buildBundle(): Promise<number> {
  const started = performance.now();
  const { build } = await import('esbuild');
  await mkdir(path.dirname(BUNDLE), { recursive: true });
  await build({
    entryPoints: [path.join(BROWSER_DIR, 'entry.ts')],
    outfile: BUNDLE,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return performance.now() - started;
}

/**
 * Runs the section and prints its table. `runs` timed runs of each kind,
 * interleaved (alternating which goes first), after one warm-up of each.
 */
export async function rendererSection(docs: number, runs: number): Promise<RendererResult> {
  const buildMs = await buildBundle();
  const script = await readFile(BUNDLE, 'utf8');
  const server = await startServerProcess('./serve-fieldstock.ts', { BENCH_INVENTORY_DOCS: String(docs) });
  const { chromium } = await import('@playwright/test');
  let browser: Browser | undefined;
  const pageErrors: string[] = [];
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const baseUrl = server.ready.url;
    const token = (await login(baseUrl, BENCH_CLERK, BENCH_CLERK_PASSWORD)).accessToken;
    const page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.route(`${baseUrl}/__bench/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/__bench/bench.js') return route.fulfill({ contentType: 'text/javascript', body: script });
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><title>fieldstock renderer bench</title><script type="module" src="./bench.js"></script>',
      });
    });
    await page.goto(`${baseUrl}/__bench/index.html`);
    await page.waitForFunction(() => 'fieldstockBench' in globalThis, undefined, { timeout: 60_000 });
    // Nothing intercepted while measuring: the pulls go straight to the backend.
    await page.unrouteAll();

    const info = await page.evaluate(() => {
      const b = (globalThis as { fieldstockBench?: RendererBench }).fieldstockBench;
      if (!b) throw new Error('the bench bundle did not load');
      return { rxdb: b.rxdbVersion, userAgent: b.userAgent };
    });
    const browserVersion = browser.version();
    const sync = () =>
      page.evaluate(
        ([url, t, batch, n]) => {
          const b = (globalThis as { fieldstockBench?: RendererBench }).fieldstockBench;
          if (!b) throw new Error('the bench bundle did not load');
          return b.firstSync(url, t, batch, n);
        },
        [baseUrl, token, BATCH_SIZE, docs] as const,
      );
    const bulk = (pageSize = docs) =>
      page.evaluate(
        ([n, size]) => {
          const b = (globalThis as { fieldstockBench?: RendererBench }).fieldstockBench;
          if (!b) throw new Error('the bench bundle did not load');
          return b.bulkInsert(n, size);
        },
        [docs, pageSize] as const,
      );
    const memory = () =>
      page.evaluate(
        ([batch, n]) => {
          const b = (globalThis as { fieldstockBench?: RendererBench }).fieldstockBench;
          if (!b) throw new Error('the bench bundle did not load');
          return b.firstSyncFromMemory(batch, n);
        },
        [BATCH_SIZE, docs] as const,
      );
    const loadedCount = await page.evaluate(
      ([url, t, batch]) => {
        const b = (globalThis as { fieldstockBench?: RendererBench }).fieldstockBench;
        if (!b) throw new Error('the bench bundle did not load');
        return b.loadDocuments(url, t, batch);
      },
      [baseUrl, token, BATCH_SIZE] as const,
    );
    if (loadedCount !== docs) throw new Error(`COUNT MISMATCH: the page pulled ${loadedCount} inventory documents for bulkInsert, expected ${docs}`);

    // Warm-up, not counted: the page's JIT, IndexedDB's first databases, the server's statements.
    const warmSync = await sync();
    const warmBulk = await bulk();
    await memory();
    const samples: RendererSample[] = [];
    const opens: number[] = [];
    for (let i = 0; i < runs; i += 1) {
      let s: BrowserRun;
      let b: BrowserRun;
      if (i % 2 === 0) {
        s = await sync();
        b = await bulk();
      } else {
        b = await bulk();
        s = await sync();
      }
      const m = await memory();
      const p = await bulk(BATCH_SIZE);
      samples.push({ syncMs: s.ms, memoryMs: m.ms, bulkMs: b.ms, pagedMs: p.ms });
      opens.push(s.openMs, b.openMs);
    }
    const syncMs = median(samples.map((x) => x.syncMs));
    const memoryMs = median(samples.map((x) => x.memoryMs));
    const bulkMs = median(samples.map((x) => x.bulkMs));
    const pagedMs = median(samples.map((x) => x.pagedMs));
    const result: RendererResult = { docs, samples, syncMs, memoryMs, bulkMs, pagedMs, ratio: syncMs / bulkMs };

    console.log(`  browser : Chromium ${browserVersion} headless (${CHROMIUM_PATH}), RxDB ${info.rxdb} in the page; bundle built in ${fmtInt(buildMs)} ms`);
    console.log(`  seed    : N=${fmtInt(docs)} seeded in ${fmtInt(server.ready.seedMs)} ms; warm-up (not counted): sync ${fmtInt(warmSync.ms)} ms, bulkInsert ${fmtInt(warmBulk.ms)} ms`);
    console.log(`  open    : a fresh database (nine collections) opened in ${fmtInt(median(opens))} ms (median, not timed)\n`);
    const rate = (ms: number) => `${fmtInt((docs / ms) * 1000)} docs/s`;
    const rows = [
      ['first sync (replicateRxCollection + pullHandler)', fmtInt(docs), samples.map((x) => fmtInt(x.syncMs)).join(' / '), `${fmtInt(syncMs)} ms`, rate(syncMs), `${result.ratio.toFixed(2)}x`],
      [
        'replication alone (pull handler answers from memory)',
        fmtInt(docs),
        samples.map((x) => fmtInt(x.memoryMs)).join(' / '),
        `${fmtInt(memoryMs)} ms`,
        rate(memoryMs),
        `${(memoryMs / bulkMs).toFixed(2)}x`,
      ],
      ['bulkInsert of the same documents (one call)', fmtInt(docs), samples.map((x) => fmtInt(x.bulkMs)).join(' / '), `${fmtInt(bulkMs)} ms`, rate(bulkMs), '1.00x'],
      [
        `bulkInsert in ${fmtInt(docs / BATCH_SIZE)} calls of ${fmtInt(BATCH_SIZE)}`,
        fmtInt(docs),
        samples.map((x) => fmtInt(x.pagedMs)).join(' / '),
        `${fmtInt(pagedMs)} ms`,
        rate(pagedMs),
        `${(pagedMs / bulkMs).toFixed(2)}x`,
      ],
    ];
    const headers = ['renderer, Dexie in Chromium', 'docs', 'runs (ms)', 'median', 'throughput', 'vs bulkInsert'];
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`;
    console.log(line(headers));
    console.log(`|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
    for (const r of rows) console.log(line(r));
    console.log(`  first sync / bulkInsert per run (each pair ran back to back): ${samples.map((x) => `${(x.syncMs / x.bulkMs).toFixed(2)}x`).join(' / ')}`);
    console.log('  replication alone: the same replicateRxCollection, its handler answering from the same documents as JSON pages in the page,');
    console.log('                     after one macrotask (no network, no server): what RxDB\'s replication costs over bulkInsert');
    console.log(`  every run: the fresh database held exactly ${fmtInt(docs)} inventory documents afterwards (count() checked), then was removed`);
    if (pageErrors.length > 0) console.log(`  page console errors: ${pageErrors.slice(0, 5).join(' | ')}`);
    return result;
  } catch (error) {
    if (pageErrors.length > 0) console.error(`page errors: ${pageErrors.slice(0, 10).join('\n')}`);
    throw error;
  } finally {
    await browser?.close();
    await server.stop();
  }
}
