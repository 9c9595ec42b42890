/**
 * What a page may do beyond rendering itself: open windows, navigate, embed
 * webviews, ask for permissions. The answer is no, with three permissions
 * granted to the app's own origin only:
 *
 * - geolocation: `currentPosition()` (the preload reads navigator.geolocation)
 *   stamps counts and asset visits with where the technician was; the
 *   platform contract already answers null when it is unknown or refused.
 * - persistent-storage: unsynced work lives in IndexedDB, which Chromium may
 *   otherwise evict under disk pressure (reliability notes).
 * - local network access (Chromium's gate on requests to loopback and the
 *   LAN): the sync server is often on 127.0.0.1 (`npm start`) or the depot's
 *   network.
 *
 * No external URL is ever opened: nothing in the app links out today, and
 * shell.openExternal with a page-supplied URL is a classic escape hatch.
 */
import { isAppUrl } from './origin.js';

/** The part of a Session the guards set (Electron's Session has it; tests pass a stand-in). */
export interface GuardableSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void,
  ): void;
  setPermissionCheckHandler(handler: (contents: unknown, permission: string, requestingOrigin: string) => boolean): void;
  setDevicePermissionHandler(handler: () => boolean): void;
}

export interface NavigationEvent {
  readonly url: string;
  preventDefault(): void;
}

/** The part of a WebContents the guards use. */
export interface GuardableContents {
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

export const GRANTED_PERMISSIONS: readonly string[] = [
  'geolocation',
  'persistent-storage',
  'local-network-access',
  'local-network',
  'loopback-network',
];

/** The decision behind both permission handlers. */
export function isPermissionGranted(permission: string, requestingUrl: string): boolean {
  return GRANTED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl);
}

/** Same-origin navigation only (a reload or a client-side route), never away from the app. */
export function isNavigationAllowed(targetUrl: string): boolean {
  return isAppUrl(targetUrl);
}

export function installSessionGuards(session: GuardableSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionGranted(permission, details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionGranted(permission, requestingOrigin),
  );
  // USB, HID and serial devices: none is used, so none is offered.
  session.setDevicePermissionHandler(() => false);
}

/** Applied to every WebContents the app creates (lifecycle.ts, 'web-contents-created'). */
export function installContentsGuards(contents: GuardableContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}
