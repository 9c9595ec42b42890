// End-to-end tests of the web build in real Chromium against a real backend.
//
//   npm run test:e2e     (= npx playwright test -c test/e2e/playwright.config.ts)
//
// The global setup builds renderer/dist when it is missing or stale (npm run
// build:renderer) and serves a private copy of it. Every test starts its own backend
// (--demo, temporary SQLite folder, free port) and web server (support/fixtures.ts).
// Chromium is Debian's (/usr/bin/chromium, or PLAYWRIGHT_CHROMIUM); without it the
// tests are skipped with the reason. Vitest does not pick these files up (*.e2e.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { launchOptions } from './support/browser.js';

const results = (name: string) => fileURLToPath(new URL(`../../.test-results/${name}`, import.meta.url));
// Playwright empties outputDir when a run starts: one folder per run, so a second run in the
// same checkout (another `npm test`) cannot delete the traces this run is writing. Set once
// by the runner; its workers inherit it. The global setup prunes the folders of runs that passed.
process.env.FIELDSTOCK_E2E_RUN_ID ??= `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;

export default defineConfig({
  testDir: fileURLToPath(new URL('.', import.meta.url)),
  testMatch: '*.e2e.ts',
  globalSetup: fileURLToPath(new URL('./global-setup.ts', import.meta.url)),
  // Generous: a 2-core machine runs a backend, a browser or two and the test at once.
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  outputDir: results(`playwright-e2e/${process.env.FIELDSTOCK_E2E_RUN_ID}`),
  reporter: [['list'], ['json', { outputFile: results('e2e.json') }]],
  use: {
    browserName: 'chromium',
    launchOptions,
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
  },
});
