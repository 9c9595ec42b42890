/**
 * `window.fieldstock` for the Electron renderer: FieldstockPlatform over the
 * declared IPC channels and nothing else. The page never gets ipcRenderer, an
 * IpcRendererEvent (its `sender` is ipcRenderer) or a way to name a channel:
 * each method is bound to its own channel here.
 */
import {
  EVENT_VALIDATORS,
  PLATFORM_EVENT_CHANNELS,
  RESULT_VALIDATORS,
  ipcErrorMessage,
  isIpcResult,
  isPlatformEvent,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
} from '../../shared/ipc.js';
import type { FieldstockPlatform, GeoPosition } from '../../shared/platform.js';

/** The part of ipcRenderer the API uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface GeolocationLike {
  getCurrentPosition(
    success: (position: { coords: { latitude: number; longitude: number } }) => void,
    failure: () => void,
    options: { enableHighAccuracy: boolean; timeout: number; maximumAge: number },
  ): void;
}

export interface PlatformApiDeps {
  ipc: RendererIpc;
  /** navigator.geolocation in the preload's world; main grants the permission to the app origin only. */
  geolocation: () => GeolocationLike | undefined;
}

const POSITION_TIMEOUT_MS = 10_000;

export function createPlatformApi({ ipc, geolocation }: PlatformApiDeps): FieldstockPlatform {
  const call = async <C extends InvokeChannel>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>> => {
    const reply = await ipc.invoke(channel, ...args);
    if (!isIpcResult(reply)) {
      throw new Error(ipcErrorMessage({ code: 'internal-error', message: `The desktop shell gave no valid answer to "${channel}".` }));
    }
    if (!reply.ok) throw new Error(ipcErrorMessage(reply.error));
    const isResult: (value: unknown) => value is InvokeResult<C> = RESULT_VALIDATORS[channel];
    if (!isResult(reply.value)) {
      throw new Error(ipcErrorMessage({ code: 'internal-error', message: `The answer to "${channel}" does not match its contract.` }));
    }
    return reply.value;
  };

  const api = {
    info: () => call('app:info'),
    saveSession: async (session) => {
      await call('session:save', session);
    },
    loadSession: () => call('session:load'),
    clearSession: async () => {
      await call('session:clear');
    },
    currentPosition: () =>
      new Promise<GeoPosition | null>((resolve) => {
        const geo = geolocation();
        if (!geo) {
          resolve(null);
          return;
        }
        // Unknown, refused or too slow all read as null: the contract's "not known".
        geo.getCurrentPosition(
          ({ coords }) => resolve({ latitude: coords.latitude, longitude: coords.longitude }),
          () => resolve(null),
          { enableHighAccuracy: false, timeout: POSITION_TIMEOUT_MS, maximumAge: 60_000 },
        );
      }),
    on: (event, listener) => {
      // Values from the page are not trusted to match the types.
      if (!isPlatformEvent(event)) throw new TypeError(`Unknown platform event "${String(event)}".`);
      if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
      const channel = PLATFORM_EVENT_CHANNELS[event];
      const isPayload = EVENT_VALIDATORS[channel];
      // The IPC event object stays here: its `sender` would hand the page ipcRenderer.
      const forward = (_event: unknown, ...payload: unknown[]) => {
        if (isPayload(payload)) listener();
      };
      ipc.on(channel, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(channel, forward);
      };
    },
    exportFile: async (suggestedName, content, mimeType) => {
      await call('file:export', suggestedName, content, mimeType);
    },
    printPage: async (suggestedName) => {
      await call('page:print', suggestedName);
    },
  } satisfies FieldstockPlatform;
  return api;
}
