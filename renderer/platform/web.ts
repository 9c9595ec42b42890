/**
 * The platform API with browser APIs, for the web build (warehouse staff in a
 * browser, and end-to-end tests). Electron's preload provides the same API
 * over IPC with OS facilities instead.
 */
import type { FieldstockPlatform, GeoPosition, PlatformEvent, StoredSession } from '../../shared/platform.js';

/** localStorage key of the stored session. */
export const SESSION_STORAGE_KEY = 'fieldstock.session';

export interface WebPlatformOptions {
  window?: Window;
  /**
   * Trade-off: localStorage is readable by any script running on this origin, so an
   * XSS bug would expose the refresh token (Electron keeps it encrypted with the OS
   * keychain instead). An httpOnly cookie would hide it from scripts but needs
   * server support and CSRF protection; the web build is for trusted networks.
   */
  storage?: Storage;
  version?: string;
  geolocationTimeoutMs?: number;
}

export function createWebPlatform(options: WebPlatformOptions = {}): FieldstockPlatform {
  const win = options.window ?? window;
  const storage = options.storage ?? win.localStorage;
  const version = options.version ?? '0.1.0';
  const geolocationTimeoutMs = options.geolocationTimeoutMs ?? 10_000;

  return {
    async info() {
      return { platform: 'web', version };
    },

    async saveSession(session) {
      storage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    },

    async loadSession() {
      const raw = storage.getItem(SESSION_STORAGE_KEY);
      if (raw === null) return null;
      const session = parseStoredSession(raw);
      // A damaged entry would fail every start: drop it, the user signs in again.
      if (!session) storage.removeItem(SESSION_STORAGE_KEY);
      return session;
    },

    async clearSession() {
      storage.removeItem(SESSION_STORAGE_KEY);
    },

    currentPosition() {
      const geolocation = win.navigator.geolocation as Geolocation | undefined;
      if (!geolocation) return Promise.resolve(null);
      return new Promise<GeoPosition | null>((resolve) => {
        geolocation.getCurrentPosition(
          (position) => resolve({ latitude: position.coords.latitude, longitude: position.coords.longitude }),
          // Refused, unavailable or too slow: "unknown" is an answer the UI handles.
          () => resolve(null),
          { enableHighAccuracy: false, timeout: geolocationTimeoutMs, maximumAge: 60_000 },
        );
      });
    },

    on(event: PlatformEvent, listener: () => void) {
      if (event === 'online' || event === 'offline') {
        win.addEventListener(event, listener);
        return () => win.removeEventListener(event, listener);
      }
      // A browser has no resume-from-sleep event: a page shown again (tab back in view,
      // or restored from the back/forward cache) is the moment to catch up.
      const onVisibility = () => {
        if (win.document.visibilityState === 'visible') listener();
      };
      const onPageShow = (e: PageTransitionEvent) => {
        if (e.persisted) listener();
      };
      win.document.addEventListener('visibilitychange', onVisibility);
      win.addEventListener('pageshow', onPageShow);
      return () => {
        win.document.removeEventListener('visibilitychange', onVisibility);
        win.removeEventListener('pageshow', onPageShow);
      };
    },

    async exportFile(suggestedName, content, mimeType) {
      const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
      const link = win.document.createElement('a');
      link.href = url;
      link.download = suggestedName;
      link.style.display = 'none';
      win.document.body.append(link);
      try {
        link.click();
      } finally {
        link.remove();
        // Revoking at once can cancel the download in some browsers.
        win.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      }
    },

    async printPage(suggestedName) {
      // The browser names the PDF after the title when printing to a file.
      const title = win.document.title;
      win.document.title = suggestedName;
      // Chromium's print() returns once the dialog has closed (afterprint has fired by
      // then); other browsers may return at once and print later, still reading the title.
      const restore = () => {
        win.removeEventListener('afterprint', restore);
        win.document.title = title;
      };
      win.addEventListener('afterprint', restore);
      try {
        win.print();
      } catch (error) {
        restore();
        throw error;
      }
    },
  };
}

function parseStoredSession(raw: string): StoredSession | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { serverUrl, username, refreshToken } = value as Record<string, unknown>;
  if (typeof serverUrl !== 'string' || typeof username !== 'string' || typeof refreshToken !== 'string') return null;
  if (!serverUrl || !username || !refreshToken) return null;
  return { serverUrl, username, refreshToken };
}
