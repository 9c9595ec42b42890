/**
 * What each invoke channel does. Arguments arrive already validated and from
 * a trusted sender (ipc.ts); these functions only do the work.
 */
import type { IpcMainInvokeEvent } from 'electron';
import type { DesktopAppInfo } from '../../shared/ipc.js';
import { exportTextFile, printPageToPdf } from './files.js';
import type { InvokeHandlers } from './ipc.js';
import type { Vault } from './vault.js';

export interface HandlerDeps {
  vault: Vault;
  appInfo: () => DesktopAppInfo;
}

export function createInvokeHandlers(deps: HandlerDeps): InvokeHandlers<IpcMainInvokeEvent> {
  return {
    'app:info': () => deps.appInfo(),
    'session:save': async (_event, session) => {
      await deps.vault.save(session);
      return null;
    },
    'session:load': () => deps.vault.load(),
    'session:clear': async () => {
      await deps.vault.clear();
      return null;
    },
    'file:export': async (event, suggestedName, content, mimeType) => {
      await exportTextFile(event.sender, suggestedName, content, mimeType);
      return null;
    },
    'page:print': async (event, suggestedName) => {
      await printPageToPdf(event.sender, suggestedName);
      return null;
    },
  };
}
