import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_METHODS } from '../../../shared/ipc.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('the Electron bundles (scripts/build-electron.mjs)', () => {
  let out: string;
  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'fieldstock-build-'));
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [path.join(root, 'scripts', 'build-electron.mjs'), '--out', out], { cwd: root }, (error, _stdout, stderr) =>
        error ? reject(new Error(`build failed: ${stderr}`)) : resolve(),
      ),
    );
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const read = (file: string) => readFileSync(path.join(out, file), 'utf8');

  it('bundles the preload so that it needs nothing but electron, as a sandboxed preload must', () => {
    const required = [...read('preload.cjs').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('gives a working window.fieldstock when the preload runs with only electron available', () => {
    const exposed = new Map<string, unknown>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: { invoke: async () => ({ ok: true, value: null }), on: () => undefined, removeListener: () => undefined },
    };
    // Like Electron's sandboxed preload loader: a CommonJS wrapper whose require knows 'electron' only.
    const sandboxRequire = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    const wrapper: unknown = vm.runInNewContext(`(function (require, module, exports) {${read('preload.cjs')}\n})`, { globalThis: {} });
    if (typeof wrapper !== 'function') throw new Error('the preload did not compile to a function');
    Reflect.apply(wrapper, undefined, [sandboxRequire, module, module.exports]);
    expect([...exposed.keys()]).toEqual(['fieldstock']);
    expect(Object.keys(exposed.get('fieldstock') ?? {}).sort()).toEqual([...PLATFORM_METHODS].sort());
  });

  it('bundles main as ESM that imports only electron and Node built-ins, never the backend or the renderer', () => {
    const main = read('main.js');
    const imported = [...main.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+["']([^"']+)["']/gm)].map((m) => m[1] ?? '');
    expect(imported.length).toBeGreaterThan(0);
    for (const specifier of imported) expect(specifier === 'electron' || specifier.startsWith('node:')).toBe(true);
    expect(main).not.toMatch(/^\/\/ (server|renderer)\//m);
  });

  it('writes a package.json that makes the folder a runnable Electron app', () => {
    expect(JSON.parse(read('package.json'))).toMatchObject({ productName: 'Fieldstock', type: 'module', main: 'main.js' });
  });
});
