import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../../shared/ipc.js';

type Handler = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  const appHandlers = new Map<string, Handler[]>();
  const windows: FakeWindow[] = [];
  class FakeWindow {
    readonly options: unknown;
    readonly loaded: string[] = [];
    minimized = true;
    restore = vi.fn(() => (this.minimized = false));
    focus = vi.fn();
    show = vi.fn();
    webContents = { send: vi.fn() };
    constructor(options: unknown) {
      this.options = options;
      windows.push(this);
    }
    once() {
      return this;
    }
    on() {
      return this;
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return this.minimized;
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
    static getAllWindows() {
      return windows;
    }
  }
  const state = {
    lock: true,
    ready: Promise.resolve(),
    userData: '',
    appData: '/home/tech/.config',
    switches: [] as string[],
  };
  const ipcHandlers = new Map<string, Handler>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const electron = {
    app: {
      requestSingleInstanceLock: vi.fn(() => state.lock),
      quit: vi.fn(),
      exit: vi.fn(),
      enableSandbox: vi.fn(),
      isPackaged: true as boolean,
      whenReady: vi.fn(() => state.ready),
      on: vi.fn((event: string, handler: Handler) => {
        appHandlers.set(event, [...(appHandlers.get(event) ?? []), handler]);
      }),
      getPath: vi.fn((name: string) => (name === 'appData' ? state.appData : state.userData)),
      setPath: vi.fn(),
      commandLine: { hasSwitch: vi.fn((name: string) => state.switches.includes(name)) },
      getVersion: () => '0.1.0',
      getName: () => 'Fieldstock',
    },
    protocol: { registerSchemesAsPrivileged: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
        protocol: {
          handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => protocolHandlers.set(scheme, handler)),
        },
      },
    },
    ipcMain: { handle: vi.fn((channel: string, handler: Handler) => ipcHandlers.set(channel, handler)) },
    BrowserWindow: FakeWindow,
    Menu: { buildFromTemplate: vi.fn((template: unknown) => template), setApplicationMenu: vi.fn() },
    powerMonitor: { on: vi.fn(), removeListener: vi.fn() },
    net: { isOnline: () => true },
    safeStorage: { isEncryptionAvailable: () => false, encryptString: vi.fn(), decryptString: vi.fn() },
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn() },
  };
  const emit = (event: string, ...args: unknown[]) => appHandlers.get(event)?.forEach((h) => h(...args));
  return { electron, state, windows, appHandlers, ipcHandlers, protocolHandlers, emit };
});
vi.mock('electron', () => fake.electron);

const { startApp } = await import('../../../electron/main/lifecycle.js');

const APP_FRAME = { senderFrame: { url: 'app://fieldstock/index.html', parent: null } };

