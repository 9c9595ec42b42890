// Playwright configuration for the desktop app's end-to-end test (Electron via `_electron`).
//
//   npm run test:electron       (= npx playwright test -c test/electron/playwright.config.ts)
//
// It needs an Electron binary (node_modules/electron/dist, or ELECTRON_OVERRIDE_DIST_PATH);
// without one the test is skipped and says why. Vitest does not pick these files up (they
// end in .e2e.ts); test/unit/electron/electron-binary.test.ts runs this suite from
// `npm test` wherever a binary exists, and records the skip with its reason elsewhere.
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: fileURLToPath(new URL('.', import.meta.url)),
  testMatch: '*.e2e.ts',
  timeout: 60_000,
  // One Electron app at a time: they share the single-instance lock.
  workers: 1,
  // Traces and screenshots with the other test output, not in a new folder at the root.
  outputDir: fileURLToPath(new URL('../../.test-results/playwright-electron', import.meta.url)),
  reporter: [['list'], ['json', { outputFile: fileURLToPath(new URL('../../.test-results/electron-e2e.json', import.meta.url)) }]],
});
