/**
 * `npm run web`: the backend with demo data (SQLite under .fieldstock-data/)
 * and the built renderer, on one origin, so a browser can sign in at once.
 *
 *   browser ──> http://127.0.0.1:4320  (Vite preview: renderer/dist, and /api proxied)
 *                      └──> backend on FIELDSTOCK_PORT (default 4310)
 *
 * Same origin for the page and the API: the backend needs no CORS, and the
 * sign-in form's server address is prefilled with the page's own origin.
 * FIELDSTOCK_WEB_HOST / FIELDSTOCK_WEB_PORT choose where the page is served
 * (default 127.0.0.1:4320); the backend's other variables work as usual.
 * Users: tech1…tech3, clerk1 (password fieldstock-demo).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const backendHost = process.env.FIELDSTOCK_HOST ?? '127.0.0.1';
const backendPort = process.env.FIELDSTOCK_PORT ?? '4310';
const backendUrl = `http://${backendHost === '0.0.0.0' ? '127.0.0.1' : backendHost}:${backendPort}`;
const webHost = process.env.FIELDSTOCK_WEB_HOST ?? '127.0.0.1';
const webPort = Number(process.env.FIELDSTOCK_WEB_PORT ?? 4320);

async function waitForBackend(exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !exited()) {
    try {
      if ((await fetch(`${backendUrl}/healthz`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(exited() ? 'the backend exited during start' : `the backend did not answer on ${backendUrl}/healthz`);
}

async function main(): Promise<void> {
  const backend = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts'), '--demo'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FIELDSTOCK_HOST: backendHost, FIELDSTOCK_PORT: backendPort },
  });
  let backendExited = false;
  let stopping = false;
  backend.on('exit', (code) => {
    backendExited = true;
    if (!stopping) console.error(`The backend stopped (exit ${code ?? 'by signal'}).`);
    process.exit(code ?? 1);
  });
  const stopBackend = () => {
    if (!backendExited) backend.kill('SIGTERM');
  };
  process.on('exit', stopBackend);

  await waitForBackend(() => backendExited);
  // Read by renderer/vite.config.ts for its proxy.
  process.env.FIELDSTOCK_BACKEND_URL = backendUrl;
  const { preview } = await import('vite');
  const server = await preview({
    configFile: path.join(root, 'renderer/vite.config.ts'),
    preview: { host: webHost, port: webPort, strictPort: true, open: false },
  });
  console.log(`\nFieldstock web: http://${webHost}:${webPort}/  (backend ${backendUrl}; users tech1…tech3, password fieldstock-demo)\n`);

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    server.httpServer.close();
    // The backend drains its requests on SIGTERM and exits; its exit ends this process.
    if (!backendExited) backend.kill('SIGTERM');
    else process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`npm run web could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
