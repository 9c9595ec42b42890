/**
 * Once per run: renderer/dist is built if missing or stale, and a private copy of it is
 * what the tests serve (FIELDSTOCK_E2E_WEB_ROOT, read by support/fixtures.ts). The
 * returned function removes the copy at the end. Output folders of earlier runs that
 * passed are pruned (see playwright.config.ts for why there is one per run).
 */
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildRendererIfStale, ROOT, snapshotDist } from './support/renderer-build.js';

const OUTPUT_ROOT = path.join(ROOT, '.test-results', 'playwright-e2e');

/**
 * Output folders of finished runs that kept nothing but Playwright's .last-run.json (a
 * running run has none yet; a failed run keeps its traces until the next clean-up by hand).
 */
function pruneFinishedRuns(current: string | undefined): void {
  let entries: string[];
  try {
    entries = readdirSync(OUTPUT_ROOT);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === current) continue;
    const folder = path.join(OUTPUT_ROOT, name);
    try {
      const inside = readdirSync(folder);
      if (inside.length === 1 && inside[0] === '.last-run.json') rmSync(folder, { recursive: true, force: true });
    } catch {
      // A file, or gone already.
    }
  }
}

export default function globalSetup(): () => void {
  pruneFinishedRuns(process.env.FIELDSTOCK_E2E_RUN_ID);
  buildRendererIfStale();
  const webRoot = snapshotDist();
  process.env.FIELDSTOCK_E2E_WEB_ROOT = webRoot;
  return () => rmSync(webRoot, { recursive: true, force: true });
}
