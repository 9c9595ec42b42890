/**
 * What each invoke channel does. Arguments arrive already validated and from
 * a trusted sender (ipc.ts); these functions only do the work.
 */
import type { DesktopAppInfo } from '../../shared/ipc.js';
import type { InvokeHandlers } from './ipc.js';
import type { FileActions } from './save-file.js';
import type { Vault } from './vault.js';

export interface HandlerDeps<S> {
  vault: Vault;
  appInfo: () => DesktopAppInfo;
  /** Exports and prints for the window that sent the call (files.ts in the app). */
  files: FileActions<S>;
}

/** Generic over the event so tests can call the real handlers with a stand-in sender. */
export function createInvokeHandlers<E extends { readonly sender: unknown }>(deps: HandlerDeps<E['sender']>): InvokeHandlers<E> {
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
    // A cancelled dialog is an answer too: nothing was saved, nothing failed.
    'file:export': async (event, suggestedName, content, mimeType) => {
      await deps.files.exportText(event.sender, suggestedName, content, mimeType);
      return null;
    },
    'page:print': async (event, suggestedName) => {
      await deps.files.printToPdf(event.sender, suggestedName);
      return null;
    },
  };
}
