// Where the Electron binary is, or why there is none, without `require('electron')`: that
// module tries to download the binary when it is missing, which cannot work on machines
// installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 (see notes/environment.md). Used by
// `npm start` (scripts/electron-start.mjs), the Playwright test and its Vitest check.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const NO_BINARY_REASON = 'no Electron binary on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD)';

/**
 * @param {{ electronDir?: string; env?: NodeJS.ProcessEnv }} [options]
 * @returns {{ found: true; path: string } | { found: false; reason: string }}
 */
export function findElectronBinary(options = {}) {
  const env = options.env ?? process.env;
  let electronDir = options.electronDir;
  if (electronDir === undefined) {
    try {
      electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    } catch {
      return { found: false, reason: 'the electron package is not installed (npm ci)' };
    }
  }
  const pathFile = join(electronDir, 'path.txt');
  // electron's own index.js honours this variable too; it points at an unpacked Electron.
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (override) {
    const candidate = join(override, executable ?? 'electron');
    return existsSync(candidate)
      ? { found: true, path: candidate }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${candidate} does not exist` };
  }
  if (executable === undefined) return { found: false, reason: NO_BINARY_REASON };
  const candidate = join(electronDir, 'dist', executable);
  return existsSync(candidate)
    ? { found: true, path: candidate }
    : { found: false, reason: `${NO_BINARY_REASON}: ${candidate} is missing` };
}
