/**
 * Electron's side of exports and prints (save-file.ts holds the logic): the
 * save dialog is modal to the window that asked, and opens in Documents.
 */
import { writeFile } from 'node:fs/promises';
import { BrowserWindow, app, dialog, type WebContents } from 'electron';
import { createFileActions, type FileActions, type SaveFileDeps } from './save-file.js';

function saveDeps(contents: WebContents): SaveFileDeps {
  return {
    documentsDir: () => {
      try {
        return app.getPath('documents');
      } catch {
        // Some Linux desktops define no documents folder: the dialog then opens where the OS likes.
        return null;
      }
    },
    showSaveDialog: (request) => {
      const owner = BrowserWindow.fromWebContents(contents);
      return owner ? dialog.showSaveDialog(owner, request) : dialog.showSaveDialog(request);
    },
    writeFile: (target, data) => writeFile(target, data),
  };
}

export const electronFileActions: FileActions<WebContents> = createFileActions(saveDeps);
