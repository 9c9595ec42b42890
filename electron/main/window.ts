/**
 * The main window: the renderer runs with no Node, in Chromium's sandbox, in
 * an isolated world, and reaches the OS only through the preload's
 * `window.fieldstock`. Each flag is set explicitly, even where it is
 * Electron's default, so a changed default cannot weaken the app. They are
 * written inline in `new BrowserWindow(...)` on purpose: the security gate
 * (electronegativity) reads this call and cannot follow a helper function.
 */
import { BrowserWindow } from 'electron';
import { APP_START_URL } from './origin.js';

export interface MainWindowOptions {
  preloadPath: string;
  /** DevTools only in development builds. */
  devTools: boolean;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Fieldstock',
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 560,
    // Shown once painted, so the user never sees a blank white frame.
    show: false,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click would otherwise try to open links in a new window (denied anyway).
      disableBlinkFeatures: 'Auxclick',
      devTools: options.devTools,
      // The `remote` module no longer exists (removed in Electron 14) and
      // @electron/remote is not a dependency: there is nothing to switch off.
    },
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

/** Loads the renderer from the app's own origin, never from file:// or the network. */
export async function loadRenderer(window: BrowserWindow): Promise<void> {
  await window.loadURL(APP_START_URL);
}
