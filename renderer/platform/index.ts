import type { FieldstockPlatform } from '../../shared/platform.js';
import { createWebPlatform } from './web.js';

let webPlatform: FieldstockPlatform | undefined;

/** The host API: Electron's preload bridge when present, otherwise the browser implementation. */
export function getPlatform(): FieldstockPlatform {
  if (window.fieldstock) return window.fieldstock;
  webPlatform ??= createWebPlatform();
  return webPlatform;
}
