/**
 * The preload, bundled to one CommonJS file (dist/electron/preload.cjs): a
 * sandboxed preload can require 'electron' and nothing from the disk.
 * contextBridge throws without context isolation, and there is deliberately
 * no fallback that would put the API on the page's own window.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPlatformApi } from './api.js';

contextBridge.exposeInMainWorld(
  'fieldstock',
  createPlatformApi({ ipc: ipcRenderer, geolocation: () => globalThis.navigator.geolocation }),
);
