import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_BINARY_REASON, findElectronBinary } from '../../../scripts/electron-binary.mjs';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeout: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: root, env, timeout }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('finding the Electron binary', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fieldstock-electron-bin-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function electronPackage(name: string, options: { pathTxt?: string; binary?: boolean }) {
    const electronDir = path.join(dir, name);
    mkdirSync(path.join(electronDir, 'dist'), { recursive: true });
    if (options.pathTxt !== undefined) writeFileSync(path.join(electronDir, 'path.txt'), options.pathTxt);
    if (options.binary && options.pathTxt) writeFileSync(path.join(electronDir, 'dist', options.pathTxt), '');
    return electronDir;
  }

  it('says the download was skipped when the package has no path.txt', () => {
    expect(findElectronBinary({ electronDir: electronPackage('skipped', {}), env: {} })).toEqual({
      found: false,
      reason: NO_BINARY_REASON,
    });
    expect(NO_BINARY_REASON).toBe('no Electron binary on this machine (ELECTRON_SKIP_BINARY_DOWNLOAD)');
  });

  it('says the binary is missing when path.txt names a file that is not there', () => {
    const result = findElectronBinary({ electronDir: electronPackage('half', { pathTxt: 'electron' }), env: {} });
    expect(result).toMatchObject({ found: false, reason: expect.stringContaining('is missing') });
  });

  it('finds the binary path.txt names', () => {
    const electronDir = electronPackage('complete', { pathTxt: 'electron', binary: true });
    expect(findElectronBinary({ electronDir, env: {} })).toEqual({ found: true, path: path.join(electronDir, 'dist', 'electron') });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH, as the electron package does', () => {
    const unpacked = path.join(dir, 'unpacked');
    mkdirSync(unpacked, { recursive: true });
    writeFileSync(path.join(unpacked, 'electron'), '');
    expect(findElectronBinary({ electronDir: electronPackage('override', {}), env: { ELECTRON_OVERRIDE_DIST_PATH: unpacked } })).toEqual({
      found: true,
      path: path.join(unpacked, 'electron'),
    });
  });

  it('makes npm start print the reason and exit non-zero when there is no binary', async () => {
    // An empty override folder means "no binary" on any machine.
    const empty = path.join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    const result = await run(process.execPath, [path.join(root, 'scripts', 'electron-start.mjs')], { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty }, 10_000);
    expect(result.code).toBe(1);
    expect(result.output).toContain('npm start: cannot launch the desktop app: ELECTRON_OVERRIDE_DIST_PATH is set but');
  });

  it('runs the Playwright _electron test (test/electron/app.e2e.ts) where an Electron binary exists', { timeout: 180_000 }, async (ctx) => {
    const binary = findElectronBinary();
    if (!binary.found) {
      // Visible in the output and counted as skipped, with the reason.
      console.log(`skipped: ${binary.reason}`);
      ctx.skip(binary.reason);
    }
    const result = await run(
      process.execPath,
      [path.join(root, 'node_modules', '@playwright', 'test', 'cli.js'), 'test', '-c', 'test/electron/playwright.config.ts'],
      process.env,
      170_000,
    );
    expect(result.output).not.toContain('skipped: ');
    expect(result.code).toBe(0);
  });
});
