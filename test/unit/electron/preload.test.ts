import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PLATFORM_METHODS, ipcErrorCode, type IpcResult } from '../../../shared/ipc.js';
import type { FieldstockPlatform } from '../../../shared/platform.js';
import { createPlatformApi, type GeolocationLike, type RendererIpc } from '../../../electron/preload/api.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  ipcRenderer: {
    invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null })),
    on: vi.fn(),
    removeListener: vi.fn(),
    send: vi.fn(),
    sendSync: vi.fn(),
    postMessage: vi.fn(),
  },
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: electron.ipcRenderer,
}));

/** A recording ipcRenderer stand-in that answers each channel with a given result. */
function fakeIpc(answers: Record<string, IpcResult<unknown> | unknown> = {}) {
  const invoked: { channel: string; args: unknown[] }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: RendererIpc = {
    invoke: async (channel, ...args) => {
      invoked.push({ channel, args });
      return channel in answers ? answers[channel] : { ok: true, value: null };
    },
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel, listener) => {
      listeners.get(channel)?.delete(listener);
    },
  };
  const emit = (channel: string, ...args: unknown[]) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: 'ipcRenderer-would-leak-here' }, ...args);
  };
  return { ipc, invoked, listeners, emit };
}

const noGeolocation = () => undefined;

describe('the preload', () => {
  beforeEach(() => {
    electron.exposed.clear();
    vi.resetModules();
  });

  it('exposes window.fieldstock with exactly the FieldstockPlatform methods', async () => {
    await import('../../../electron/preload/index.js');
    expect([...electron.exposed.keys()]).toEqual(['fieldstock']);
    const api = electron.exposed.get('fieldstock');
    expect(typeof api).toBe('object');
    expect(Object.keys(api ?? {}).sort()).toEqual([...PLATFORM_METHODS].sort());
    for (const value of Object.values(api ?? {})) expect(typeof value).toBe('function');
  });

  it('never exposes ipcRenderer or a way to send on an arbitrary channel', async () => {
    await import('../../../electron/preload/index.js');
    const api = electron.exposed.get('fieldstock') ?? {};
    const values = Object.values(api);
    expect(values).not.toContain(electron.ipcRenderer);
    for (const name of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'postMessage', 'removeAllListeners']) {
      expect(api).not.toHaveProperty(name);
    }
    expect(electron.ipcRenderer.send).not.toHaveBeenCalled();
  });

  it('binds each method to its own declared channel', async () => {
    const { ipc, invoked } = fakeIpc({
      'app:info': { ok: true, value: { platform: 'electron', version: '0.1.0', defaultServerUrl: null } },
    });
    const api = createPlatformApi({ ipc, geolocation: noGeolocation });
    const session = { serverUrl: 'https://depot.example.com', username: 'tech1', refreshToken: 'r' };
    await api.info();
    await api.saveSession(session);
    await api.loadSession();
    await api.clearSession();
    await api.exportFile('stock.csv', 'a,b', 'text/csv');
    await api.printPage('receipt-42');
    expect(invoked).toEqual([
      { channel: 'app:info', args: [] },
      { channel: 'session:save', args: [session] },
      { channel: 'session:load', args: [] },
      { channel: 'session:clear', args: [] },
      { channel: 'file:export', args: ['stock.csv', 'a,b', 'text/csv'] },
      { channel: 'page:print', args: ['receipt-42'] },
    ]);
  });

  it('rejects with the error code main answered', async () => {
    const { ipc } = fakeIpc({ 'session:save': { ok: false, error: { code: 'encryption-unavailable', message: 'no keyring' } } });
    const api = createPlatformApi({ ipc, geolocation: noGeolocation });
    const error: unknown = await api.saveSession({ serverUrl: 'https://a.example', username: 'u', refreshToken: 't' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(ipcErrorCode(error)).toBe('encryption-unavailable');
  });

  it('rejects an answer that does not match the contract', async () => {
    const { ipc } = fakeIpc({ 'session:load': { ok: true, value: { refreshToken: 'only' } }, 'app:info': 'not a result' });
    const api = createPlatformApi({ ipc, geolocation: noGeolocation });
    expect(ipcErrorCode(await api.loadSession().catch((e: unknown) => e))).toBe('internal-error');
    expect(ipcErrorCode(await api.info().catch((e: unknown) => e))).toBe('internal-error');
  });

  it('forwards platform events to listeners without the IPC event object', () => {
    const { ipc, emit } = fakeIpc();
    const api = createPlatformApi({ ipc, geolocation: noGeolocation });
    const listener = vi.fn();
    api.on('resume', listener);
    emit('platform:resume');
    expect(listener).toHaveBeenCalledOnce();
    expect(listener.mock.calls[0]).toEqual([]);
    emit('platform:online');
    expect(listener).toHaveBeenCalledOnce();
  });

  it('drops an event whose payload is not the declared one', () => {
    const { ipc, emit } = fakeIpc();
    const listener = vi.fn();
    createPlatformApi({ ipc, geolocation: noGeolocation }).on('offline', listener);
    emit('platform:offline', { injected: true });
    expect(listener).not.toHaveBeenCalled();
  });

  it('unsubscribes with the function on() returns', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const listener = vi.fn();
    const off = createPlatformApi({ ipc, geolocation: noGeolocation }).on('online', listener);
    off();
    off();
    emit('platform:online');
    expect(listener).not.toHaveBeenCalled();
    expect(listeners.get('platform:online')?.size).toBe(0);
  });

  it('refuses to subscribe to anything but the declared events', () => {
    const { ipc, listeners } = fakeIpc();
    const api: FieldstockPlatform = createPlatformApi({ ipc, geolocation: noGeolocation });
    // A page can pass anything at run time; Reflect.apply goes around the types as it would.
    const on = (...args: unknown[]) => Reflect.apply(api.on, api, args);
    expect(() => on('session:save', () => undefined)).toThrow(TypeError);
    expect(() => on('__proto__', () => undefined)).toThrow(TypeError);
    expect(() => on('resume', 'not a function')).toThrow(TypeError);
    expect(listeners.size).toBe(0);
  });

  it('answers the position from geolocation, and null when it fails or is missing', async () => {
    const { ipc } = fakeIpc();
    const working: GeolocationLike = {
      getCurrentPosition: (success) => success({ coords: { latitude: 48.85, longitude: 2.35 } }),
    };
    const refusing: GeolocationLike = { getCurrentPosition: (_success, failure) => failure() };
    expect(await createPlatformApi({ ipc, geolocation: () => working }).currentPosition()).toEqual({ latitude: 48.85, longitude: 2.35 });
    expect(await createPlatformApi({ ipc, geolocation: () => refusing }).currentPosition()).toBeNull();
    expect(await createPlatformApi({ ipc, geolocation: noGeolocation }).currentPosition()).toBeNull();
  });
});
