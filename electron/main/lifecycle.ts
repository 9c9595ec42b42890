/**
 * App lifecycle and wiring: one instance, secure defaults before anything is
 * loaded, then the protocol, IPC, vault, menu, power signals and the window.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BrowserWindow,
  Menu,
  app,
  dialog,
  ipcMain,
  net,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  type WebContents,
} from 'electron';
import { isServerUrl, type DesktopAppInfo, type EventChannel, type IpcEventMap } from '../../shared/ipc.js';
import { devBackendCommand, startEmbeddedBackend, type EmbeddedBackend } from './backend.js';
import { buildContentSecurityPolicy, parseAllowedServers, serverOrigin } from './csp.js';
import { installContentsGuards, installSessionGuards } from './guards.js';
import { createInvokeHandlers } from './handlers.js';
import { electronFileActions } from './files.js';
import { registerInvokeHandlers } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { APP_SCHEME } from './origin.js';
import { watchPowerAndNetwork } from './power.js';
import { createAppProtocolHandler } from './protocol.js';
import { createVault } from './vault.js';
import { createMainWindow, loadRenderer } from './window.js';

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** The folder of the built main bundle (dist/electron); the preload sits beside it. */
  bundleDir?: string;
}

/** Sends a declared event; the payload type comes from the contract. */
export function sendEvent<C extends EventChannel>(contents: WebContents, channel: C, ...payload: IpcEventMap[C]): void {
  contents.send(channel, ...payload);
}

/** Starts the app; false when another instance already runs (this one then quits). */
export function startApp(options: StartOptions = {}): boolean {
  const devBuild = !app.isPackaged;
  // A development build keeps its own data (IndexedDB, session, embedded backend): an
  // experimental schema must never touch an installed app's unsynced work. Set before the
  // lock, which Chromium takes in the userData folder. An explicit --user-data-dir (tests)
  // still wins.
  if (devBuild && !app.commandLine.hasSwitch('user-data-dir')) {
    app.setPath('userData', path.join(app.getPath('appData'), 'Fieldstock (development)'));
  }

  // A second instance would open the same IndexedDB and session file: hand over and leave.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }

  const env = options.env ?? process.env;
  const bundleDir = options.bundleDir ?? path.dirname(fileURLToPath(import.meta.url));

  // Before 'ready': every renderer sandboxed, whatever a window's options say,
  // and app:// registered as a standard, secure origin (fetch, IndexedDB and
  // crypto.subtle need a secure context).
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  let mainWindow: BrowserWindow | undefined;
  let backend: EmbeddedBackend | undefined;
  let stopWatching: (() => void) | undefined;

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => installContentsGuards(contents));

  const broadcast = (channel: EventChannel) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) sendEvent(window.webContents, channel);
    }
  };

  const openWindow = async () => {
    mainWindow = createMainWindow({ preloadPath: path.join(bundleDir, 'preload.cjs'), devTools: devBuild });
    mainWindow.on('closed', () => (mainWindow = undefined));
    await loadRenderer(mainWindow);
  };

  const onReady = async () => {
    const configuredServer = env.FIELDSTOCK_SERVER_URL;
    if (configuredServer !== undefined && configuredServer !== '' && !isServerUrl(configuredServer)) {
      throw new Error(`FIELDSTOCK_SERVER_URL must be an http(s) URL, not "${configuredServer}"`);
    }
    let defaultServerUrl = configuredServer || null;
    if (defaultServerUrl === null && devBuild && env.FIELDSTOCK_EMBEDDED_BACKEND !== '0') {
      backend = await startDevBackend(env, bundleDir);
      defaultServerUrl = backend?.url ?? null;
    }

    const allowed = parseAllowedServers(env.FIELDSTOCK_ALLOWED_SERVERS);
    const csp = buildContentSecurityPolicy({
      serverOrigins: allowed && defaultServerUrl ? [...allowed, serverOrigin(defaultServerUrl)] : allowed,
    });

    installSessionGuards(session.defaultSession);
    session.defaultSession.protocol.handle(
      APP_SCHEME,
      // The renderer's Vite build writes renderer/dist (relative asset paths), in the
      // checkout and, with the same layout, inside app.asar.
      createAppProtocolHandler({ rootDir: path.resolve(bundleDir, '..', '..', 'renderer', 'dist'), csp }),
    );

    const vault = createVault({
      file: path.join(app.getPath('userData'), 'session.bin'),
      safeStorage,
      platform: process.platform,
    });
    const appInfo = (): DesktopAppInfo => ({ platform: 'electron', version: app.getVersion(), defaultServerUrl });
    registerInvokeHandlers(ipcMain, createInvokeHandlers({ vault, appInfo, files: electronFileActions }));

    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({
          appName: app.getName(),
          isMac: process.platform === 'darwin',
          isDev: devBuild,
          onSyncNow: () => broadcast('platform:resume'),
          onAbout: () => void showAbout(),
        }),
      ),
    );
    stopWatching = watchPowerAndNetwork({ powerMonitor, isOnline: () => net.isOnline(), broadcast });

    await openWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void openWindow();
    });
  };

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // The embedded backend gets to close SQLite before the app exits.
  let stopping = false;
  app.on('will-quit', (event) => {
    stopWatching?.();
    if (!backend) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void backend.stop().finally(() => {
      backend = undefined;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error('Fieldstock could not start:', error);
      dialog.showErrorBox('Fieldstock could not start', message);
      app.exit(1);
    });
  return true;
}

async function startDevBackend(env: NodeJS.ProcessEnv, bundleDir: string): Promise<EmbeddedBackend | undefined> {
  // dist/electron → the checkout; npm sets npm_node_execpath for `npm start`.
  const command = devBackendCommand(path.resolve(bundleDir, '..', '..'), env.npm_node_execpath ?? 'node');
  if (!command) return undefined;
  try {
    const started = await startEmbeddedBackend({
      backend: command,
      dataDir: path.join(app.getPath('userData'), 'embedded-backend'),
      preferredPort: 4310,
      env,
    });
    console.log(`Fieldstock: embedded backend with demo data on ${started.url}`);
    return started;
  } catch (error) {
    // The app is still useful against another server: say why and go on.
    console.error('Fieldstock: the embedded backend did not start;', error instanceof Error ? error.message : error);
    return undefined;
  }
}

async function showAbout(): Promise<void> {
  await dialog.showMessageBox({
    type: 'info',
    title: `About ${app.getName()}`,
    message: `${app.getName()} ${app.getVersion()}`,
    detail: `Electron ${process.versions.electron ?? '?'} · Chromium ${process.versions.chrome ?? '?'} · Node ${process.versions.node}`,
  });
}
