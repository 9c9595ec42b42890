/**
 * `stack`: per test, a fresh backend (child process, --demo, temporary SQLite folder,
 * free port) and a web server for the built renderer with /api proxied to it, plus an
 * admin client for the backend and persistent browser profiles. Everything is stopped
 * and deleted after the test, whatever its outcome.
 */
import { chromium, test as base, type BrowserContext, type BrowserContextOptions } from '@playwright/test';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/tmp.js';
import { ADMIN_PASSWORD, BackendClient, startBackend, type Backend } from './backend.js';
import { launchOptions } from './browser.js';
import { RENDERER_DIST } from './renderer-build.js';
import { startWebServer } from './web-server.js';

export interface Stack {
  backend: Backend;
  /** The backend's SQLite folder. */
  dataDir: string;
  /** Where the browser opens the app (renderer and /api on one origin). */
  webUrl: string;
  /** The folder the renderer is served from. */
  webRoot: string;
  admin: BackendClient;
  /**
   * A browser with a profile kept on disk under `name` (launchPersistentContext): closing it
   * and launching the same name again is a browser restart on the same device.
   */
  launchProfile(name: string, options?: BrowserContextOptions): Promise<BrowserContext>;
}

export interface StackOptions {
  /**
   * Extra environment for the backend (added to and overriding the defaults of
   * startBackend), e.g. FIELDSTOCK_ERP=tryton with FIELDSTOCK_TRYTON_*. Empty unless a
   * test file sets it with test.use, or overrides it with a fixture when the values are
   * only known at run time (a Tryton started for the test: see support/tryton.ts).
   */
  backendEnv: Record<string, string>;
}

export const test = base.extend<{ stack: Stack } & StackOptions>({
  backendEnv: [{}, { option: true }],
  stack: async ({ backendEnv }, use, testInfo) => {
    const tmp = tempDir(`e2e-${testInfo.title}`);
    const dataDir = path.join(tmp.path, 'backend');
    const contexts = new Set<BrowserContext>();
    let backend: Backend | undefined;
    let web: Awaited<ReturnType<typeof startWebServer>> | undefined;
    try {
      backend = await startBackend(dataDir, backendEnv);
      const webRoot = process.env.FIELDSTOCK_E2E_WEB_ROOT ?? RENDERER_DIST;
      web = await startWebServer({ root: webRoot, backendUrl: backend.url });
      const admin = await BackendClient.signIn(backend.url, 'admin', ADMIN_PASSWORD);
      await use({
        backend,
        dataDir,
        webUrl: web.url,
        webRoot,
        admin,
        async launchProfile(name, options) {
          const profile = path.join(tmp.path, 'profiles', name);
          mkdirSync(profile, { recursive: true });
          const context = await chromium.launchPersistentContext(profile, { ...launchOptions, ...options });
          contexts.add(context);
          context.once('close', () => contexts.delete(context));
          return context;
        },
      });
    } finally {
      // Each step runs even if an earlier one fails; browsers first, as they write into the profiles.
      for (const context of [...contexts]) await context.close().catch(() => undefined);
      await web?.close().catch(() => undefined);
      if (backend) {
        if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('backend-output', { body: backend.output(), contentType: 'text/plain' }).catch(() => undefined);
        await backend.stop();
      }
      // Retried: a browser's helper processes may still be letting go of profile files.
      rmSync(tmp.path, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
    }
  },
});

export { expect } from '@playwright/test';
