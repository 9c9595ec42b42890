import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const created: { options: unknown; loaded: string[]; onceHandlers: Map<string, () => void> }[] = [];
  class BrowserWindow {
    readonly loaded: string[] = [];
    readonly onceHandlers = new Map<string, () => void>();
    show = vi.fn();
    constructor(options: unknown) {
      created.push({ options, loaded: this.loaded, onceHandlers: this.onceHandlers });
    }
    once(event: string, handler: () => void) {
      this.onceHandlers.set(event, handler);
      return this;
    }
    async loadURL(url: string) {
      this.loaded.push(url);
    }
  }
  return { created, BrowserWindow };
});
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow }));

const { createMainWindow, loadRenderer } = await import('../../../electron/main/window.js');

describe('the main window', () => {
  beforeEach(() => {
    electron.created.length = 0;
  });

  function webPreferencesOf(devTools: boolean): Record<string, unknown> {
    createMainWindow({ preloadPath: '/app/dist/electron/preload.cjs', devTools });
    const options = electron.created[0]?.options;
    if (typeof options !== 'object' || options === null || !('webPreferences' in options)) throw new Error('no webPreferences');
    const prefs = options.webPreferences;
    if (typeof prefs !== 'object' || prefs === null) throw new Error('webPreferences is not an object');
    return { ...prefs };
  }

  it('isolates the preload from the page (contextIsolation)', () => {
    expect(webPreferencesOf(false).contextIsolation).toBe(true);
  });

  it('runs the renderer in the sandbox', () => {
    expect(webPreferencesOf(false).sandbox).toBe(true);
  });

  it('gives the page no Node, in the page, workers or subframes', () => {
    const prefs = webPreferencesOf(false);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and insecure content, webviews and experimental features off', () => {
    const prefs = webPreferencesOf(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.navigateOnDragDrop).toBe(false);
    expect(prefs.disableBlinkFeatures).toBe('Auxclick');
  });

  it('has no remote module and no Blink features switched on', () => {
    const prefs = webPreferencesOf(false);
    expect(prefs).not.toHaveProperty('enableRemoteModule');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });

  it('loads the bundled preload and offers DevTools only in development', () => {
    expect(webPreferencesOf(false)).toMatchObject({ preload: '/app/dist/electron/preload.cjs', devTools: false });
    electron.created.length = 0;
    expect(webPreferencesOf(true).devTools).toBe(true);
  });

  it('loads the renderer from app://fieldstock, not file://', async () => {
    const window = createMainWindow({ preloadPath: '/p.cjs', devTools: false });
    await loadRenderer(window);
    expect(electron.created[0]?.loaded).toEqual(['app://fieldstock/index.html']);
  });

  it('shows itself only once painted', () => {
    createMainWindow({ preloadPath: '/p.cjs', devTools: false });
    expect(electron.created[0]?.options).toMatchObject({ show: false });
    expect(electron.created[0]?.onceHandlers.has('ready-to-show')).toBe(true);
  });
});
