/**
 * The platform API the renderer uses for what only the host can do. The
 * Electron preload implements it over IPC (`window.fieldstock`); the web
 * build implements it with browser APIs. The renderer never knows which.
 */

export interface StoredSession {
  serverUrl: string;
  username: string;
  /** The refresh token only; access tokens live in memory. */
  refreshToken: string;
}

export interface GeoPosition {
  latitude: number;
  longitude: number;
}

export type PlatformEvent = 'resume' | 'online' | 'offline';

export interface AppInfo {
  platform: 'electron' | 'web';
  version: string;
}

export interface FieldstockPlatform {
  info(): Promise<AppInfo>;
  /** Kept encrypted with the OS keychain in Electron (safeStorage). */
  saveSession(session: StoredSession): Promise<void>;
  loadSession(): Promise<StoredSession | null>;
  clearSession(): Promise<void>;
  /** The device's position, or null when unknown or refused. */
  currentPosition(): Promise<GeoPosition | null>;
  /** Resume from sleep and network changes: the sync engine resyncs on these. Returns an unsubscribe function. */
  on(event: PlatformEvent, listener: () => void): () => void;
  /** Saves text (CSV) through a save dialog or a download. */
  exportFile(suggestedName: string, content: string, mimeType: string): Promise<void>;
  /** Prints the current page (PDF in Electron, the browser's print dialog on the web). */
  printPage(suggestedName: string): Promise<void>;
}

declare global {
  interface Window {
    fieldstock?: FieldstockPlatform;
  }
}
