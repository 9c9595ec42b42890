#!/usr/bin/env node
// `npm start`: builds the renderer and the Electron bundles, then runs the desktop app.
//
// In a checkout (not packaged) the app starts the backend with demo data itself
// (electron/main/backend.ts) on a free 127.0.0.1 port, SQLite under Electron's userData
// folder; FIELDSTOCK_SERVER_URL points it at another server instead, and
// FIELDSTOCK_EMBEDDED_BACKEND=0 starts none.
//
// The binary is looked for first: where it cannot exist (ELECTRON_SKIP_BINARY_DOWNLOAD)
// there is no point in building for a minute before saying so.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const binary = findElectronBinary();
if (!binary.found) {
  console.error(`npm start: cannot launch the desktop app: ${binary.reason}.`);
  console.error('Install the binary where it can be downloaded (npx install-electron, or npm ci without');
  console.error('ELECTRON_SKIP_BINARY_DOWNLOAD), or point ELECTRON_OVERRIDE_DIST_PATH at an unpacked Electron.');
  console.error('Without it: `npm run server -- --demo` runs the backend, `npm run build:electron` builds the shell.');
  process.exit(1);
}

for (const script of ['build:renderer', 'build:electron']) {
  console.log(`npm start: npm run ${script}`);
  const result = spawnSync(npm, ['run', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm start: \`npm run ${script}\` failed (${result.error?.message ?? `exit status ${result.status}`}).`);
    process.exit(1);
  }
}

const args = [join(root, 'dist', 'electron')];
// Chromium refuses to run as root with its OS sandbox (containers, CI). The renderer keeps
// `sandbox: true` (no Node, no IPC beyond the preload); only the OS-level layer is lost.
if (process.platform === 'linux' && process.getuid?.() === 0) args.push('--no-sandbox');

const child = spawn(binary.path, args, { cwd: root, stdio: 'inherit', env: process.env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  console.error(`npm start: could not run ${binary.path}: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
