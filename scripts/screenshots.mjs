/**
 * `npm run screenshots`: the README's screenshots (docs/screenshots/*.png, 1280×800).
 *
 * Builds the renderer into a temporary folder (renderer/dist is left alone),
 * starts the backend with demo data on a fresh SQLite folder and a free port,
 * serves the build with Vite preview on one origin with the API (as
 * `npm run web` does), and drives headless Chromium with Playwright:
 *
 *   sign-in.png          the sign-in form, filled in
 *   first-sync.png       the status bar's progress during the first sync (a few pulls held back so it can be seen)
 *   warehouses.png       the warehouses screen after the first sync
 *   stock.png            the stock screen
 *   receive.png          receiving PO-2007 (bought in boxes, cases and coils) with base-unit equivalents
 *   offline-pending.png  offline, with the receipt saved and waiting to upload
 *   attention.png        Needs attention, with an over-receipt the server rejected
 *   count.png            a count whose variance asks for a second look before posting
 *   history.png          a product's on hand over time and the journal lines behind it
 *
 * Needs /usr/bin/chromium (CHROMIUM_PATH overrides it).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'docs', 'screenshots');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const viewport = { width: 1280, height: 800 };
const user = { username: 'tech1', password: 'fieldstock-demo' };

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function startBackend(dataDir) {
  const port = await freePort();
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Exactly the configuration below, nothing from the caller's shell.
    if (!k.startsWith('FIELDSTOCK_') && k !== 'DATABASE_URL' && k !== 'NODE_OPTIONS') env[k] = v;
  }
  Object.assign(env, {
    FIELDSTOCK_DATA_DIR: dataDir,
    FIELDSTOCK_HOST: '127.0.0.1',
    FIELDSTOCK_PORT: String(port),
    FIELDSTOCK_ADMIN_PASSWORD: 'screenshots-admin-password',
    FIELDSTOCK_LOG_LEVEL: 'warn',
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', '--demo'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', (code) => ((exited = true), resolve(code))));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error('the backend exited while starting');
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the backend did not answer ${url}/healthz in time`);
    }
    await delay(200);
  }
  return {
    url,
    async stop() {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}

async function main() {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'fieldstock-screenshots-'));
  const webDir = path.join(tmp, 'web');
  const configFile = path.join(root, 'renderer', 'vite.config.ts');
  let backend;
  let web;
  let browser;
  try {
    const vite = await import('vite');
    console.log('screenshots: building the renderer…');
    await vite.build({ configFile, logLevel: 'warn', build: { outDir: webDir, emptyOutDir: true } });

    backend = await startBackend(path.join(tmp, 'data'));
    // Read by renderer/vite.config.ts for its /api proxy.
    process.env.FIELDSTOCK_BACKEND_URL = backend.url;
    const webPort = await freePort();
    web = await vite.preview({
      configFile,
      logLevel: 'warn',
      build: { outDir: webDir },
      preview: { host: '127.0.0.1', port: webPort, strictPort: true, open: false },
    });
    const webUrl = `http://127.0.0.1:${webPort}/`;
    console.log(`screenshots: backend ${backend.url}, web ${webUrl}`);

    const { chromium } = await import('@playwright/test');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC', colorScheme: 'light' });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await mkdir(outDir, { recursive: true });
    const shots = [];
    const shot = async (name) => {
      // Let transitions and live queries settle; the caret would blink differently each run.
      await page.waitForTimeout(400);
      const file = path.join(outDir, `${name}.png`);
      await page.screenshot({ path: file, caret: 'hide', animations: 'disabled' });
      shots.push(path.relative(root, file));
      console.log(`screenshots: ${path.relative(root, file)}`);
    };

    // Sign-in.
    await page.goto(webUrl);
    await page.getByRole('heading', { name: 'Sign in to Fieldstock' }).waitFor();
    // The address `npm run web` serves at, for the picture; the real (random) one goes back before signing in.
    const serverAddress = page.getByLabel('Server address');
    const realAddress = await serverAddress.inputValue();
    await serverAddress.fill('http://127.0.0.1:4320');
    await page.getByLabel('User name').fill(user.username);
    await page.getByLabel('Password').fill(user.password);
    await page.getByLabel('Password').blur();
    await shot('sign-in');
    await serverAddress.fill(realAddress);

    // First sync, held half-way so its progress can be seen: the pulls of a few collections
    // wait until the screenshot is taken (the demo data is one page per collection).
    const held = new Set(['inventory', 'products', 'journals', 'inventoryTransactions']);
    let release = () => undefined;
    const released = new Promise((resolve) => (release = () => resolve(undefined)));
    const isPull = (url) => url.pathname.startsWith('/api/v1/replication/') && url.pathname.endsWith('/pull');
    const holdPulls = async (route) => {
      const url = new URL(route.request().url());
      const collection = url.pathname.split('/').at(-2) ?? '';
      await delay(300);
      if (held.has(collection)) await released;
      await route.continue().catch(() => undefined);
    };
    await page.route(isPull, holdPulls);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const progress = page.getByRole('progressbar', { name: 'First sync progress' });
    await progress.waitFor({ timeout: 30_000 });
    await page.getByText(new RegExp(`records received \\(${9 - held.size} of 9`)).waitFor({ timeout: 30_000 });
    await shot('first-sync');
    release();
    await page.unroute(isPull, holdPulls);
    await progress.waitFor({ state: 'hidden', timeout: 60_000 });
    await page.getByText(/Last synced/).waitFor();

    // Warehouses (the first screen after sign-in).
    await page.getByRole('tab', { name: 'Warehouses' }).click();
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    await page.getByText('TRUCK-1').first().waitFor({ timeout: 30_000 });
    await shot('warehouses');

    // Stock.
    await page.getByRole('tab', { name: 'Stock', exact: true }).click();
    await page.getByRole('main', { name: 'Stock' }).waitFor();
    await page.waitForTimeout(800);
    await shot('stock');

    // Receive a purchase order bought in packs: quantities typed, base-unit equivalents shown.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('tab', { name: 'Receive' }).click();
    await page.getByRole('table', { name: 'Open purchase orders' }).getByRole('button', { name: 'Receive PO-2007', exact: true }).click();
    await page.getByRole('heading', { name: 'Receive PO-2007' }).waitFor();
    const receiveNow = (line) => page.getByRole('textbox', { name: new RegExp(`^Receive now, line ${line} `) });
    await receiveNow(1).fill('2');
    await receiveNow(3).fill('1');
    await page.getByRole('textbox', { name: 'Scan or type a barcode' }).focus();
    await page.waitForTimeout(300);
    await shot('receive');

    // Offline: the receipt is saved on the device and waits to upload.
    await context.setOffline(true);
    await page.getByText('Offline', { exact: true }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Save receipt' }).click();
    await page.getByText(/1 change waiting to upload/).waitFor({ timeout: 30_000 });
    await shot('offline-pending');

    // An over-receipt saved anyway (the server decides): rejected once online, it waits in Needs attention.
    await receiveNow(2).fill('5');
    await page.getByRole('button', { name: 'Save receipt' }).click();
    await page.getByRole('alertdialog', { name: 'More than ordered' }).getByRole('button', { name: 'Save anyway' }).click();
    await context.setOffline(false);
    await page.getByText('All changes uploaded').waitFor({ timeout: 60_000 });
    await nav.getByRole('tab', { name: /Needs attention/ }).click();
    await page.getByRole('table', { name: 'Rejected documents' }).waitFor({ timeout: 60_000 });
    await shot('attention');

    // Stock moves, Count: the variance check before posting.
    await nav.getByRole('tab', { name: 'Stock moves' }).click();
    await page.getByRole('tablist', { name: 'Type of move' }).getByRole('tab', { name: 'Count', exact: true }).click();
    const count = page.getByRole('form', { name: 'Count stock' });
    const product = count.getByRole('combobox', { name: 'Product' });
    await product.click();
    await product.pressSequentially('P-1003');
    await page.getByRole('option', { name: /^P-1003 — / }).click();
    await count.getByRole('textbox', { name: 'Quantity' }).fill('40');
    await count.getByRole('button', { name: 'Save count' }).click();
    await count.getByRole('alert').waitFor();
    await shot('count');
    await count.getByRole('button', { name: 'Save count anyway' }).click();
    await page.getByText('All changes uploaded').waitFor({ timeout: 60_000 });

    // History of a product the receipt moved: the chart and the journal lines behind it.
    await nav.getByRole('tab', { name: 'History' }).click();
    const historyProduct = page.getByRole('combobox', { name: 'Product' });
    await historyProduct.click();
    await historyProduct.pressSequentially('P-1003');
    await page.getByRole('option', { name: /^P-1003 — / }).click();
    await page.getByRole('img', { name: /^On hand of P-1003/ }).waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    await shot('history');

    console.log(`screenshots: ${shots.length} images in ${path.relative(root, outDir)}/ (${viewport.width}×${viewport.height})`);
  } finally {
    await browser?.close();
    if (web) await new Promise((resolve) => web.httpServer.close(() => resolve(undefined)));
    await backend?.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
