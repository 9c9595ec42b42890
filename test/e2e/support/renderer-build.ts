/**
 * renderer/dist for the end-to-end tests: rebuilt (npm run build:renderer) when it is
 * missing or older than any renderer or shared source, then copied to a private folder
 * that the tests serve, so a rebuild started elsewhere during the run cannot change or
 * empty the files under a test.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const RENDERER_DIST = path.join(ROOT, 'renderer', 'dist');
const SOURCES = [path.join(ROOT, 'renderer'), path.join(ROOT, 'shared'), path.join(ROOT, 'package-lock.json')];
const SKIPPED = new Set([RENDERER_DIST, path.join(ROOT, 'renderer', 'tooling')]);

function newestMtime(entry: string): number {
  if (SKIPPED.has(entry)) return 0;
  const stat = statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(entry)) {
    if (name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

/** Why renderer/dist must be built, or null when it is up to date. */
export function staleReason(): string | null {
  const index = path.join(RENDERER_DIST, 'index.html');
  const built = statSync(index, { throwIfNoEntry: false });
  if (!built) return 'renderer/dist is missing';
  const newest = Math.max(...SOURCES.map(newestMtime));
  return newest > built.mtimeMs ? 'renderer sources changed since renderer/dist was built' : null;
}

export function buildRendererIfStale(): void {
  const reason = staleReason();
  if (!reason) {
    console.log('[e2e] renderer/dist is up to date');
    return;
  }
  console.log(`[e2e] ${reason}: npm run build:renderer`);
  const result = spawnSync('npm', ['run', 'build:renderer'], { cwd: ROOT, stdio: 'inherit', env: process.env });
  if (result.status !== 0) throw new Error(`npm run build:renderer failed (exit ${result.status ?? result.signal ?? 'unknown'})`);
}

/** Copies renderer/dist (without source maps) to a new temporary folder and returns it. */
export function snapshotDist(): string {
  if (!existsSync(path.join(RENDERER_DIST, 'index.html'))) throw new Error('renderer/dist has no index.html');
  const target = mkdtempSync(path.join(tmpdir(), 'fieldstock-e2e-web-'));
  cpSync(RENDERER_DIST, target, { recursive: true, filter: (source) => !source.endsWith('.map') });
  return target;
}
