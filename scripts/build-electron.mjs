#!/usr/bin/env node
// `npm run build:electron [-- --out <dir>]`: bundles the Electron main process and preload
// into dist/electron/.
//
//   dist/electron/main.js       ESM, Node target: electron/main/index.ts and what it imports
//   dist/electron/preload.cjs   one CommonJS file: a sandboxed preload can require 'electron'
//                               and a few built-ins, never a local file, so it must be bundled
//   dist/electron/package.json  makes `electron dist/electron` a complete app (name, version,
//                               entry), which is how `npm start` and the Playwright test run it
//
// esbuild comes with tsx (a dependency). Type checking is `tsc -b`'s job, not this script's.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// --out <dir>: somewhere else than dist/electron (the unit test builds into a temp folder).
const outFlag = process.argv.indexOf('--out');
const outDir = outFlag > 0 && process.argv[outFlag + 1] ? resolve(process.argv[outFlag + 1]) : join(root, 'dist', 'electron');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const electronMajor = Number(String(electronVersion).split('.')[0]);
// Electron 45 ships Chromium 140 and Node 22; keep in step when upgrading Electron.
const CHROME_OF_ELECTRON = { 45: 140 };
const chrome = CHROME_OF_ELECTRON[electronMajor] ?? 140;

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const common = {
  bundle: true,
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron'],
  metafile: true,
  absWorkingDir: root,
};

const [main, preload] = await Promise.all([
  build({
    ...common,
    entryPoints: ['electron/main/index.ts'],
    outfile: join(outDir, 'main.js'),
    platform: 'node',
    format: 'esm',
    target: 'node22',
  }),
  build({
    ...common,
    entryPoints: ['electron/preload/index.ts'],
    outfile: join(outDir, 'preload.cjs'),
    platform: 'browser',
    format: 'cjs',
    target: `chrome${chrome}`,
  }),
]);

// The shell stays thin: neither bundle may pull in the backend or the renderer, and the
// preload nothing from Node.
/** @type {string[]} */
const problems = [];
for (const [name, result, forbidden] of [
  ['main', main, /^(server|renderer)\//],
  ['preload', preload, /^(server|renderer)\/|^node:/],
]) {
  for (const input of Object.keys(result.metafile.inputs)) {
    if (forbidden.test(input)) problems.push(`${name} bundle includes ${input}`);
  }
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && name === 'preload' && imported.path !== 'electron') {
        problems.push(`preload bundle requires ${imported.path} at run time (only 'electron' is available)`);
      }
    }
  }
}
if (problems.length > 0) {
  console.error(`build-electron: ${problems.join('\n')}`);
  process.exit(1);
}

writeFileSync(
  join(outDir, 'package.json'),
  `${JSON.stringify(
    {
      name: pkg.name,
      productName: 'Fieldstock',
      version: pkg.version,
      description: pkg.description,
      private: true,
      type: 'module',
      main: 'main.js',
    },
    null,
    2,
  )}\n`,
);

for (const file of ['main.js', 'preload.cjs']) {
  const size = readFileSync(join(outDir, file)).length;
  console.log(`build-electron: ${relative(root, join(outDir, file))} (${(size / 1024).toFixed(1)} KiB)`);
}
