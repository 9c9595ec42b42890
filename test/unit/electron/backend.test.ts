import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devBackendCommand, startEmbeddedBackend, type BackendCommand } from '../../../electron/main/backend.js';

// A stand-in backend: answers /readyz after a short delay, like the real one once its store is open.
const FAKE_BACKEND = `
import http from 'node:http';
const server = http.createServer((req, res) => {
  if (req.url !== '/readyz') { res.statusCode = 404; res.end(); return; }
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ status: 'ready', host: process.env.FIELDSTOCK_HOST, dataDir: process.env.FIELDSTOCK_DATA_DIR, args: process.argv.slice(2) }));
});
setTimeout(() => server.listen(Number(process.env.FIELDSTOCK_PORT), process.env.FIELDSTOCK_HOST), 200);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

describe('the embedded backend for npm start', () => {
  let dir: string;
  let fake: BackendCommand;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fieldstock-backend-'));
    writeFileSync(path.join(dir, 'fake-backend.mjs'), FAKE_BACKEND);
    writeFileSync(path.join(dir, 'exits.mjs'), 'process.exit(3);');
    fake = { command: process.execPath, args: ['fake-backend.mjs', '--demo'], cwd: dir };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the backend on 127.0.0.1 with its data folder, waits until it is ready and stops it', async () => {
    const backend = await startEmbeddedBackend({ backend: fake, dataDir: path.join(dir, 'data') });
    try {
      expect(backend.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const ready = await (await fetch(`${backend.url}/readyz`)).json();
      expect(ready).toEqual({ status: 'ready', host: '127.0.0.1', dataDir: path.join(dir, 'data'), args: ['--demo'] });
    } finally {
      await backend.stop();
    }
    await expect(fetch(`${backend.url}/readyz`)).rejects.toThrow();
  });

  it('uses the preferred port when it is free and another one when it is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const taken = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const backend = await startEmbeddedBackend({ backend: fake, dataDir: dir, preferredPort: taken });
      await backend.stop();
      expect(backend.url).not.toBe(`http://127.0.0.1:${taken}`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const backend = await startEmbeddedBackend({ backend: fake, dataDir: dir, preferredPort: taken });
    await backend.stop();
    expect(backend.url).toBe(`http://127.0.0.1:${taken}`);
  });

  it('fails with the reason when the backend exits before it is ready', async () => {
    await expect(
      startEmbeddedBackend({ backend: { command: process.execPath, args: ['exits.mjs'], cwd: dir }, dataDir: dir }),
    ).rejects.toThrow(/exited early \(status 3\)/);
  });

  it('fails with the reason when the command does not exist', async () => {
    await expect(
      startEmbeddedBackend({ backend: { command: path.join(dir, 'no-such-node'), args: [], cwd: dir }, dataDir: dir }),
    ).rejects.toThrow(/could not run/);
  });

  it('gives up after the ready timeout and stops what it started', async () => {
    const pidFile = path.join(dir, 'silent.pid');
    const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`;
    const silent = { command: process.execPath, args: ['-e', script], cwd: dir };
    await expect(startEmbeddedBackend({ backend: silent, dataDir: dir, readyTimeoutMs: 500 })).rejects.toThrow(/not ready/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it('runs server/main.ts --demo with tsx from a checkout, and nothing elsewhere', () => {
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    expect(devBackendCommand(repoRoot, '/usr/bin/node')).toEqual({
      command: '/usr/bin/node',
      args: ['--import', 'tsx', 'server/main.ts', '--demo'],
      cwd: repoRoot,
    });
    expect(devBackendCommand(dir, '/usr/bin/node')).toBeUndefined();
  });
});
