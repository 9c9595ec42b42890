import { createContext, useContext } from 'react';
import type { FieldstockPlatform } from '../../shared/platform.js';
import type { SessionController } from '../session/controller.js';

/** The long-lived objects the screens use, made once at start (main.tsx) or by a test. */
export interface AppServices {
  platform: FieldstockPlatform;
  controller: SessionController;
  /** What the sign-in form proposes as the server address. */
  defaultServerUrl: string;
}

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a ServicesContext provider');
  return services;
}

/**
 * The web build is served by the backend's origin (npm run web), so that is the
 * server; Electron loads from its own protocol and proposes the local backend.
 */
export function defaultServerUrl(location: Pick<Location, 'protocol' | 'origin'>): string {
  return location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : 'http://127.0.0.1:4310';
}