describe('the app lifecycle', () => {
  let dir: string;
  let bundleDir: string;
  beforeEach(() => {
    vi.clearAllMocks();
    fake.appHandlers.clear();
    fake.ipcHandlers.clear();
    fake.protocolHandlers.clear();
    fake.windows.length = 0;
    fake.state.lock = true;
    dir = mkdtempSync(path.join(tmpdir(), 'fieldstock-lifecycle-'));
    fake.state.userData = path.join(dir, 'userData');
    bundleDir = path.join(dir, 'dist', 'electron');
    mkdirSync(path.join(dir, 'renderer', 'dist'), { recursive: true });
    writeFileSync(path.join(dir, 'renderer', 'dist', 'index.html'), '<!doctype html><title>Fieldstock</title>');
  });
  afterEach(async () => {
    // Let a started app finish its 'ready' work (a window, or an exit) before the next test.
    await vi.waitFor(() => {
      if (fake.electron.app.whenReady.mock.calls.length === 0) return;
      expect(fake.windows.length + fake.electron.app.exit.mock.calls.length).toBeGreaterThan(0);
    });
    rmSync(dir, { recursive: true, force: true });
  });

  const env = { FIELDSTOCK_SERVER_URL: 'https://depot.example.com', FIELDSTOCK_ALLOWED_SERVERS: 'https://depot.example.com' };

  it('quits a second instance before doing anything else', () => {
    fake.state.lock = false;
    expect(startApp({ env, bundleDir })).toBe(false);
    expect(fake.electron.app.quit).toHaveBeenCalledOnce();
    expect(fake.electron.app.whenReady).not.toHaveBeenCalled();
    expect(fake.electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
    expect(fake.electron.ipcMain.handle).not.toHaveBeenCalled();
    expect(fake.windows).toEqual([]);
  });

  it('focuses the existing window when a second instance starts', async () => {
    startApp({ env, bundleDir });
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    fake.emit('second-instance');
    expect(fake.windows[0]?.restore).toHaveBeenCalledOnce();
    expect(fake.windows[0]?.focus).toHaveBeenCalledOnce();
  });

  it("keeps a development build's data apart from an installed app's", () => {
    fake.electron.app.isPackaged = false;
    try {
      startApp({ env: { ...env, FIELDSTOCK_EMBEDDED_BACKEND: '0' }, bundleDir });
    } finally {
      fake.electron.app.isPackaged = true;
    }
    expect(fake.electron.app.setPath).toHaveBeenCalledWith('userData', path.join('/home/tech/.config', 'Fieldstock (development)'));
    expect(fake.electron.app.setPath.mock.invocationCallOrder[0]).toBeLessThan(
      fake.electron.app.requestSingleInstanceLock.mock.invocationCallOrder[0] ?? 0,
    );
  });

  it('leaves an explicit --user-data-dir alone, so tests can isolate a development build', () => {
    fake.electron.app.isPackaged = false;
    fake.state.switches = ['user-data-dir'];
    try {
      startApp({ env, bundleDir });
    } finally {
      fake.electron.app.isPackaged = true;
      fake.state.switches = [];
    }
    expect(fake.electron.app.setPath).not.toHaveBeenCalled();
  });

  it('uses the default userData folder when packaged', () => {
    startApp({ env, bundleDir });
    expect(fake.electron.app.setPath).not.toHaveBeenCalled();
  });

  it('sandboxes every renderer and registers app:// as a secure standard scheme before ready', () => {
    startApp({ env, bundleDir });
    expect(fake.electron.app.enableSandbox).toHaveBeenCalledOnce();
    expect(fake.electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(fake.appHandlers.has('web-contents-created')).toBe(true);
  });

  it('wires the permission guards, the protocol, every IPC channel and the window once ready', async () => {
    startApp({ env, bundleDir });
    await vi.waitFor(() => expect(fake.windows[0]?.loaded).toEqual(['app://fieldstock/index.html']));
    const session = fake.electron.session.defaultSession;
    expect(session.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(session.setPermissionCheckHandler).toHaveBeenCalledOnce();
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(fake.windows[0]?.options).toMatchObject({
      webPreferences: { preload: path.join(bundleDir, 'preload.cjs'), sandbox: true, contextIsolation: true, devTools: false },
    });
  });

  it('serves the renderer with a CSP limited to the configured servers', async () => {
    startApp({ env, bundleDir });
    await vi.waitFor(() => expect(fake.protocolHandlers.has('app')).toBe(true));
    const response = await fake.protocolHandlers.get('app')?.(new Request('app://fieldstock/index.html'));
    expect(response?.status).toBe(200);
    const connect = response?.headers.get('content-security-policy')?.split('; ').find((d) => d.startsWith('connect-src'));
    expect(connect).toBe("connect-src 'self' http://127.0.0.1:* http://localhost:* http://[::1]:* https://depot.example.com");
  });

  it('answers app:info with the configured default server', async () => {
    startApp({ env, bundleDir });
    await vi.waitFor(() => expect(fake.ipcHandlers.has('app:info')).toBe(true));
    expect(await fake.ipcHandlers.get('app:info')?.(APP_FRAME)).toEqual({
      ok: true,
      value: { platform: 'electron', version: '0.1.0', defaultServerUrl: 'https://depot.example.com' },
    });
  });

  it('refuses to store a session when the OS offers no encryption', async () => {
    startApp({ env, bundleDir });
    await vi.waitFor(() => expect(fake.ipcHandlers.has('session:save')).toBe(true));
    const session = { serverUrl: 'https://depot.example.com', username: 'tech1', refreshToken: 'r' };
    expect(await fake.ipcHandlers.get('session:save')?.(APP_FRAME, session)).toMatchObject({
      ok: false,
      error: { code: 'encryption-unavailable' },
    });
  });

  it('stops with an error box on an invalid server setting instead of starting half-configured', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    startApp({ env: { FIELDSTOCK_SERVER_URL: 'ftp://depot' }, bundleDir });
    await vi.waitFor(() => expect(fake.electron.app.exit).toHaveBeenCalledWith(1));
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
    expect(fake.electron.dialog.showErrorBox).toHaveBeenCalledOnce();
    expect(fake.windows).toEqual([]);
  });

  it('quits when the last window closes, except on macOS', () => {
    startApp({ env, bundleDir });
    fake.emit('window-all-closed');
    expect(fake.electron.app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1);
  });
});
