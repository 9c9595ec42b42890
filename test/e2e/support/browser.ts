/**
 * How the end-to-end tests start Chromium: Debian's package (`apt-get install -y
 * chromium`), because Playwright cannot download its own browsers on these machines.
 * PLAYWRIGHT_CHROMIUM points at another binary.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.PLAYWRIGHT_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const launchOptions = { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS };

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export const NO_CHROMIUM_REASON = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set PLAYWRIGHT_CHROMIUM)`;
