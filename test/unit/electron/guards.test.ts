import { describe, expect, it, vi } from 'vitest';
import {
  GRANTED_PERMISSIONS,
  installContentsGuards,
  installSessionGuards,
  isNavigationAllowed,
  isPermissionGranted,
} from '../../../electron/main/guards.js';

type Listener = (event: { url: string; preventDefault: () => void }) => void;

/** A WebContents stand-in that records what the guards install. */
function fakeContents() {
  const listeners = new Map<string, Listener>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      windowOpenHandler = handler;
    },
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return contents;
    },
  };
  const emit = (event: string, url: string) => {
    const preventDefault = vi.fn();
    const listener = listeners.get(event);
    if (!listener) throw new Error(`no ${event} listener`);
    listener({ url, preventDefault });
    return preventDefault.mock.calls.length > 0;
  };
  installContentsGuards(contents);
  return { emit, openWindow: (url: string) => windowOpenHandler?.({ url }) };
}

function fakeSession() {
  type RequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
  type CheckHandler = (contents: unknown, permission: string, origin: string) => boolean;
  const handlers: { request?: RequestHandler; check?: CheckHandler; device?: () => boolean } = {};
  const session = {
    setPermissionRequestHandler: (handler: RequestHandler) => (handlers.request = handler),
    setPermissionCheckHandler: (handler: CheckHandler) => (handlers.check = handler),
    setDevicePermissionHandler: (handler: () => boolean) => (handlers.device = handler),
  };
  installSessionGuards(session);
  const request = (permission: string, requestingUrl: string) => {
    let answer: boolean | undefined;
    handlers.request?.(null, permission, (granted) => (answer = granted), { requestingUrl });
    return answer;
  };
  return { request, check: (permission: string, origin: string) => handlers.check?.(null, permission, origin), handlers };
}

describe('window and navigation guards', () => {
  it('denies window.open, whatever the URL', () => {
    const contents = fakeContents();
    expect(contents.openWindow('https://example.com/')).toEqual({ action: 'deny' });
    expect(contents.openWindow('app://fieldstock/index.html')).toEqual({ action: 'deny' });
  });

  it('prevents navigation to a foreign origin', () => {
    const contents = fakeContents();
    expect(contents.emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.emit('will-navigate', 'app://fieldstock.evil.example/')).toBe(true);
  });

  it('allows navigation within the app origin', () => {
    const contents = fakeContents();
    expect(contents.emit('will-navigate', 'app://fieldstock/index.html')).toBe(false);
    expect(contents.emit('will-navigate', 'app://fieldstock/receipts/42')).toBe(false);
  });

  it('prevents a redirect to a foreign origin and allows one within the app', () => {
    const contents = fakeContents();
    expect(contents.emit('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.emit('will-redirect', 'app://fieldstock/index.html')).toBe(false);
  });

  it('prevents attaching a webview', () => {
    expect(fakeContents().emit('will-attach-webview', 'app://fieldstock/index.html')).toBe(true);
  });

  it('decides navigation by origin only', () => {
    expect(isNavigationAllowed('app://fieldstock/x')).toBe(true);
    expect(isNavigationAllowed('http://127.0.0.1:4310/')).toBe(false);
  });
});

describe('permission handlers', () => {
  it.each(['media', 'notifications', 'openExternal', 'clipboard-read', 'display-capture', 'hid', 'usb', 'unknown'])(
    'deny %s, even to the app itself',
    (permission) => {
      const session = fakeSession();
      expect(session.request(permission, 'app://fieldstock/index.html')).toBe(false);
      expect(session.check(permission, 'app://fieldstock')).toBe(false);
    },
  );

  it.each([...GRANTED_PERMISSIONS])('grant %s to the app origin only', (permission) => {
    const session = fakeSession();
    expect(session.request(permission, 'app://fieldstock/index.html')).toBe(true);
    expect(session.check(permission, 'app://fieldstock')).toBe(true);
    expect(session.request(permission, 'https://evil.example/')).toBe(false);
    expect(session.check(permission, 'https://evil.example')).toBe(false);
  });

  it('grants nothing beyond geolocation, persistent storage and local network access', () => {
    expect([...GRANTED_PERMISSIONS].sort()).toEqual(
      ['geolocation', 'local-network', 'local-network-access', 'loopback-network', 'persistent-storage'].sort(),
    );
    expect(isPermissionGranted('geolocation', 'file:///index.html')).toBe(false);
  });

  it('offers no USB, HID or serial device', () => {
    expect(fakeSession().handlers.device?.()).toBe(false);
  });
});
