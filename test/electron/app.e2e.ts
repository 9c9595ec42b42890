/**
 * The desktop app, end to end, in a real Electron: the window's security
 * settings as Electron reports them, the page's origin, what the page can and
 * cannot reach. Runs wherever an Electron binary exists; elsewhere it is
 * skipped with the reason (see playwright.config.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const binary = findElectronBinary();
if (!binary.found) console.log(`skipped: ${binary.reason}`);

test.describe('the Fieldstock desktop app', () => {
  test.skip(!binary.found, binary.found ? '' : `skipped: ${binary.reason}`);

  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  test.beforeAll(async () => {
    if (!binary.found) return;
    // The shell's bundles are cheap to build; the renderer's are the renderer's business
    // (without them the page is a 404 from app://, which these checks do not mind).
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-electron.mjs')], { cwd: root, stdio: 'inherit' });
    userData = mkdtempSync(path.join(tmpdir(), 'fieldstock-e2e-'));
    const args = [path.join(root, 'dist', 'electron'), `--user-data-dir=${userData}`];
    // Chromium will not run as root with its OS sandbox (containers, CI).
    if (process.platform === 'linux' && process.getuid?.() === 0) args.push('--no-sandbox');
    app = await _electron.launch({
      executablePath: binary.path,
      args,
      env: { ...process.env, FIELDSTOCK_EMBEDDED_BACKEND: '0', FIELDSTOCK_SERVER_URL: 'https://depot.example.com' },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (userData && existsSync(userData)) rmSync(userData, { recursive: true, force: true });
  });

  test('loads the renderer from app://fieldstock', () => {
    expect(page.url()).toMatch(/^app:\/\/fieldstock\//);
  });

  test('gives the page no Node and no way to reach ipcRenderer', async () => {
    // Electron offers no public API to read a window's webPreferences back, so the unit test
    // checks the options and this test checks their effect on the page.
    expect(await page.evaluate(() => [typeof require, typeof process, typeof Buffer])).toEqual(['undefined', 'undefined', 'undefined']);
    const leaked = await page.evaluate(() => {
      const api: object = window.fieldstock ?? {};
      return Object.values(api).some((value) => typeof value === 'object' && value !== null && 'invoke' in value);
    });
    expect(leaked).toBe(false);
  });

  test('gives the page exactly the platform API', async () => {
    const keys = await page.evaluate(() => Object.keys(window.fieldstock ?? {}).sort());
    expect(keys).toEqual(['clearSession', 'currentPosition', 'exportFile', 'info', 'loadSession', 'on', 'printPage', 'saveSession']);
    const info = await page.evaluate(() => window.fieldstock?.info());
    expect(info).toMatchObject({ platform: 'electron', defaultServerUrl: 'https://depot.example.com' });
  });

  test('serves the page with the Content-Security-Policy', async () => {
    const csp = await page.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
  });

  test('denies window.open and navigation away from the app', async () => {
    expect(await page.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/fieldstock\//);
    expect(app.windows()).toHaveLength(1);
  });
});
